// How deep evaluation goes (K0012). A definition's expression is evaluated inside every
// expression that reads it, and a table's keys inside every reading of the table, so the
// interpreter, the code generator and explain recurse as deep as the longest such path.
// It is measured here, after typing, with a recursion that itself stops at the limit, and
// a ruleset past the limit is refused before any later pass walks it.
#include "dsl/checker_impl.hpp"
#include "dsl/limits.hpp"
#include "dsl/support/text.hpp"

namespace kijun::dsl {

namespace {

bool numeric(Kind k) { return k == Kind::int_ || k == Kind::yen || k == Kind::yen_exact || k == Kind::rate; }

// Measures, with memoised definitions and tables. `level` is how deep the walk already is:
// past the limit it stops descending, so its own stack stays bounded.
class DepthMeter {
public:
  explicit DepthMeter(const Program& p) : p_(p), defs_(p.defs.size(), 0), tables_(p.tables.size(), 0) {}

  bool cut = false;  // the walk stopped at the limit: the depth is only known to exceed it

  std::size_t expr(ExprId e, std::size_t level) {
    if (level > max_evaluation_depth) {
      cut = true;
      return level;
    }
    const Expr& x = p_.ast.at(e);
    std::size_t d = 1 + reads(p_.refs[e], level + 1);
    // A chain of numeric sums is one IR node, walked in a loop: one level for all of it.
    Chain c = chain_of(p_.ast, e);
    if (c.links.size() >= 2 && numeric(p_.types[e].kind)) {
      d = std::max(d, 1 + expr(c.first, level + 1));
      for (ExprId link : c.links) d = std::max(d, 1 + expr(std::get<Binary>(p_.ast.at(link).node).rhs, level + 1));
      return d;
    }
    for_each_child(x, [&](ExprId k) { d = std::max(d, 1 + expr(k, level + 1)); });
    return d;
  }

  // A definition in a cycle (K0106, reported by the checker) counts as nothing here.
  std::size_t def(std::uint32_t d, std::size_t level) {
    if (defs_[d] != 0) return defs_[d] == visiting ? 0 : defs_[d];
    defs_[d] = visiting;
    std::size_t depth = 0;
    for (auto& alt : p_.defs[d].decl->alts) depth = std::max(depth, expr(alt.value, level));
    return defs_[d] = depth;
  }

  std::size_t table(std::uint32_t t, std::size_t level) {
    if (tables_[t] != 0) return tables_[t] == visiting ? 0 : tables_[t];
    tables_[t] = visiting;
    std::size_t depth = 0;
    for (auto k : p_.tables[t].decl->keys) depth = std::max(depth, expr(k, level));
    return tables_[t] = depth;
  }

private:
  std::size_t reads(const SymbolRef& ref, std::size_t level) {
    if (ref.kind == SymbolRef::Kind::def) return def(ref.index, level);
    if (ref.kind == SymbolRef::Kind::table_output) return table(ref.index, level);
    return 0;
  }

  const Program& p_;
  static constexpr std::size_t visiting = SIZE_MAX;
  std::vector<std::size_t> defs_, tables_;  // 0: not yet measured
};

}  // namespace

// Reports the first definition or table (or, with `rules`, rule) too deep to evaluate;
// false if there is one.
bool Checker::check_evaluation_depth(bool rules) {
  DepthMeter meter(p_);
  auto over = [&](std::size_t depth, const std::string& name, Span at) {
    if (depth <= max_evaluation_depth) return false;
    std::string shown = meter.cut ? "more than " + std::to_string(max_evaluation_depth) : std::to_string(depth);
    diags_.report(Diag::reading_too_deep, at, {name, shown, std::to_string(max_evaluation_depth)})
        .with_hint("definitions that read definitions nest; read fewer levels, or combine parts in one expression");
    return true;
  };
  for (std::uint32_t d = 0; d < p_.defs.size(); ++d)
    if (over(meter.def(d, 0), p_.defs[d].name, p_.defs[d].decl->name.span)) return false;
  for (std::uint32_t t = 0; t < p_.tables.size(); ++t)
    if (over(meter.table(t, 0), p_.tables[t].name, p_.tables[t].decl->name.span)) return false;
  if (!rules) return true;
  for (auto& r : p_.rules) {
    std::size_t depth = 0;
    for (ExprId e : {r.decl->body, r.decl->applies, r.decl->as_of})
      if (e != no_expr) depth = std::max(depth, meter.expr(e, 0));
    for (auto& ex : r.decl->exceptions) depth = std::max(depth, meter.expr(ex.condition, 0));
    if (over(depth, r.decl->id.name, r.decl->id.span)) return false;
  }
  return true;
}

}  // namespace kijun::dsl
