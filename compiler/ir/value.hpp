// Run-time values and evaluation errors, shared by the interpreter and generated code.
//
// Every value is two int64 words. Numbers (int, yen, exact yen, rate) are reduced
// rationals num/den with den ≥ 1; int and yen have den == 1. bool, date (day number) and
// enum (value index) use num with den == 1. den == 0 marks an absent optional.
#pragma once

#include <cstdint>

namespace kijun::ir {

struct Value {
  std::int64_t num = 0;
  std::int64_t den = 1;

  static constexpr Value of(std::int64_t n) { return {n, 1}; }
  static constexpr Value absent() { return {0, 0}; }
  constexpr bool present() const { return den != 0; }
  friend constexpr bool operator==(const Value&, const Value&) = default;
};

// Defined evaluation errors: identical codes from the interpreter and the JIT.
enum class EvalError : std::uint8_t {
  none = 0,
  overflow,           // a result does not fit 64-bit exact arithmetic
  division_by_zero,
  no_value_in_force,  // a definition has no version in force on the as-of date
  date_out_of_range,  // date arithmetic left years 1..9999
  table_no_match,     // no row of a decision table matched
  missing_value,      // an absent optional reached a place that needs a value
  extension_fault,    // a native extension function could not answer
};

const char* error_name(EvalError e);
bool error_from_name(const char* name, EvalError& out);

}  // namespace kijun::ir
