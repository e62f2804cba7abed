// Each part in canonical text (dsl/formatter.hpp): two descriptions differ only where the
// rules differ, never where only layout or comments do. Every dated form is kept; which
// are in force on a day is chosen when the description is read (runtime/audit/structure.cpp).
#include "compiler/describe.hpp"

#include <algorithm>

#include <map>
#include <set>

#include "dsl/checker.hpp"
#include "dsl/formatter.hpp"

namespace kijun::ir {

namespace {

using dsl::Program;

Period period_of(const dsl::Effective& e) { return {e.from, e.until}; }

class Describer {
public:
  explicit Describer(const Program& p) : p_(p) {}

  std::vector<Described> run() {
    rules();
    definitions();
    tables();
    inputs();
    enums();
    records();
    frames();
    return std::move(out_);
  }

private:
  std::string expr(dsl::ExprId e) const { return e == dsl::no_expr ? "" : dsl::format_expr(p_.ast, e); }
  std::string owner(std::uint32_t module, std::uint32_t frame) const {
    return frame != dsl::no_index ? p_.frames[frame].name : p_.modules[module].name;
  }
  // An entry whose one form is always in force.
  Described& undated(std::string group, std::string kind, std::string name, const dsl::Text& cite, const dsl::Text& label) {
    auto& d = out_.emplace_back(Described{std::move(group), std::move(kind), std::move(name), {}, {}, {}});
    d.forms.push_back({{}, Period{}, false, cite.value, label.value, {}});
    return d;
  }

  void rules();
  void definitions();
  void tables();
  void inputs();
  void records();
  std::string frames_of(std::uint32_t input) const;
  void enums();
  void frames();

