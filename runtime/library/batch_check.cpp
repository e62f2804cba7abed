// The checks of a run (batch_check.hpp): built once per run from the bound columns, made
// block by block; and the message of a row they flag.
#include "runtime/library/batch_check.hpp"

#include <algorithm>
#include <cstring>

#include "dsl/support/calendar.hpp"

namespace kijun {

namespace {

// One loop per kind of check and per presence of a bitmap, so each is a plain loop over
// the column.
template <batch::Check::What W>
void flag_as(const batch::Check& c, std::int64_t first, std::int64_t n, std::uint8_t* bad) {
  batch::Check k = c;
  k.what = W;
  if (!k.validity) {
    for (std::int64_t i = 0; i < n; ++i) bad[i] |= k.wrong(first + i);
    return;
  }
  if (k.required)
    for (std::int64_t i = 0; i < n; ++i) bad[i] |= !k.present(first + i) | k.wrong(first + i);
  else
    for (std::int64_t i = 0; i < n; ++i) bad[i] |= k.present(first + i) & k.wrong(first + i);
}

}  // namespace

bool batch::Check::clean(std::int64_t first, std::int64_t n) const {
  // Values first, ignoring presence (an absent row's value may be anything, and is then
  // looked at again): reductions without branches, which the compiler vectorises.
  bool wrong = false;
  switch (what) {
    case What::boolean: {
      // Eight values a word: any bit but the lowest of a byte set is a value above 1.
      const auto* v = static_cast<const std::uint8_t*>(values) + first;
      std::uint64_t acc = 0;
      std::int64_t i = 0;
      for (; i + 8 <= n; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, v + i, sizeof word);
        acc |= word;
      }
      for (; i < n; ++i) acc |= v[i];
      wrong = (acc & 0xFEFEFEFEFEFEFEFEull) != 0;
      break;
    }
    case What::range: {
      if (hi < lo) return n == 0;  // an enum of no values: every present value is wrong
      const auto* v = static_cast<const std::int64_t*>(values) + first;
      // v outside [lo, hi] is v - lo above hi - lo, in unsigned arithmetic.
      auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
      std::uint64_t acc = 0;
      for (std::int64_t i = 0; i < n; ++i) acc |= static_cast<std::uint64_t>(static_cast<std::uint64_t>(v[i]) - static_cast<std::uint64_t>(lo) > span);
      wrong = acc != 0;
      break;
    }
    case What::rate: {
      const auto* d = denoms + first;
      std::int64_t least = INT64_MAX;
      for (std::int64_t i = 0; i < n; ++i) least = std::min(least, d[i]);
      wrong = n > 0 && least <= 0;
      break;
    }
    case What::presence: break;
  }
  if (wrong) return false;
  if (!required || !validity) return true;
  // Every row present: whole bytes of the bitmap all ones, the partial ones at the edges bit by bit.
  std::int64_t r = first, end = first + n;
  for (; r < end && (r & 7); ++r)
    if (!present(r)) return false;
  std::uint8_t all = 0xFF;
  for (; r + 8 <= end; r += 8) all &= validity[r >> 3];
  if (all != 0xFF) return false;
  for (; r < end; ++r)
    if (!present(r)) return false;
  return true;
}

void batch::Check::flag(std::int64_t first, std::int64_t n, std::uint8_t* bad) const {
  using W = What;
  if (clean(first, n)) return;
  switch (what) {
    case W::presence: return flag_as<W::presence>(*this, first, n, bad);
    case W::boolean: return flag_as<W::boolean>(*this, first, n, bad);
    case W::range: return flag_as<W::range>(*this, first, n, bad);
    case W::rate: return flag_as<W::rate>(*this, first, n, bad);
  }
}

void batch::Checks::flag(std::int64_t first, std::int64_t n, std::uint8_t* bad) const {
  if (undecidable) return void(std::fill(bad, bad + n, std::uint8_t{1}));
  for (const auto& c : columns) c.flag(first, n, bad);
  for (const auto& l : lists)
    for (std::int64_t i = 0; i < n; ++i) {
      std::int64_t b = l.offsets[first + i], e = l.offsets[first + i + 1];
      if (b < 0 || e < b || e - b < l.min_length || e - b > l.max_length) {
        bad[i] = 1;
        continue;
      }
      for (const auto& f : l.fields)
        if (f.any_bad(b, e)) {
          bad[i] = 1;
          break;
        }
    }
}

