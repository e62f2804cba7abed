#include "runtime/authoring/structure.hpp"

#include <algorithm>
#include <set>

#include "dsl/checker.hpp"
#include "dsl/formatter.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::runtime {

namespace {

using dsl::Program;

std::string effective_text(const dsl::Effective& e) {
  std::string out;
  if (e.from) out += "from " + dsl::format_date(*e.from);
  if (e.until) out += std::string(out.empty() ? "" : " ") + "until " + dsl::format_date(*e.until);
  return out;
}

bool in_force(const dsl::Effective& e, std::optional<std::int64_t> on) { return !on || e.contains(*on); }

class Builder {
public:
  Builder(const Program& p, std::optional<std::int64_t> on) : p_(p), on_(on) {}

  Structure run() {
    rules();
    definitions();
    tables();
    inputs();
    enums();
    frames();
    return std::move(s_);
  }

private:
  std::string expr(dsl::ExprId e) const { return e == dsl::no_expr ? "" : dsl::format_expr(p_.ast, e); }
  StructureEntry& entry(const std::string& group, const std::string& kind, const std::string& name, const dsl::Text& cite,
                        const dsl::Text& label) {
    auto& e = s_.entries[group + ":" + name];
    e.kind = kind;
    e.name = name;
    e.cite = cite.value;
    e.label = label.value;
    e.parts = {{"cite", cite.value}, {"label", label.value}};
    return e;
  }

  void rules();
  void definitions();
  void tables();
  void inputs();
  std::string owner(std::uint32_t module, std::uint32_t frame) const {
    return frame != dsl::no_index ? p_.frames[frame].name : p_.modules[module].name;
  }
  void enums();
  void frames();

  const Program& p_;
  std::optional<std::int64_t> on_;
  Structure s_;
};

void Builder::rules() {
  // Every rule id with its forms (dated declarations) in force, and the frames it reaches.
  // A rule declared inside a frame is named with it: frames may each have a rule of one id.
  auto name_of = [&](const dsl::RuleInfo& r) {
    return r.frame == dsl::no_index ? r.decl->id.name : p_.frames[r.frame].name + "." + r.decl->id.name;
  };
  std::map<std::string, std::vector<const dsl::RuleDecl*>> forms;
  std::map<std::string, std::set<std::string>> frames;
  // A rule judged as of another date keeps every form: which one decides is chosen by that
  // date, not by the date the version is taken on.
  for (auto& r : p_.rules)
    if (r.decl->as_of != dsl::no_expr || in_force(r.decl->effective, on_)) forms[name_of(r)].push_back(r.decl);
  for (auto& f : p_.frames)
    for (auto r : f.rules) frames[name_of(p_.rules[r])].insert(f.name);
  for (auto& [id, decls] : forms) {
    const auto& first = *decls.front();
    auto& e = entry("rule", dsl::rule_kind_name(first.kind), id, first.cite, first.label);
    for (auto* d : decls) {
      // Several dated forms are told apart by their period; one form needs no prefix.
      bool judged = d->as_of != dsl::no_expr;
      std::string at = d->effective.always() || (on_ && !judged) ? "" : "[" + effective_text(d->effective) + "] ";
      if (d->kind == dsl::RuleKind::bonus || d->kind == dsl::RuleKind::penalty) e.parts.emplace_back(at + "points", std::to_string(d->points));
      if (d->as_of != dsl::no_expr) e.parts.emplace_back(at + "judged as of", expr(d->as_of));
      if (d->applies != dsl::no_expr) e.parts.emplace_back(at + "applies if", expr(d->applies));
      for (auto& ex : d->exceptions) {
        if (!judged && !in_force(ex.effective, on_)) continue;
        // Exceptions are matched by their condition; the part says where it is cited and when.
        std::string text = ex.cite.empty() ? "(no citation)" : "cite \"" + ex.cite.value + "\"";
        if ((!on_ || judged) && !ex.effective.always()) text += " effective " + effective_text(ex.effective);
        e.parts.emplace_back(at + "unless " + expr(ex.condition), text);
      }
      e.parts.emplace_back(at + "condition", expr(d->body));
    }
    std::string reach;
    for (auto& f : frames[id]) reach += (reach.empty() ? "" : ", ") + f;
    e.parts.emplace_back("frames", reach);
  }
}

void Builder::definitions() {
  for (auto& d : p_.defs) {
    const auto& decl = *d.decl;
    bool special = d.kind == dsl::DefKind::rate || d.kind == dsl::DefKind::amount;
    std::string kind = special ? (d.kind == dsl::DefKind::rate ? "rate" : "amount") : d.kind == dsl::DefKind::param ? "param" : "def";
    // Modules and frames each have their own names: a definition is named with its own.
    std::string name = special ? (d.frame != dsl::no_index ? p_.frames[d.frame].name : "") + "." + kind : owner(d.module, d.frame) + "." + d.name;
    std::vector<const dsl::DefAlt*> alts;
    for (auto& a : decl.alts)
      if (in_force(a.effective, on_)) alts.push_back(&a);
    if (alts.empty()) continue;
    auto& e = entry("def", kind, name, decl.cite, decl.label);
    if (!special) e.parts.emplace_back("type", dsl::type_name(p_, d.type));
    for (auto* a : alts) {
      std::string at = a->effective.always() || on_ ? "" : "[" + effective_text(a->effective) + "] ";
      e.parts.emplace_back(at + "value", expr(a->value));
    }
  }
}

// A decision table, row by row: rows are matched by their key cells, so a changed limit
// shows as that row's outputs before and after, and a new row as a row added.
void Builder::tables() {
  for (auto& t : p_.tables) {
    const auto& decl = *t.decl;
    auto& e = entry("def", "table", owner(t.module, t.frame) + "." + t.name, decl.cite, decl.label);
    std::string columns;
    for (auto k : decl.keys) columns += (columns.empty() ? "" : " | ") + expr(k);
    columns += " ||";
    for (std::size_t i = 0; i < decl.outputs.size(); ++i)
      columns += std::string(i ? " |" : "") + " " + decl.outputs[i].name.name + ": " + dsl::type_name(p_, t.output_types[i]);
    e.parts.emplace_back("columns", columns);
    for (auto& row : decl.rows) {
      std::string keys, outputs;
      for (auto& c : row.keys) keys += (keys.empty() ? "" : " | ") + dsl::format_cell(p_.ast, c);
      for (auto o : row.outputs) outputs += (outputs.empty() ? "" : " | ") + expr(o);
      if (!row.cite.empty()) outputs += "  cite \"" + row.cite.value + "\"";
      e.parts.emplace_back("row " + keys, outputs);
    }
  }
}

void Builder::inputs() {
  for (auto& in : p_.inputs) {
    auto& e = entry("input", "input", in.name, in.decl->cite, in.decl->label);
    std::string type = dsl::type_name(p_, in.type);
    if (in.decl->min != dsl::no_expr && in.decl->max != dsl::no_expr) type += " in " + expr(in.decl->min) + ".." + expr(in.decl->max);
    else if (in.decl->min != dsl::no_expr) type += " >= " + expr(in.decl->min);
    e.parts.emplace_back("type", type);
    e.parts.emplace_back("frames", in.frame == dsl::no_index ? "every frame" : p_.frames[in.frame].name);
  }
}

void Builder::enums() {
  for (auto& en : p_.enums) {
    if (!en.decl) continue;  // the frames, listed as frames
    auto& e = entry("enum", "enum", en.name, {}, en.decl->label);
    for (std::size_t i = 0; i < en.values.size(); ++i) e.parts.emplace_back("value " + en.values[i], en.labels[i]);
  }
}

void Builder::frames() {
  for (auto& f : p_.frames) entry("frame", "frame", f.name, f.decl->cite, f.decl->label);
}

}  // namespace

