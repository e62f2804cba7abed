// The search of a table's key space (dsl/table_search.hpp).
//
// search(c, R), for the rows R that cover a combination's classes in the columns before c,
// gives the first gaps and the first overlaps among the combinations of columns c.. in
// their order. A sweep over column c's classes cuts them into segments [from, to) over
// which the same rows of R apply; every class x of a segment has the same findings in the
// later columns, so the segment's findings are those, each behind x, for x in order, and
// only the first few are kept. Hence the result is exactly what testing every row against
// every combination, in order, would find first.
//
// Before the last two columns, the rows of each segment are searched in the next column
// (partition). For the last two, one sweep over the second-to-last column keeps, in a
// segment tree over the last column's classes, how many of the rows entered cover each
// class; each segment's gaps are the classes it counts 0, its overlaps those it counts 2
// or more (pairs). A table of one column is searched as two, the first of one class.
#include "dsl/table_search.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace kijun::dsl::table_search {

namespace {

using Rows = std::vector<std::uint32_t>;  // row indices, ascending

struct Overlap {
  std::vector<std::uint32_t> at;
  std::uint32_t first, second;
};

// Findings of one sub-space, each list in the order of its combinations (suffixes of them).
struct Found {
  std::vector<std::vector<std::uint32_t>> gaps;
  std::vector<Overlap> overlaps;
  bool full() const { return gaps.size() >= max_findings && overlaps.size() >= max_findings; }
};

struct Event {
  std::uint32_t at;  // the class where the row starts or stops covering
  std::uint32_t row;
  bool start;
};

struct RowsHash {
  std::size_t operator()(const Rows& rows) const {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the row indices
    for (auto r : rows) h = (h ^ r) * 1099511628211ull;
    return static_cast<std::size_t>(h);
  }
};

std::vector<std::uint32_t> prepend(std::uint32_t x, const std::vector<std::uint32_t>& rest) {
  std::vector<std::uint32_t> out{x};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

// Appends sub's findings behind each class of [from, to), in order, until out is full.
void extend(Found& out, std::uint32_t from, std::uint32_t to, const Found& sub) {
  for (std::uint32_t x = from; x < to; ++x) {
    bool gaps = out.gaps.size() < max_findings && !sub.gaps.empty();
    bool overlaps = out.overlaps.size() < max_findings && !sub.overlaps.empty();
    if (!gaps && !overlaps) return;
    for (std::size_t i = 0; i < sub.gaps.size() && out.gaps.size() < max_findings; ++i) out.gaps.push_back(prepend(x, sub.gaps[i]));
    for (std::size_t i = 0; i < sub.overlaps.size() && out.overlaps.size() < max_findings; ++i)
      out.overlaps.push_back({prepend(x, sub.overlaps[i].at), sub.overlaps[i].first, sub.overlaps[i].second});
  }
}

// Sorted, with overlapping and adjacent runs merged, so that a row never stops and starts
// covering at the same class of a sweep.
std::vector<Run> normalized(std::vector<Run> runs, std::uint32_t classes) {
  std::vector<Run> out;
  std::sort(runs.begin(), runs.end());
  for (auto [lo, hi] : runs) {
    hi = std::min(hi, classes - 1);
    if (lo > hi) continue;
    if (!out.empty() && lo <= out.back().second + 1)
      out.back().second = std::max(out.back().second, hi);
    else
      out.push_back({lo, hi});
  }
  return out;
}

bool covers(const std::vector<Run>& runs, std::uint32_t x) {
  auto it = std::upper_bound(runs.begin(), runs.end(), Run{x, UINT32_MAX});
  return it != runs.begin() && std::prev(it)->second >= x;
}

// How many rows cover each class of a column: adds over ranges of classes, and the first
// class from some class on that no row covers, or that two or more do. Each node keeps
// what was added over its whole range and the least and greatest count under it.
class Counts {
public:
  explicit Counts(std::uint32_t size) : size_(size), add_(4 * std::size_t{size}), min_(add_.size()), max_(add_.size()) {}
  void add(std::uint32_t lo, std::uint32_t hi, int delta) { add(1, 0, size_ - 1, lo, hi, delta); }
  // The first class ≥ from counted 0 (gap) or ≥ 2 (overlap); size() if none.
  std::uint32_t first(std::uint32_t from, bool overlap) const { return first(1, 0, size_ - 1, from, overlap, 0); }
  std::uint32_t size() const { return size_; }

private:
  void add(std::size_t node, std::uint32_t l, std::uint32_t r, std::uint32_t lo, std::uint32_t hi, int delta) {
    if (hi < l || r < lo) return;
    if (lo <= l && r <= hi) {
      add_[node] += delta, min_[node] += delta, max_[node] += delta;
      return;
    }
    std::uint32_t m = l + (r - l) / 2;
    add(2 * node, l, m, lo, hi, delta);
    add(2 * node + 1, m + 1, r, lo, hi, delta);
    min_[node] = add_[node] + std::min(min_[2 * node], min_[2 * node + 1]);
    max_[node] = add_[node] + std::max(max_[2 * node], max_[2 * node + 1]);
  }
  std::uint32_t first(std::size_t node, std::uint32_t l, std::uint32_t r, std::uint32_t from, bool overlap, int above) const {
    bool some = overlap ? above + max_[node] >= 2 : above + min_[node] == 0;
    if (r < from || !some) return size_;
    if (l == r) return l;
    std::uint32_t m = l + (r - l) / 2;
    std::uint32_t x = first(2 * node, l, m, from, overlap, above + add_[node]);
    return x != size_ ? x : first(2 * node + 1, m + 1, r, from, overlap, above + add_[node]);
  }

  std::uint32_t size_;
  std::vector<int> add_, min_, max_;
};

class Search {
public:
  Search(const Space& space, std::uint64_t budget);
  Found search(std::size_t column, const Rows& rows);
  bool exhausted() const { return steps_ > budget_; }

private:
  std::vector<Event> events(std::size_t column, const Rows& rows);
  Found partition(std::size_t column, const Rows& rows);
  Found pairs(std::size_t column, const Rows& rows);
  Found last_column(std::size_t column, const Rows& rows, std::uint32_t x, const Found& out) const;

  std::vector<std::uint32_t> classes_;
  std::vector<std::vector<std::vector<Run>>> cells_;  // normalized
  std::vector<std::unordered_map<Rows, Found, RowsHash>> memo_;  // per column
  Counts counts_;  // over the last column; every pairs() sweep leaves it all 0
  std::uint64_t budget_, steps_ = 0;
};

Search::Search(const Space& space, std::uint64_t budget)
    : classes_(space.classes), memo_(space.classes.size()), counts_(space.classes.back()), budget_(budget) {
  cells_.resize(space.cells.size());
  for (std::size_t c = 0; c < space.cells.size(); ++c)
    for (const auto& runs : space.cells[c]) cells_[c].push_back(normalized(runs, classes_[c]));
}

std::vector<Event> Search::events(std::size_t column, const Rows& rows) {
  std::vector<Event> out;
  for (auto r : rows)
    for (auto [lo, hi] : cells_[column][r]) {
      out.push_back({lo, r, true});
      out.push_back({hi + 1, r, false});
    }
  steps_ += out.size();
  std::sort(out.begin(), out.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
  return out;
}

Found Search::search(std::size_t column, const Rows& rows) {
  auto& memo = memo_[column];
  if (auto it = memo.find(rows); it != memo.end()) return it->second;
  Found out = column + 2 < classes_.size() ? partition(column, rows) : pairs(column, rows);
  if (!exhausted()) memo.emplace(rows, out);
  return out;
}

Found Search::partition(std::size_t column, const Rows& rows) {
  Found out;
  auto ev = events(column, rows);
  std::set<std::uint32_t> active;
  std::size_t next = 0;
  for (std::uint32_t from = 0; from < classes_[column] && !out.full() && !exhausted();) {
    for (; next < ev.size() && ev[next].at == from; ++next) {
      if (ev[next].start) active.insert(ev[next].row);
      else active.erase(ev[next].row);
    }
    std::uint32_t to = next < ev.size() ? std::min(ev[next].at, classes_[column]) : classes_[column];
    Rows sub(active.begin(), active.end());
    steps_ += sub.size() + 1;
    extend(out, from, to, search(column + 1, sub));
    from = to;
  }
  return out;
}

Found Search::pairs(std::size_t column, const Rows& rows) {
  Found out;
  auto ev = events(column, rows);
  std::size_t next = 0;
  auto apply = [&](const Event& e) {
    for (auto [lo, hi] : cells_[column + 1][e.row]) counts_.add(lo, hi, e.start ? 1 : -1);
    steps_ += cells_[column + 1][e.row].size();
  };
  for (std::uint32_t from = 0; from < classes_[column] && !out.full() && !exhausted();) {
    for (; next < ev.size() && ev[next].at == from; ++next) apply(ev[next]);
    std::uint32_t to = next < ev.size() ? std::min(ev[next].at, classes_[column]) : classes_[column];
    ++steps_;
    extend(out, from, to, last_column(column, rows, from, out));
    from = to;
  }
  for (; next < ev.size(); ++next) apply(ev[next]);  // back to all 0 for the next sweep
  return out;
}

// The first findings in the last column, where the counts are those of class x of the
// column before it; no more than `out` still takes.
Found Search::last_column(std::size_t column, const Rows& rows, std::uint32_t x, const Found& out) const {
  Found sub;
  for (std::uint32_t y = 0; sub.gaps.size() + out.gaps.size() < max_findings; ++y) {
    if ((y = counts_.first(y, false)) == counts_.size()) break;
    sub.gaps.push_back({y});
  }
  for (std::uint32_t y = 0; sub.overlaps.size() + out.overlaps.size() < max_findings; ++y) {
    if ((y = counts_.first(y, true)) == counts_.size()) break;
    // Which rows: the two of lowest index that cover both classes. Looked for a few times
    // per sweep at most, as each time fills one of the few overlaps kept.
    Overlap o{{y}, 0, 0};
    int seen = 0;
    for (std::size_t i = 0; i < rows.size() && seen < 2; ++i)
      if (covers(cells_[column][rows[i]], x) && covers(cells_[column + 1][rows[i]], y)) (seen++ ? o.second : o.first) = rows[i];
    sub.overlaps.push_back(std::move(o));
  }
  return sub;
}

}  // namespace

Result search(const Space& space, std::uint64_t budget) {
  Result result;
  if (space.classes.empty()) {  // one combination, the empty one, which every row covers
    if (space.rows == 0) result.findings.push_back({{}, false, 0, 0});
    if (space.rows > 1) result.findings.push_back({{}, true, 0, 1});
    return result;
  }
  if (std::count(space.classes.begin(), space.classes.end(), 0u)) return result;  // no combination at all
  if (space.classes.size() == 1) {  // as two columns, the first of one class every row covers
    Space two = space;
    two.classes.insert(two.classes.begin(), 1);
    two.cells.insert(two.cells.begin(), std::vector<std::vector<Run>>(space.rows, {Run{0, 0}}));
    result = search(two, budget);
    for (auto& f : result.findings) f.at.erase(f.at.begin());
    return result;
  }
  Search s(space, budget);
  Rows rows(space.rows);
  for (std::uint32_t r = 0; r < rows.size(); ++r) rows[r] = r;
  Found found = s.search(0, rows);
  if (s.exhausted()) {
    result.exhausted = true;
    return result;
  }
  for (auto& g : found.gaps) result.findings.push_back({std::move(g), false, 0, 0});
  for (auto& o : found.overlaps) result.findings.push_back({std::move(o.at), true, o.first, o.second});
  std::stable_sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) { return a.at < b.at; });
  return result;
}

}  // namespace kijun::dsl::table_search