namespace {

// The check of one input's (or one field's) bound column.
batch::Check check_of(const ir::Ruleset& rs, const ir::Input& in, const void* values, const std::int64_t* denoms,
                            const std::uint8_t* validity) {
  using W = batch::Check::What;
  batch::Check c;
  c.required = !in.type.optional;
  c.values = values, c.denoms = denoms, c.validity = validity;
  switch (in.type.kind) {
    case dsl::Kind::bool_: c.what = W::boolean; break;
    case dsl::Kind::rate: c.what = W::rate; break;
    case dsl::Kind::enumeration:
      c.what = W::range, c.lo = 0, c.hi = static_cast<std::int64_t>(rs.enums[in.type.enum_id].values.size()) - 1;
      break;
    case dsl::Kind::date: c.what = W::range, c.lo = dsl::min_day, c.hi = dsl::max_day; break;
    default:
      if (in.min || in.max) c.what = W::range, c.lo = in.min.value_or(INT64_MIN), c.hi = in.max.value_or(INT64_MAX);
  }
  return c;
}

bool needed(const batch::Check& c) {
  return c.what != batch::Check::What::presence || (c.required && c.validity);
}

}  // namespace

batch::Checks Batch::Impl::checks() const {
  const auto& rs = engine->ruleset();
  batch::Checks out;
  for (auto s : rs.frames[frame].inputs) {
    const auto& in = rs.inputs[s];
    if (in.type.kind == dsl::Kind::text) continue;
    if (in.type.kind != dsl::Kind::list) {
      if (auto c = check_of(rs, in, values[s], denoms[s], validity[s]); needed(c)) out.columns.push_back(c);
      continue;
    }
    batch::Checks::List l{static_cast<const std::int64_t*>(values[s]), in.min_length, in.max_length, {}};
    const auto& fields = rs.records[in.type.enum_id].fields;
    for (std::size_t f = 0; f < fields.size(); ++f)
      if (fields[f].type.kind != dsl::Kind::text)
        if (auto c = check_of(rs, fields[f], lists[s].values[f], lists[s].denoms[f], lists[s].validity[f]); needed(c))
          l.fields.push_back(c);
    out.lists.push_back(std::move(l));
  }
  // A per-row as-of day: within the calendar and on or after the first version.
  std::int64_t first_version = INT64_MAX;
  for (const auto& v : rs.versions) first_version = std::min(first_version, v.date);
  batch::Check day{batch::Check::What::range, true, nullptr, nullptr, nullptr, std::max(dsl::min_day, first_version), dsl::max_day};
  if (as_of_day) return out;
  if (as_of_rows) day.values = as_of_rows;
  else if (rs.as_of_input < rs.inputs.size() && values[rs.as_of_input])
    day.values = values[rs.as_of_input], day.validity = validity[rs.as_of_input];
  else
    return out.undecidable = true, out;
  out.columns.push_back(day);
  return out;
}

std::string Batch::Impl::why_not(std::int64_t row) const {
  const auto& rs = engine->ruleset();
  if (auto why = check(row); !why.empty()) return why;
  std::int64_t day = as_of_day ? *as_of_day
                   : as_of_rows ? as_of_rows[row]
                   : rs.as_of_input < rs.inputs.size() && values[rs.as_of_input] && present(rs.as_of_input, row)
                       ? value(rs.as_of_input, row).num
                       : INT64_MIN;
  if (day == INT64_MIN) return "as_of: no as-of date";
  if (day < dsl::min_day || day > dsl::max_day)
    return "as_of: day " + std::to_string(day) + " is outside the calendar (0001-01-01 to 9999-12-31)";
  if (!rs.version_on(day)) return "as_of: " + dsl::format_date(day) + " is before the ruleset's first version";
  return "";
}

}  // namespace kijun
