#include "dsl/support/calendar.hpp"

#include <cstdio>

namespace kijun::dsl {

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t days_from_civil(Civil c) {
  std::int64_t y = c.year - (c.month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (c.month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + c.day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int32_t>(y + (m <= 2 ? 1 : 0)), static_cast<std::int32_t>(m), static_cast<std::int32_t>(d)};
}

namespace {
int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}
}  // namespace

bool is_valid_civil(Civil c) {
  return c.year >= 1 && c.year <= 9999 && c.month >= 1 && c.month <= 12 && c.day >= 1 &&
         c.day <= days_in_month(c.year, c.month);
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
  auto c = civil_from_days(days);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::optional<std::int64_t> add_months(std::int64_t days, std::int64_t months) {
  if (days < min_day || days > max_day || months < -120000 || months > 120000) return std::nullopt;
  auto c = civil_from_days(days);
  std::int64_t index = static_cast<std::int64_t>(c.year) * 12 + (c.month - 1) + months;
  std::int64_t y = index >= 0 ? index / 12 : -((-index + 11) / 12);
  auto m = static_cast<int>(index - y * 12) + 1;
  if (y < 1 || y > 9999) return std::nullopt;
  int d = c.day;
  int last = days_in_month(static_cast<int>(y), m);
  if (d > last) d = last;
  return days_from_civil({static_cast<std::int32_t>(y), m, d});
}

}  // namespace kijun::dsl
