#include "runtime/audit/structure.hpp"

#include <algorithm>
#include <set>

#include "dsl/support/calendar.hpp"

namespace kijun::runtime {

namespace {

std::string period_text(const ir::Period& p) {
  std::string out;
  if (p.from) out += "from " + dsl::format_date(*p.from);
  if (p.until) out += std::string(out.empty() ? "" : " ") + "until " + dsl::format_date(*p.until);
  return out;
}

bool always(const ir::Period& p) { return !p.from && !p.until; }
bool in_force(const ir::Period& p, std::optional<std::int64_t> on) { return !on || p.contains(*on); }

}  // namespace

// On a day, the forms in force (a rule judged as of another date keeps every form: which
// one decides is chosen by that date) and their exceptions in force. Several dated forms
// are told apart by their period; on a day, or with one undated form, no prefix is needed.
Structure structure_of(const ir::Ruleset& rs, std::optional<std::int64_t> on) {
  Structure s;
  for (const auto& d : rs.description) {
    std::vector<const ir::DescribedForm*> forms;
    for (const auto& f : d.forms)
      if (f.judged || in_force(f.period, on)) forms.push_back(&f);
    if (forms.empty()) continue;
    auto& e = s.entries[d.group + ":" + d.name];
    e.kind = forms.front()->kind.empty() ? d.kind : forms.front()->kind;  // a rule's kind on that day
    e.name = d.name;
    e.cite = forms.front()->cite;
    e.label = forms.front()->label;
    e.parts = {{"cite", e.cite}, {"label", e.label}};
    for (const auto& p : d.before) e.parts.emplace_back(p.name, p.text);
    for (const auto* f : forms) {
      std::string at = always(f->period) || (on && !f->judged) ? "" : "[" + period_text(f->period) + "] ";
      for (const auto& p : f->parts) {
        std::string text = p.text;
        if (p.exception) {
          if (!f->judged && !in_force(*p.exception, on)) continue;
          if ((!on || f->judged) && !always(*p.exception)) text += " effective " + period_text(*p.exception);
        }
        e.parts.emplace_back(at + p.name, std::move(text));
      }
    }
    for (const auto& p : d.after) e.parts.emplace_back(p.name, p.text);
  }
  return s;
}

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
