// Arithmetic written once for every engine: the calendar's day numbers and month steps,
// and the canonical form of an exact fraction. The interpreter and the front end include
// this header (g++); the code generator links the same functions, compiled by clang to
// LLVM bitcode (compiler/backend/helpers.cpp), into every module it emits. One source is
// what makes the engines agree bit for bit here, so this header holds only what both
// compilers translate alike: integer arithmetic on int64 and __int128, no undefined
// behaviour on any input the callers allow, no library calls (but the compiler's own
// 128-bit division, __divti3 and __modti3, which generated code already needs and the JIT
// resolves), no exceptions.
#pragma once

#include <cstdint>

namespace kijun::kernels {

__extension__ using i128 = __int128;

inline constexpr std::int64_t min_day = -719162;  // 0001-01-01
inline constexpr std::int64_t max_day = 2932896;  // 9999-12-31
inline constexpr std::int64_t max_month_step = 120000;  // ±10,000 years: beyond, every result leaves 1..9999

struct Ymd {
  std::int64_t year, month, day;
};

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, day 0 = 1970-01-01).
constexpr std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (m + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr Ymd civil_from_days(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool is_leap_year(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr std::int64_t days_in_month(std::int64_t y, std::int64_t m) {
  if (m == 2) return is_leap_year(y) ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

// `day` + `months`, keeping the day of the month clamped to the month's last day
// (02-29 + 12 months → 02-28). False when the day or the result leaves years 1..9999.
constexpr bool add_months(std::int64_t day, std::int64_t months, std::int64_t* out) {
  if (day < min_day || day > max_day || months < -max_month_step || months > max_month_step) return false;
  Ymd c = civil_from_days(day);
  std::int64_t index = c.year * 12 + (c.month - 1) + months;
  std::int64_t y = index >= 0 ? index / 12 : -((-index + 11) / 12);
  std::int64_t m = index - y * 12 + 1;
  if (y < 1 || y > 9999) return false;
  std::int64_t last = days_in_month(y, m);
  *out = days_from_civil(y, m, c.day > last ? last : c.day);
  return true;
}

// Euclid's algorithm on magnitudes; gcd(0, 0) is 0.
template <typename T>
constexpr T gcd_of_magnitudes(T a, T b) {
  while (b != 0) {
    T t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// The canonical num/den of num/den (den ≠ 0): the sign on the numerator, divided by the
// gcd. False when the reduced parts do not fit in int64 (the operation overflowed). When
// both parts fit in 64 bits (nearly always) the reduction runs in 64-bit instructions;
// 128-bit division is a library call, paid only in the rare large case.
constexpr bool make_rational(i128 num, i128 den, std::int64_t* out_num, std::int64_t* out_den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  if (num > INT64_MIN && num <= INT64_MAX && den <= INT64_MAX) {
    auto n = static_cast<std::int64_t>(num);
    auto d = static_cast<std::int64_t>(den);
    std::int64_t g = gcd_of_magnitudes<std::int64_t>(n < 0 ? -n : n, d);
    if (g < 1) g = 1;
    *out_num = n / g;
    *out_den = d / g;
    return true;
  }
  i128 g = gcd_of_magnitudes<i128>(num < 0 ? -num : num, den);
  if (g < 1) g = 1;
  num /= g;
  den /= g;
  if (num > INT64_MAX || num < INT64_MIN || den > INT64_MAX) return false;
  *out_num = static_cast<std::int64_t>(num);
  *out_den = static_cast<std::int64_t>(den);
  return true;
}

}  // namespace kijun::kernels