Structure structure_of(const compiler::Compilation& c, std::optional<std::int64_t> on) { return Builder(c.program, on).run(); }

std::vector<StructuralChange> compare_structures(const Structure& before, const Structure& after) {
  std::vector<StructuralChange> out;
  auto header = [](StructuralChange::Kind k, const StructureEntry& e) {
    return StructuralChange{k, e.kind, e.name, e.cite, e.label, {}};
  };
  // An entry added or removed shows all it says (its citation and label are in its header).
  auto whole = [&](StructuralChange::Kind k, const StructureEntry& e) {
    auto c = header(k, e);
    for (auto& [part, text] : e.parts)
      if (part != "cite" && part != "label" && !text.empty())
        c.parts.push_back(k == StructuralChange::Kind::added ? PartChange{part, "", text} : PartChange{part, text, ""});
    return c;
  };
  for (auto& [key, old] : before.entries)
    if (!after.entries.count(key)) out.push_back(whole(StructuralChange::Kind::removed, old));
  for (auto& [key, now] : after.entries) {
    auto found = before.entries.find(key);
    if (found == before.entries.end()) {
      out.push_back(whole(StructuralChange::Kind::added, now));
      continue;
    }
    const auto& old = found->second;
    StructuralChange c = header(StructuralChange::Kind::changed, now);
    if (old.kind != now.kind) c.parts.push_back({"kind", old.kind, now.kind});
    auto value = [](const StructureEntry& e, const std::string& part) -> const std::string* {
      for (auto& [name, text] : e.parts)
        if (name == part) return &text;
      return nullptr;
    };
    for (auto& [part, text] : old.parts) {
      auto* other = value(now, part);
      if (!other) c.parts.push_back({part, text, ""});
      else if (*other != text) c.parts.push_back({part, text, *other});
    }
    for (auto& [part, text] : now.parts)
      if (!value(old, part)) c.parts.push_back({part, "", text});
    if (!c.parts.empty()) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace kijun::runtime
