// The search behind the completeness check of decision tables (dsl/table_coverage.cpp),
// apart from the language: a table's key space is the product of its columns' classes
// (enum values, true/false, integer intervals that no row bound cuts), and each row covers,
// in each column, a set of classes. The search finds the combinations of classes no row
// covers (gaps) and those two or more rows cover (overlaps).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace kijun::dsl::table_search {

// Classes first..last of one column, inclusive.
using Run = std::pair<std::uint32_t, std::uint32_t>;

struct Space {
  std::uint32_t rows = 0;
  std::vector<std::uint32_t> classes;                // per column: how many classes it has
  std::vector<std::vector<std::vector<Run>>> cells;  // [column][row]: the classes the row covers, in any order
};

// One combination of classes (one class index per column): a gap, or an overlap of the
// two rows of lowest index that cover it.
struct Finding {
  std::vector<std::uint32_t> at;
  bool overlap = false;
  std::uint32_t first = 0, second = 0;
};

struct Result {
  // The first max_findings gaps and the first max_findings overlaps, merged, in the order
  // of the combinations (the first column slowest, the last fastest).
  std::vector<Finding> findings;
  bool exhausted = false;  // the budget ran out first; findings is empty
};

// Gaps and overlaps reported per table: a few examples say what is wrong; a thousand
// would bury it.
inline constexpr std::size_t max_findings = 3;

// The work of one table's search, in steps: a row's run of classes entering or leaving a
// sweep or counted over the last column, a segment of a sweep, a row carried into the
// search of the next column. A table of 30,000 rows keyed by a range and an enum takes
// about 130,000. Past the budget the table is refused (K0306) rather than the checker
// running for minutes; it takes about a second to reach.
inline constexpr std::uint64_t max_steps = 20'000'000;

// Sweeps the key space column by column (see table_search.cpp). A table of one or two key
// columns takes time in the order of n log n, n its number of rows when each cell is a
// value, a range or `-` (a row listing values in both columns counts as their product).
// With more columns, each segment of an earlier column's sweep
// carries its rows into the next column: rows that cross many others in the earlier
// columns (a `-` beside thousands of distinct values) multiply the work, hence the budget.
Result search(const Space& space, std::uint64_t budget = max_steps);

}  // namespace kijun::dsl::table_search
