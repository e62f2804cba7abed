// Rules judged as of another date (`as_of D`): the date is a required date; every version
// of the rule is judged as of the same date; and nothing the rule reads through its
// definitions and tables depends on the evaluation date, so a definition has one value
// for an applicant whichever date a rule is judged on. `as_of()` written in the rule
// itself is the judged date. Also `frame()`, whose values are the ruleset's frames.
#include "dsl/checker_impl.hpp"
#include "dsl/support/text.hpp"

namespace kijun::dsl {

namespace {

// The expressions directly inside `e`.
std::vector<ExprId> children(const Expr& e) {
  std::vector<ExprId> out;
  for_each_child(e, [&](ExprId x) { out.push_back(x); });
  return out;
}

}  // namespace

void Checker::declare_frame_enum() {
  EnumInfo info{nullptr, "frame", {}, {}};
  for (auto& f : p_.frames) {
    info.values.push_back(f.name);
    info.labels.push_back(f.decl->label.value);
  }
  frame_enum_ = static_cast<std::uint16_t>(p_.enums.size());
  p_.enums.push_back(std::move(info));
}

// Does definition `def` depend on the evaluation date: several dated values, `as_of()`, or
// another definition or table key that does?
bool Checker::dated_def(std::uint32_t def) {
  dated_.resize(p_.defs.size(), 0);
  if (dated_[def] >= 2) return dated_[def] == 3;
  if (dated_[def] == 1) return false;  // a cycle, reported elsewhere
  dated_[def] = 1;
  bool dated = false;
  for (auto& alt : p_.defs[def].decl->alts)
    dated = dated || !alt.effective.always() || dated_use(alt.value, true) != no_expr;
  dated_[def] = dated ? 3 : 2;
  return dated;
}

// The first expression under `e` that makes it depend on the evaluation date, or no_expr.
// `as_of()` counts only inside definitions: in the rule itself it is the judged date.
// Walked with a stack of its own, in source order, so that a long chain needs no stack.
ExprId Checker::dated_use(ExprId root, bool in_def) {
  std::vector<ExprId> todo{root};
  while (!todo.empty()) {
    ExprId e = todo.back();
    todo.pop_back();
    const Expr& x = p_.ast.at(e);
    if (auto* c = std::get_if<Call>(&x.node); c && c->callee == "as_of" && in_def) return e;
    const SymbolRef& ref = p_.refs[e];
    if (ref.kind == SymbolRef::Kind::def && dated_def(ref.index)) return e;
    if (ref.kind == SymbolRef::Kind::table_output)
      for (auto k : p_.tables[ref.index].decl->keys)
        if (dated_use(k, true) != no_expr) return e;
    auto kids = children(x);
    todo.insert(todo.end(), kids.rbegin(), kids.rend());
  }
  return no_expr;
}

void Checker::check_judged_rule(std::uint32_t index, const Context& ctx) {
  const RuleDecl& r = *p_.rules[index].decl;
  Span at = p_.ast.at(r.as_of).span;
  Type t = check(r.as_of, ctx);
  if (t.optional) {
    auto text = std::string(src_.text(at));
    diags_.report(Diag::unhandled_optional, at, {text}).with_hint("give it a default: `" + text + " ?? …`");
  } else if (!t.is_error() && t.kind != Kind::date) {
    diags_.report(Diag::expected_type, at, {"a date", type_name(p_, t)});
  }
  std::vector<ExprId> parts{r.body};
  if (r.applies != no_expr) parts.push_back(r.applies);
  for (auto& ex : r.exceptions) parts.push_back(ex.condition);
  for (auto part : parts) {
    ExprId use = dated_use(part, false);
    if (use == no_expr) continue;
    std::string name = one_line(src_.text(p_.ast.at(use).span));
    diags_.report(Diag::judged_reads_dated, p_.ast.at(use).span, {r.id.name, one_line(src_.text(at)), name})
        .note(at, "the rule is judged as of this date")
        .with_hint("a definition the rule reads must have one value on every date; read the dated value in another rule");
    return;
  }
}

// Versions of one rule are chosen by the date they are judged on, so they must agree on it.
void Checker::check_judged_versions(const std::vector<std::uint32_t>& versions) {
  auto date_text = [&](std::uint32_t r) {
    ExprId d = p_.rules[r].decl->as_of;
    return d == no_expr ? std::string("the evaluation date") : one_line(src_.text(p_.ast.at(d).span));
  };
  for (std::size_t i = 1; i < versions.size(); ++i) {
    if (date_text(versions[i]) == date_text(versions[0])) continue;
    auto& first = *p_.rules[versions[0]].decl;
    auto& other = *p_.rules[versions[i]].decl;
    diags_.report(Diag::judged_dates_differ, other.id.span, {other.id.name})
        .note(first.id.span, "this version is judged as of " + date_text(versions[0]))
        .with_hint("give every version the same `as_of` clause");
  }
}

}  // namespace kijun::dsl
