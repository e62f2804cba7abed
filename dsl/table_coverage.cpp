// Decision tables must be complete and unambiguous: every possible combination of key
// values matches exactly one row. Each key's domain is split into classes (enum values,
// true/false, or integer intervals cut at every bound a row mentions), and every
// combination of classes is checked against every row.
#include <algorithm>
#include <set>

#include "dsl/calendar.hpp"
#include "dsl/checker_impl.hpp"

namespace kijun::dsl {

namespace {

struct KeyClass {
  std::int64_t lo, hi;  // enum value index or bool as lo == hi; otherwise an interval
  std::string text;
};

std::string interval_text(std::int64_t lo, std::int64_t hi, Kind kind) {
  auto num = [&](std::int64_t v) {
    if (kind == Kind::date) return format_date(v);
    return std::to_string(v) + (kind == Kind::yen ? " yen" : "");
  };
  if (lo == hi) return num(lo);
  bool dates = kind == Kind::date;
  if (lo == INT64_MIN || (dates && lo == min_day)) return "≤ " + num(hi);
  if (hi == INT64_MAX || (dates && hi == max_day)) return "≥ " + num(lo);
  return num(lo) + ".." + num(hi);
}

}  // namespace

void Checker::check_table_coverage(std::uint32_t index) {
  auto& t = p_.tables[index];
  const TableDecl& d = *t.decl;
  auto constant = [&](ExprId e) -> std::int64_t {
    const Expr& x = p_.ast.at(e);
    if (p_.refs[e].kind == SymbolRef::Kind::enum_value) return p_.refs[e].extra;
    if (auto* b = std::get_if<BoolLit>(&x.node)) return b->value ? 1 : 0;
    if (auto* i = std::get_if<IntLit>(&x.node)) return i->value;
    if (auto* y = std::get_if<YenLit>(&x.node)) return y->value;
    if (auto* day = std::get_if<DateLit>(&x.node)) return day->days;
    if (auto* u = std::get_if<Unary>(&x.node)) return -constant_int(u->operand, p_.types[u->operand]).value_or(0);
    return 0;
  };
  auto bound = [&](ExprId e, bool open, int dir) -> std::int64_t {
    if (e == no_expr) return dir < 0 ? INT64_MIN : INT64_MAX;
    std::int64_t v = constant(e);
    return open ? v - dir : v;  // `> 3` starts at 4; `< 4` ends at 3
  };

  std::vector<std::vector<KeyClass>> classes(d.keys.size());
  for (std::size_t c = 0; c < d.keys.size(); ++c) {
    Type kt = t.key_types[c];
    if (kt.kind == Kind::enumeration) {
      auto& en = p_.enums[kt.enum_id];
      for (std::int64_t v = 0; v < static_cast<std::int64_t>(en.values.size()); ++v) classes[c].push_back({v, v, en.values[v]});
      continue;
    }
    if (kt.kind == Kind::bool_) {
      classes[c] = {{0, 0, "false"}, {1, 1, "true"}};
      continue;
    }
    std::int64_t lo = INT64_MIN, hi = INT64_MAX;
    if (kt.kind == Kind::date) lo = min_day, hi = max_day;
    if (p_.refs[d.keys[c]].kind == SymbolRef::Kind::input) {
      auto& in = p_.inputs[p_.refs[d.keys[c]].index];
      lo = in.min.value_or(lo);
      hi = in.max.value_or(hi);
    }
    std::set<std::int64_t> cuts{lo};
    auto cut = [&](std::int64_t v) {
      if (v > lo && v <= hi) cuts.insert(v);
    };
    for (auto& row : d.rows) {
      auto& cell = row.keys[c];
      for (auto v : cell.values) {
        std::int64_t x = constant(v);
        cut(x);
        if (x < INT64_MAX) cut(x + 1);
      }
      if (cell.kind == TableCell::Kind::range) {
        std::int64_t a = bound(cell.lo, cell.lo_open, -1), b = bound(cell.hi, cell.hi_open, 1);
        cut(a);
        if (b < INT64_MAX) cut(b + 1);
      }
    }
    std::vector<std::int64_t> points(cuts.begin(), cuts.end());
    for (std::size_t i = 0; i < points.size(); ++i) {
      std::int64_t a = points[i], b = i + 1 < points.size() ? points[i + 1] - 1 : hi;
      classes[c].push_back({a, b, interval_text(a, b, kt.kind)});
    }
  }

  auto matches = [&](const TableRow& row, std::size_t c, const KeyClass& k) {
    const TableCell& cell = row.keys[c];
    switch (cell.kind) {
      case TableCell::Kind::any: return true;
      case TableCell::Kind::values:
        return std::any_of(cell.values.begin(), cell.values.end(), [&](ExprId v) { return constant(v) == k.lo; });
      case TableCell::Kind::range:
        return k.lo >= bound(cell.lo, cell.lo_open, -1) && k.lo <= bound(cell.hi, cell.hi_open, 1);
    }
    return false;
  };

  std::size_t combos = 1;
  for (auto& cl : classes) combos = cl.empty() ? 0 : std::min<std::size_t>(combos * cl.size(), 1u << 20);
  if (combos == 0 || combos >= (1u << 20)) return;  // too large to enumerate; checked at run time
  std::vector<std::size_t> at(classes.size(), 0);
  int gaps = 0, overlaps = 0;
  for (std::size_t n = 0; n < combos; ++n) {
    std::vector<std::size_t> hits;
    for (std::size_t r = 0; r < d.rows.size() && hits.size() < 2; ++r) {
      bool all = true;
      for (std::size_t c = 0; c < classes.size() && all; ++c) all = matches(d.rows[r], c, classes[c][at[c]]);
      if (all) hits.push_back(r);
    }
    if (hits.size() != 1) {
      std::string where;
      for (std::size_t c = 0; c < classes.size(); ++c) {
        if (c) where += ", ";
        where += std::string(src_.text(p_.ast.at(d.keys[c]).span)) + " = " + classes[c][at[c]].text;
      }
      if (hits.empty() && gaps++ < 3)
        diags_.report(Diag::table_gap, d.name.span, {d.name.name, where}).with_hint("add a row for it, or widen a row with `-` or a range");
      if (hits.size() > 1 && overlaps++ < 3)
        diags_.report(Diag::table_overlap, d.rows[hits[1]].span, {d.name.name, std::to_string(hits[0] + 1), std::to_string(hits[1] + 1), where})
            .note(d.rows[hits[0]].span, "the other row");
    }
    for (std::size_t c = classes.size(); c-- > 0;) {
      if (++at[c] < classes[c].size()) break;
      at[c] = 0;
    }
  }
}

}  // namespace kijun::dsl
