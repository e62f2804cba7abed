// Exact rational arithmetic with overflow detection. Intermediates are 128-bit; a result
// is reduced by its gcd and must then fit in int64, or the operation reports overflow.
// Reduction makes every result canonical, so two engines that follow these steps agree
// bit for bit.
#pragma once

#include <cstdint>

#include "compiler/ir/value.hpp"
#include "dsl/support/kernels.hpp"

namespace kijun::ir::exact {

using kernels::i128;  // exact 128-bit intermediates (GCC/Clang)

// Builds the canonical num/den from a 128-bit fraction with den != 0
// (dsl/support/kernels.hpp, the same function generated code calls).
inline EvalError make(i128 num, i128 den, Value& out) {
  std::int64_t n, d;
  if (!kernels::make_rational(num, den, &n, &d)) return EvalError::overflow;
  out = {n, d};
  return EvalError::none;
}

inline EvalError add(Value a, Value b, Value& out) {
  if (a.den == 1 && b.den == 1) {
    std::int64_t r;
    if (__builtin_add_overflow(a.num, b.num, &r)) return EvalError::overflow;
    out = Value::of(r);
    return EvalError::none;
  }
  return make(static_cast<i128>(a.num) * b.den + static_cast<i128>(b.num) * a.den, static_cast<i128>(a.den) * b.den, out);
}

inline EvalError sub(Value a, Value b, Value& out) {
  if (a.den == 1 && b.den == 1) {
    std::int64_t r;
    if (__builtin_sub_overflow(a.num, b.num, &r)) return EvalError::overflow;
    out = Value::of(r);
    return EvalError::none;
  }
  return make(static_cast<i128>(a.num) * b.den - static_cast<i128>(b.num) * a.den, static_cast<i128>(a.den) * b.den, out);
}

inline EvalError mul(Value a, Value b, Value& out) {
  if (a.den == 1 && b.den == 1) {
    std::int64_t r;
    if (__builtin_mul_overflow(a.num, b.num, &r)) return EvalError::overflow;
    out = Value::of(r);
    return EvalError::none;
  }
  return make(static_cast<i128>(a.num) * b.num, static_cast<i128>(a.den) * b.den, out);
}

inline EvalError div(Value a, Value b, Value& out) {
  if (b.num == 0) return EvalError::division_by_zero;
  return make(static_cast<i128>(a.num) * b.den, static_cast<i128>(a.den) * b.num, out);
}

inline EvalError neg(Value a, Value& out) {
  if (a.num == INT64_MIN) return EvalError::overflow;
  out = {-a.num, a.den};
  return EvalError::none;
}

// -1, 0, 1. Exact: both cross products fit in 127 bits.
inline int compare(Value a, Value b) {
  i128 l = static_cast<i128>(a.num) * b.den;
  i128 r = static_cast<i128>(b.num) * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

inline std::int64_t floor(Value a) {
  std::int64_t q = a.num / a.den;
  if ((a.num % a.den != 0) && (a.num < 0)) --q;
  return q;
}

inline std::int64_t ceil(Value a) {
  std::int64_t q = a.num / a.den;
  if ((a.num % a.den != 0) && (a.num > 0)) ++q;
  return q;
}

}  // namespace kijun::ir::exact
