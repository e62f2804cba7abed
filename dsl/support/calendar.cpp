#include "dsl/support/calendar.hpp"

#include <cstdio>

#include "dsl/support/kernels.hpp"

namespace kijun::dsl {

// The arithmetic itself is dsl/support/kernels.hpp, shared with generated code.
std::int64_t days_from_civil(Civil c) { return kernels::days_from_civil(c.year, c.month, c.day); }

Civil civil_from_days(std::int64_t z) {
  auto c = kernels::civil_from_days(z);
  return {static_cast<std::int32_t>(c.year), static_cast<std::int32_t>(c.month), static_cast<std::int32_t>(c.day)};
}

bool is_valid_civil(Civil c) {
  return c.year >= 1 && c.year <= 9999 && c.month >= 1 && c.month <= 12 && c.day >= 1 &&
         c.day <= kernels::days_in_month(c.year, c.month);
}

std::optional<std::int64_t> parse_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto num = [&](std::size_t at, std::size_t n) -> int {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  Civil c{num(0, 4), num(5, 2), num(8, 2)};
  if (!is_valid_civil(c)) return std::nullopt;
  return days_from_civil(c);
}

std::string format_date(std::int64_t days) {
  // No calendar date: said as a day number rather than computed into nonsense (or, far
  // enough out, into signed overflow). Only a damaged image could hold one.
  if (!is_calendar_day(days)) return "day " + std::to_string(days);
  auto c = civil_from_days(days);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::optional<std::int64_t> add_months(std::int64_t days, std::int64_t months) {
  std::int64_t out;
  if (!kernels::add_months(days, months, &out)) return std::nullopt;
  return out;
}

}  // namespace kijun::dsl
