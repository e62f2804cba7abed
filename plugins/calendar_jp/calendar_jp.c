/* calendar_jp: Japan's national holidays (国民の祝日, with 振替休日 and 国民の休日) for 2025
 * and 2026, and the days government offices are open (行政機関の休日に関する法律: not a
 * Saturday, Sunday, national holiday or 12-29 .. 01-03). A native extension for kijun
 * rulesets (include/kijun/extension.h):
 *
 *     extension calendar_jp label "日本の祝日" {
 *       function is_national_holiday(day: date): bool
 *       function business_days_between(start: date, end: date): int
 *     }
 *
 * Dates outside the years the table covers are a fault, never a guess. */
#include "kijun/extension.h"

#define FIRST_YEAR 2025
#define LAST_YEAR 2026

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static const short holidays[][3] = {
    {2025, 1, 1},   {2025, 1, 13},  {2025, 2, 11}, {2025, 2, 23},  {2025, 2, 24}, {2025, 3, 20},  {2025, 4, 29},
    {2025, 5, 3},   {2025, 5, 4},   {2025, 5, 5},  {2025, 5, 6},   {2025, 7, 21}, {2025, 8, 11},  {2025, 9, 15},
    {2025, 9, 23},  {2025, 10, 13}, {2025, 11, 3}, {2025, 11, 23}, {2025, 11, 24},
    {2026, 1, 1},   {2026, 1, 12},  {2026, 2, 11}, {2026, 2, 23},  {2026, 3, 20}, {2026, 4, 29},  {2026, 5, 3},
    {2026, 5, 4},   {2026, 5, 5},   {2026, 5, 6},  {2026, 7, 20},  {2026, 8, 11}, {2026, 9, 21},  {2026, 9, 22},
    {2026, 9, 23},  {2026, 10, 12}, {2026, 11, 3}, {2026, 11, 23},
};

static int covered(int64_t day) {
  return day >= days_from_civil(FIRST_YEAR, 1, 1) && day <= days_from_civil(LAST_YEAR, 12, 31);
}

static int holiday(int64_t day) {
  for (unsigned i = 0; i < sizeof holidays / sizeof *holidays; ++i)
    if (days_from_civil(holidays[i][0], holidays[i][1], holidays[i][2]) == day) return 1;
  return 0;
}

static int office_closed(int64_t day) {
  int64_t weekday = ((day % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
  if (weekday == 0 || weekday == 6 || holiday(day)) return 1;
  for (int64_t y = FIRST_YEAR - 1; y <= LAST_YEAR; ++y)
    if (day >= days_from_civil(y, 12, 29) && day <= days_from_civil(y + 1, 1, 3)) return 1;
  return 0;
}

static int64_t is_national_holiday(const int64_t* args, int32_t* fault) {
  if (!covered(args[0])) return *fault = 1, 0;
  return holiday(args[0]);
}

/* Open days d with start <= d < end. */
static int64_t business_days_between(const int64_t* args, int32_t* fault) {
  int64_t start = args[0], end = args[1];
  if (end < start || !covered(start) || !covered(end - (end > start))) return *fault = 1, 0;
  int64_t count = 0;
  for (int64_t d = start; d < end; ++d) count += !office_closed(d);
  return count;
}

static const uint8_t one_date[] = {KIJUN_DATE};
static const uint8_t two_dates[] = {KIJUN_DATE, KIJUN_DATE};

static const kijun_ext_function functions[] = {
    {"is_national_holiday", 1, one_date, KIJUN_BOOL, is_national_holiday},
    {"business_days_between", 2, two_dates, KIJUN_INT, business_days_between},
};

static const kijun_extension descriptor = {KIJUN_EXTENSION_ABI_VERSION, "calendar_jp", 2, functions};

const kijun_extension* kijun_extension_descriptor(void) { return &descriptor; }
