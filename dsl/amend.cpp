// Amendments of an extended ruleset, applied to the AST before checking: the inherited
// module or frame loses what `remove` and `replace` name and gains the amendment's
// declarations, so the checker, the compiler and every tool see one ordinary program.
#include "dsl/amend.hpp"

#include <set>

namespace kijun::dsl {

namespace {

struct Target {
  std::vector<Item>* items = nullptr;
  const char* what = "module";
  std::string name;
};

Target find_target(Ast& ast, const AmendDecl& a, std::vector<std::string>& candidates) {
  for (auto& f : ast.files) {
    if (!a.frame && f.explicit_module && f.module.name == a.target.name) return {&f.items, "module", a.target.name};
    if (!a.frame && f.explicit_module) candidates.push_back(f.module.name);
    for (auto& fr : f.frames) {
      if (a.frame && fr.name.name == a.target.name) return {&fr.items, "frame", a.target.name};
      if (a.frame) candidates.push_back(fr.name.name);
    }
  }
  return {nullptr, a.frame ? "frame" : "module", a.target.name};
}

// Erases every declaration of `kind` named `name` (all its dated forms); how many went.
std::size_t erase(std::vector<Item>& items, const std::string& kind, const std::string& name) {
  auto before = items.size();
  std::erase_if(items, [&](const Item& it) { return item_kind(it) == kind && item_name(it) == name; });
  return before - items.size();
}

std::vector<std::string> names_of_kind(const std::vector<Item>& items, const std::string& kind) {
  std::vector<std::string> out;
  for (auto& it : items)
    if (item_kind(it) == kind) out.push_back(item_name(it));
  return out;
}

void apply(Ast& ast, AmendDecl& a, Diagnostics& diags) {
  std::vector<std::string> candidates;
  Target t = find_target(ast, a, candidates);
  if (!t.items) {
    auto& d = diags.report(Diag::unknown_amend_target, a.target.span, {t.what, a.target.name});
    if (auto near = nearest(a.target.name, candidates); !near.empty()) d.with_hint("did you mean `" + near + "`?");
    return;
  }
  for (auto& r : a.removes) {
    if (erase(*t.items, r.kind.name, r.name.name) == 0) {
      auto& d = diags.report(Diag::nothing_to_remove, r.name.span, {t.what, t.name, r.kind.name, r.name.name});
      if (auto near = nearest(r.name.name, names_of_kind(*t.items, r.kind.name)); !near.empty())
        d.with_hint("did you mean `" + near + "`?");
      continue;
    }
    ast.removed[r.name.name] = {r.kind.name, r.span};
  }
  // Replacements first take every inherited form away, then all new forms go in together,
  // so a dated replacement can be written as several `replace` declarations of one id.
  std::set<std::pair<std::string, std::string>> replaced;
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    if (!a.replaces[i]) continue;
    auto kind = item_kind(a.items[i]);
    auto name = item_name(a.items[i]);
    if (replaced.count({kind, name})) continue;
    if (erase(*t.items, kind, name) == 0) {
      auto& d = diags.report(Diag::nothing_to_replace, item_span(a.items[i]), {t.what, t.name, kind, name.empty() ? kind : name});
      d.with_hint("to add a new declaration, leave out `replace`");
    }
    replaced.insert({kind, name});
  }
  for (auto& it : a.items) t.items->push_back(std::move(it));
  a.items.clear();
  a.replaces.clear();
}

// Drops the tests `from` removes from the files of the rulesets it inherits ([inherited, end)).
void remove_tests(Ast& ast, const ModuleFile& from, std::size_t inherited, Diagnostics& diags) {
  for (auto& name : from.removed_tests) {
    bool found = false;
    std::vector<std::string> names;
    for (std::size_t i = inherited; i < ast.files.size(); ++i) {
      auto& f = ast.files[i];
      for (auto& t : f.tests) names.push_back(t.name.value);
      found |= std::erase_if(f.tests, [&](const TestDecl& t) { return t.name.value == name.value; }) > 0;
    }
    if (found) continue;
    auto& d = diags.report(Diag::unknown_removed_test, name.span, {name.value});
    if (auto near = nearest(name.value, names); !near.empty()) d.with_hint("did you mean \"" + near + "\"?");
  }
}

}  // namespace

void apply_amendments(Ast& ast, const std::vector<std::size_t>& layers, bool broken_chain, Diagnostics& diags) {
  // The last layer extends nothing: an amendment there has nothing to amend (unless its
  // `extends` could not be followed, which is reported already).
  std::size_t base = layers.empty() ? 0 : layers.back();
  for (std::size_t i = base; i < ast.files.size() && !broken_chain; ++i) {
    const char* hint = "name the inherited ruleset in the header: `ruleset \"…\" extends \"../2026\" { … }`";
    for (auto& a : ast.files[i].amends) diags.report(Diag::amend_without_extends, a.span).with_hint(hint);
    for (auto& t : ast.files[i].removed_tests) diags.report(Diag::amend_without_extends, t.span).with_hint(hint);
  }
  for (std::size_t layer = layers.size(); layer-- > 1;) {
    std::size_t begin = layers[layer - 1], end = layers[layer];
    for (std::size_t i = begin; i < end; ++i)
      for (auto& a : ast.files[i].amends) apply(ast, a, diags);
    for (std::size_t i = begin; i < end; ++i) remove_tests(ast, ast.files[i], end, diags);
  }
}

}  // namespace kijun::dsl
