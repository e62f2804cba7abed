// Decision tables must be complete and unambiguous: every possible combination of key
// values matches exactly one row. Each key's domain is split into classes (enum values,
// true/false, or integer intervals cut at every bound a row mentions); each row's cells
// become the runs of classes they match, and dsl/table_search.cpp finds the combinations
// of classes that no row, or more than one, matches.
#include <algorithm>
#include <optional>

#include "dsl/checker_impl.hpp"
#include "dsl/support/calendar.hpp"
#include "dsl/table_search.hpp"

namespace kijun::dsl {

namespace {

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

// One key column's classes. Enum and bool columns have a class per value (`starts` empty);
// the others an interval per cut point: class i is starts[i] .. starts[i + 1] - 1 (the
// last ends at `hi`). A cell matches a class when it matches the class's first value.
struct Classes {
  Kind kind = Kind::error;
  std::vector<std::string> names;    // enum and bool columns
  std::vector<std::int64_t> starts;  // interval columns, ascending
  std::int64_t hi = INT64_MAX;

  std::uint32_t size() const { return static_cast<std::uint32_t>(names.empty() ? starts.size() : names.size()); }
  std::string text(std::uint32_t i) const {
    if (!names.empty()) return names[i];
    return interval_text(starts[i], i + 1 < starts.size() ? starts[i + 1] - 1 : hi, kind);
  }
  // The classes whose first value lies in lo..hi.
  std::optional<table_search::Run> within(std::int64_t lo, std::int64_t hi_) const {
    if (!names.empty()) {
      lo = std::max<std::int64_t>(lo, 0), hi_ = std::min<std::int64_t>(hi_, static_cast<std::int64_t>(names.size()) - 1);
      if (lo > hi_) return std::nullopt;
      return table_search::Run{static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi_)};
    }
    auto a = std::lower_bound(starts.begin(), starts.end(), lo), b = std::upper_bound(starts.begin(), starts.end(), hi_);
    if (a >= b) return std::nullopt;
    return table_search::Run{static_cast<std::uint32_t>(a - starts.begin()), static_cast<std::uint32_t>(b - starts.begin() - 1)};
  }
};

// The value of a key cell's constant: a literal of the key's type, an enum value, or `-`
// before an int or yen literal (a range's bounds can be nothing else).
std::int64_t key_value(const Program& p, ExprId e) {
  const Expr& x = p.ast.at(e);
  if (p.refs[e].kind == SymbolRef::Kind::enum_value) return p.refs[e].extra;
  if (auto* b = std::get_if<BoolLit>(&x.node)) return b->value ? 1 : 0;
  if (auto* i = std::get_if<IntLit>(&x.node)) return i->value;
  if (auto* y = std::get_if<YenLit>(&x.node)) return y->value;
  if (auto* day = std::get_if<DateLit>(&x.node)) return day->days;
  if (auto* u = std::get_if<Unary>(&x.node); u && u->op == UnOp::neg) return -key_value(p, u->operand);
  return 0;
}

// A range cell's first and last value; nullopt when it has none (`> 9223372036854775807`).
std::optional<std::pair<std::int64_t, std::int64_t>> range_of(const Program& p, const TableCell& cell) {
  std::int64_t lo = cell.lo == no_expr ? INT64_MIN : key_value(p, cell.lo);
  std::int64_t hi = cell.hi == no_expr ? INT64_MAX : key_value(p, cell.hi);
  if (cell.lo != no_expr && cell.lo_open) {  // `> 3` starts at 4
    if (lo == INT64_MAX) return std::nullopt;
    ++lo;
  }
  if (cell.hi != no_expr && cell.hi_open) {  // `< 4` ends at 3
    if (hi == INT64_MIN) return std::nullopt;
    --hi;
  }
  return std::make_pair(lo, hi);
}

// The classes of key column c: its values, or its domain (the input's declared range, or
// every date or 64-bit number) cut wherever some row's cell starts matching or stops.
Classes classes_of(const Program& p, const TableInfo& t, std::size_t c) {
  const TableDecl& d = *t.decl;
  Type kt = t.key_types[c];
  Classes out;
  out.kind = kt.kind;
  if (kt.kind == Kind::enumeration) {
    out.names = p.enums[kt.enum_id].values;
    return out;
  }
  if (kt.kind == Kind::bool_) {
    out.names = {"false", "true"};
    return out;
  }
  std::int64_t lo = INT64_MIN, hi = INT64_MAX;
  if (kt.kind == Kind::date) lo = min_day, hi = max_day;
  if (p.refs[d.keys[c]].kind == SymbolRef::Kind::input) {
    auto& in = p.inputs[p.refs[d.keys[c]].index];
    lo = in.min.value_or(lo);
    hi = in.max.value_or(hi);
  }
  std::vector<std::int64_t> cuts{lo};
  auto cut = [&](std::int64_t v) {
    if (v > lo && v <= hi) cuts.push_back(v);
  };
  for (auto& row : d.rows) {
    auto& cell = row.keys[c];
    for (auto v : cell.values) {
      std::int64_t x = key_value(p, v);
      cut(x);
      if (x < INT64_MAX) cut(x + 1);
    }
    if (cell.kind != TableCell::Kind::range) continue;
    if (auto r = range_of(p, cell)) {
      cut(r->first);
      if (r->second < INT64_MAX) cut(r->second + 1);
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  out.starts = std::move(cuts);
  out.hi = hi;
  return out;
}

// Each row's cells as the runs of classes they match.
table_search::Space space_of(const Program& p, const TableDecl& d, const std::vector<Classes>& classes) {
  table_search::Space space;
  space.rows = static_cast<std::uint32_t>(d.rows.size());
  for (auto& cl : classes) space.classes.push_back(cl.size());
  space.cells.resize(d.keys.size());
  for (std::size_t c = 0; c < d.keys.size(); ++c) {
    for (auto& row : d.rows) {
      const TableCell& cell = row.keys[c];
      auto& runs = space.cells[c].emplace_back();
      auto add = [&](std::optional<table_search::Run> run) {
        if (run) runs.push_back(*run);
      };
      if (cell.kind == TableCell::Kind::any) add(table_search::Run{0, UINT32_MAX});
      for (auto v : cell.values) add(classes[c].within(key_value(p, v), key_value(p, v)));
      if (cell.kind == TableCell::Kind::range)
        if (auto r = range_of(p, cell)) add(classes[c].within(r->first, r->second));
    }
  }
  return space;
}

}  // namespace

void Checker::check_table_coverage(std::uint32_t index) {
  auto& t = p_.tables[index];
  const TableDecl& d = *t.decl;
  std::vector<Classes> classes;
  for (std::size_t c = 0; c < d.keys.size(); ++c) classes.push_back(classes_of(p_, t, c));
  auto result = table_search::search(space_of(p_, d, classes));
  if (result.exhausted) {
    diags_.report(Diag::table_too_complex, d.name.span, {d.name.name, std::to_string(table_search::max_steps)})
        .with_hint("split it into tables of fewer rows, or key it by fewer columns");
    return;
  }
  for (auto& f : result.findings) {
    std::string where;
    for (std::size_t c = 0; c < classes.size(); ++c) {
      if (c) where += ", ";
      where += std::string(src_.text(p_.ast.at(d.keys[c]).span)) + " = " + classes[c].text(f.at[c]);
    }
    if (!f.overlap)
      diags_.report(Diag::table_gap, d.name.span, {d.name.name, where}).with_hint("add a row for it, or widen a row with `-` or a range");
    else
      diags_.report(Diag::table_overlap, d.rows[f.second].span, {d.name.name, std::to_string(f.first + 1), std::to_string(f.second + 1), where})
          .note(d.rows[f.first].span, "the other row");
  }
}

}  // namespace kijun::dsl
