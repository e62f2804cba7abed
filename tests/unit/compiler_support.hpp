// What the compiler stage's test files share (compiler_tests.cpp, image_tests.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "dsl/support/calendar.hpp"

namespace kijun::testing {

// The inputs the compiler tests' rulesets read.
inline const std::string compiler_schema =
    "input staff: int >= 0 label \"s\"\n"
    "input cost_yen: yen >= 0 yen label \"c\"\n"
    "input capital_yen: yen? label \"k\"\n"
    "input since: date? label \"d\"\n";

// The day number of a date written YYYY-MM-DD.
inline std::int64_t day(const char* text) { return *dsl::parse_date(text); }

}  // namespace kijun::testing
