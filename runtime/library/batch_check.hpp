// The checks a run makes of the bound columns before native code reads them. Generated
// code trusts what it reads: a zero denominator, an enum code out of range or a bool that
// is not 0 or 1 must never reach it. Checked column by column over a block of rows, in
// loops without calls, so a run of valid rows costs one pass over the block (hot in cache
// for the frame that follows) and nothing per row; only a flagged row is then described,
// by Batch::Impl::why_not.
#pragma once

#include <climits>
#include <cstdint>
#include <vector>

#include "runtime/library/batch_impl.hpp"

namespace kijun {

namespace batch {

struct Check {
  enum class What : std::uint8_t { presence, boolean, range, rate };
  What what = What::presence;
  bool required = false;                  // an absent value is invalid
  const void* values = nullptr;
  const std::int64_t* denoms = nullptr;   // rates
  const std::uint8_t* validity = nullptr;
  std::int64_t lo = INT64_MIN, hi = INT64_MAX;  // ranges

  bool present(std::int64_t r) const { return !validity || ((validity[r >> 3] >> (r & 7)) & 1); }
  bool wrong(std::int64_t r) const {
    switch (what) {
      case What::boolean: return static_cast<const std::uint8_t*>(values)[r] > 1;
      case What::range: {
        auto v = static_cast<const std::int64_t*>(values)[r];
        return v < lo || v > hi;
      }
      case What::rate: return denoms[r] <= 0;
      case What::presence: return false;
    }
    return false;
  }
  bool bad_at(std::int64_t r) const { return required ? !present(r) || wrong(r) : present(r) && wrong(r); }
  // Whether every row of [first, first + n) passes, by reductions over the column: the
  // common case, after which no row is looked at one by one.
  bool clean(std::int64_t first, std::int64_t n) const;
  // Sets bad[i] for each row first + i of [first, first + n) that fails the check.
  void flag(std::int64_t first, std::int64_t n, std::uint8_t* bad) const;
  // Whether any element of [first, last) fails the check.
  bool any_bad(std::int64_t first, std::int64_t last) const {
    for (std::int64_t e = first; e < last; ++e)
      if (bad_at(e)) return true;
    return false;
  }
};

struct Checks {
  std::vector<Check> columns;  // the inputs' and, when it is per row, the as-of day's
  struct List {
    const std::int64_t* offsets;
    std::int64_t min_length, max_length;
    std::vector<Check> fields;
  };
  std::vector<List> lists;
  bool undecidable = false;  // no row has an as-of day
  // Sets bad[i] for each row first + i that cannot be decided.
  void flag(std::int64_t first, std::int64_t n, std::uint8_t* bad) const;
};

}  // namespace batch

}  // namespace kijun
