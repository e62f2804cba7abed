// Civil dates as day numbers since 1970-01-01 (proleptic Gregorian), years 1..9999.
// Day numbers make date comparison and `± N days` plain integer arithmetic, in the
// interpreter and in generated code alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dsl/support/kernels.hpp"

namespace kijun::dsl {

inline constexpr std::int64_t min_day = kernels::min_day;  // 0001-01-01
inline constexpr std::int64_t max_day = kernels::max_day;  // 9999-12-31

// Is `days` a day of years 1..9999 (what every date of the language is)?
inline constexpr bool is_calendar_day(std::int64_t days) { return days >= min_day && days <= max_day; }

struct Civil {
  std::int32_t year;
  std::int32_t month;
  std::int32_t day;
};

std::int64_t days_from_civil(Civil c);
Civil civil_from_days(std::int64_t days);
bool is_valid_civil(Civil c);
// Parses exactly `YYYY-MM-DD`; nullopt unless it names a real calendar day.
std::optional<std::int64_t> parse_date(std::string_view text);
// YYYY-MM-DD; a day outside years 1..9999 as "day N".
std::string format_date(std::int64_t days);
// Adds months keeping the day of month, clamped to the month's last day (02-29 + 1 year → 02-28).
// nullopt when the result leaves years 1..9999.
std::optional<std::int64_t> add_months(std::int64_t days, std::int64_t months);

}  // namespace kijun::dsl