  const Program& p_;
  std::vector<Described> out_;
};

// Every rule id with its forms (dated declarations) and the frames it reaches. A rule
// declared inside a frame is named with it: frames may each have a rule of one id.
void Describer::rules() {
  auto name_of = [&](const dsl::RuleInfo& r) {
    return r.frame == dsl::no_index ? r.decl->id.name : p_.frames[r.frame].name + "." + r.decl->id.name;
  };
  std::map<std::string, std::vector<const dsl::RuleDecl*>> forms;
  std::map<std::string, std::set<std::string>> frames;
  for (auto& r : p_.rules) forms[name_of(r)].push_back(r.decl);
  for (auto& f : p_.frames)
    for (auto r : f.rules) frames[name_of(p_.rules[r])].insert(f.name);
  for (auto& [id, decls] : forms) {
    auto& d = out_.emplace_back(Described{"rule", std::string(dsl::rule_kind_name(decls.front()->kind)), id, {}, {}, {}});
    for (auto* decl : decls) {
      DescribedForm form{std::string(dsl::rule_kind_name(decl->kind)), period_of(decl->effective), decl->as_of != dsl::no_expr,
                         decl->cite.value, decl->label.value, {}};
      if (decl->kind == dsl::RuleKind::bonus || decl->kind == dsl::RuleKind::penalty)
        form.parts.push_back({"points", std::to_string(decl->points), {}});
      if (decl->as_of != dsl::no_expr) form.parts.push_back({"judged as of", expr(decl->as_of), {}});
      if (decl->applies != dsl::no_expr) form.parts.push_back({"applies if", expr(decl->applies), {}});
      // Exceptions are matched by their condition; the part says where each is cited.
      for (auto& ex : decl->exceptions)
        form.parts.push_back({"unless " + expr(ex.condition), ex.cite.empty() ? "(no citation)" : "cite \"" + ex.cite.value + "\"",
                              period_of(ex.effective)});
      form.parts.push_back({"condition", expr(decl->body), {}});
      d.forms.push_back(std::move(form));
    }
    std::string reach;
    for (auto& f : frames[id]) reach += (reach.empty() ? "" : ", ") + f;
    d.after.push_back({"frames", reach, {}});
  }
}

// Modules and frames each have their own names: a definition is named with its owner's.
void Describer::definitions() {
  for (auto& def : p_.defs) {
    const auto& decl = *def.decl;
    bool special = def.kind == dsl::DefKind::rate || def.kind == dsl::DefKind::amount;
    std::string kind = special ? (def.kind == dsl::DefKind::rate ? "rate" : "amount") : def.kind == dsl::DefKind::param ? "param" : "def";
    std::string name = special ? (def.frame != dsl::no_index ? p_.frames[def.frame].name : "") + "." + kind
                               : owner(def.module, def.frame) + "." + def.name;
    auto& d = out_.emplace_back(Described{"def", kind, name, {}, {}, {}});
    if (!special) d.before.push_back({"type", dsl::type_name(p_, def.type), {}});
    for (auto& a : decl.alts)
      d.forms.push_back({{}, period_of(a.effective), false, decl.cite.value, decl.label.value, {{"value", expr(a.value), {}}}});
  }
}

// A decision table, row by row: rows are matched by their key cells, so a changed limit
// shows as that row's outputs before and after, and a new row as a row added.
void Describer::tables() {
  for (auto& t : p_.tables) {
    const auto& decl = *t.decl;
    auto& d = undated("def", "table", owner(t.module, t.frame) + "." + t.name, decl.cite, decl.label);
    std::string columns;
    for (auto k : decl.keys) columns += (columns.empty() ? "" : " | ") + expr(k);
    columns += " ||";
    for (std::size_t i = 0; i < decl.outputs.size(); ++i)
      columns += std::string(i ? " |" : "") + " " + decl.outputs[i].name.name + ": " + dsl::type_name(p_, t.output_types[i]);
    d.before.push_back({"columns", columns, {}});
    for (auto& row : decl.rows) {
      std::string keys, outputs;
      for (auto& c : row.keys) keys += (keys.empty() ? "" : " | ") + dsl::format_cell(p_.ast, c);
      for (auto o : row.outputs) outputs += (outputs.empty() ? "" : " | ") + expr(o);
      if (!row.cite.empty()) outputs += "  cite \"" + row.cite.value + "\"";
      d.before.push_back({"row " + keys, outputs, {}});
    }
  }
}

// The frames that ask for an input: the one it is declared in, or those whose rules read it
// (dsl/check_decls.cpp, frame_inputs).
std::string Describer::frames_of(std::uint32_t input) const {
  std::string out;
  std::size_t asked = 0;
  for (auto& f : p_.frames)
    if (std::find(f.inputs.begin(), f.inputs.end(), input) != f.inputs.end()) out += (asked++ ? ", " : "") + f.name;
  if (asked == 0) return "no frame";
  return asked == p_.frames.size() && p_.frames.size() > 1 ? "every frame" : out;
}

void Describer::inputs() {
  for (std::uint32_t i = 0; i < p_.inputs.size(); ++i) {
    auto& in = p_.inputs[i];
    auto& d = undated("input", "input", in.name, in.decl->cite, in.decl->label);
    std::string type = dsl::type_name(p_, in.type);
    if (in.decl->min != dsl::no_expr && in.decl->max != dsl::no_expr) type += " in " + expr(in.decl->min) + ".." + expr(in.decl->max);
    else if (in.decl->min != dsl::no_expr) type += " >= " + expr(in.decl->min);
    d.before.push_back({"type", type, {}});
    d.before.push_back({"frames", frames_of(i), {}});
    if (in.type.kind == dsl::Kind::list)
      d.before.push_back({"length", std::to_string(in.min_length) + ".." + std::to_string(in.max_length), {}});
  }
}

// A record: each field as an input is described (type, range, citation and label), so a
// field added, removed or changed shows as that part.
void Describer::records() {
  for (auto& r : p_.records) {
    auto& d = undated("input", "record", r.name, r.decl->cite, r.decl->label);
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      const auto& f = r.fields[i];
      const auto& decl = r.decl->fields[i];
      std::string text = dsl::type_name(p_, f.type);
      if (decl.min != dsl::no_expr && decl.max != dsl::no_expr) text += " in " + expr(decl.min) + ".." + expr(decl.max);
      else if (decl.min != dsl::no_expr) text += " >= " + expr(decl.min);
      if (!decl.cite.empty()) text += " cite \"" + decl.cite.value + "\"";
      if (!decl.label.empty()) text += " label \"" + decl.label.value + "\"";
      d.before.push_back({"field " + f.name, text, {}});
    }
  }
}

void Describer::enums() {
  for (auto& en : p_.enums) {
    if (!en.decl) continue;  // the frames, described as frames
    auto& d = undated("enum", "enum", en.name, {}, en.decl->label);
    for (std::size_t i = 0; i < en.values.size(); ++i) d.before.push_back({"value " + en.values[i], en.labels[i], {}});
  }
}

void Describer::frames() {
  for (auto& f : p_.frames) undated("frame", "frame", f.name, f.decl->cite, f.decl->label);
}

}  // namespace

std::vector<Described> describe(const Program& program) { return Describer(program).run(); }

}  // namespace kijun::ir
