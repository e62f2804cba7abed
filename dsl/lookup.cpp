// Name lookup: the frame's own names, then its module's, then the modules it includes or
// imports, then the inputs every frame reads, then module names.
#include "dsl/checker_impl.hpp"

namespace kijun::dsl {

std::optional<SymbolRef> Checker::lookup(const std::string& name, const Scope& scope, Span at, bool report) {
  if (auto it = scope.own.find(name); it != scope.own.end()) return it->second;
  if (scope.frame != no_index && scope.module != no_index) {
    auto& own = p_.modules[scope.module].scope.own;
    if (auto it = own.find(name); it != own.end()) return it->second;
  }
  std::vector<std::uint32_t> imports = scope.imports;
  if (scope.frame != no_index && scope.module != no_index) {
    auto& more = p_.modules[scope.module].scope.imports;
    imports.insert(imports.end(), more.begin(), more.end());
  }
  std::optional<SymbolRef> found;
  std::uint32_t found_in = no_index;
  for (auto m : imports) {
    if (m == found_in) continue;
    auto& own = p_.modules[m].scope.own;
    auto it = own.find(name);
    if (it == own.end()) continue;
    if (found && (found->kind != it->second.kind || found->index != it->second.index)) {
      (void)report;  // an ambiguity is an error however the name was looked up
      diags_.report(Diag::ambiguous_name, at, {name, p_.modules[found_in].name, p_.modules[m].name})
            .with_hint("write `" + p_.modules[found_in].name + "." + name + "` to choose one");
      return found;
    }
    found = it->second;
    found_in = m;
  }
  if (found) return found;
  if (auto it = globals_.find(name); it != globals_.end()) return it->second;
  if (auto it = module_by_name_.find(name); it != module_by_name_.end()) return SymbolRef{SymbolRef::Kind::module, it->second};
  if (report) {
    if (auto gone = p_.ast.removed.find(name); gone != p_.ast.removed.end()) {
      diags_.report(Diag::removed_name, at, {name})
          .note(gone->second.at, "removed here")
          .with_hint("an inherited declaration still uses it: remove or replace that one too");
      return std::nullopt;
    }
    auto& d = diags_.report(Diag::unknown_name, at, {name});
    if (auto near = nearest(name, visible_names(scope)); !near.empty()) d.with_hint("did you mean `" + near + "`?");
  }
  return std::nullopt;
}

std::vector<std::string> Checker::visible_names(const Scope& scope) const {
  std::vector<std::string> names;
  auto add = [&](const std::map<std::string, SymbolRef>& m) {
    for (auto& [n, r] : m) names.push_back(n);
  };
  add(scope.own);
  if (scope.module != no_index) {
    add(p_.modules[scope.module].scope.own);
    for (auto m : p_.modules[scope.module].scope.imports) add(p_.modules[m].scope.own);
  }
  for (auto m : scope.imports) add(p_.modules[m].scope.own);
  add(globals_);
  return names;
}

std::optional<std::uint32_t> Checker::enum_value(std::uint16_t enum_id, const std::string& name) const {
  auto& values = p_.enums[enum_id].values;
  for (std::uint32_t i = 0; i < values.size(); ++i)
    if (values[i] == name) return i;
  return std::nullopt;
}

bool same_symbol(const SymbolRef& a, const SymbolRef& b) { return a.kind == b.kind && a.index == b.index; }

Context with_facts(const Context& ctx, const Facts& f) {
  Context out = ctx;
  out.present.insert(out.present.end(), f.begin(), f.end());
  return out;
}

std::string type_name(const Program& p, Type t) {
  std::string base;
  switch (t.kind) {
    case Kind::error: return "an invalid value";
    case Kind::bool_: base = "bool"; break;
    case Kind::int_: base = "int"; break;
    case Kind::yen: base = "yen"; break;
    case Kind::yen_exact: base = "an exact yen fraction"; break;
    case Kind::rate: base = "rate"; break;
    case Kind::date: base = "date"; break;
    case Kind::duration: base = "a duration"; break;
    case Kind::text: base = "text"; break;
    case Kind::enumeration: base = "enum " + (t.enum_id < p.enums.size() ? p.enums[t.enum_id].name : "?"); break;
    case Kind::list: base = "list of " + (t.enum_id < p.records.size() ? p.records[t.enum_id].name : "?"); break;
  }
  return t.optional ? "optional " + base : base;
}

}  // namespace kijun::dsl
