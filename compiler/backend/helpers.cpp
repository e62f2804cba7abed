// The functions generated code calls rather than spells out in IR: the kernels of
// dsl/support/kernels.hpp, which the interpreter runs too. This file is not part of the
// back end's C++ build: clang compiles it to LLVM bitcode (compiler/CMakeLists.txt), the
// bitcode is embedded in the back end, and codegen_helpers.cpp makes each module it emits
// from it. So a date's month step and a fraction's canonical form have one source, and the
// engines agree on them because they run the same function.
#include <cstdint>

#include "dsl/support/kernels.hpp"

extern "C" {

// day + months, clamped to the month's end; false: the date leaves years 1..9999.
bool kijun_add_months(std::int64_t day, std::int64_t months, std::int64_t* out) {
  return kijun::kernels::add_months(day, months, out);
}

// num/den reduced, the sign on num; false: a part does not fit in int64 (overflow). The
// 128-bit parts come as halves (low, high): the ABI passes __int128 so, and spelling it
// out keeps the function's type the same whatever a target's ABI does with __int128.
bool kijun_make_rational(std::uint64_t num_lo, std::int64_t num_hi, std::uint64_t den_lo, std::int64_t den_hi,
                         std::int64_t* out_num, std::int64_t* out_den) {
  using kijun::kernels::i128;
  i128 num = static_cast<i128>(static_cast<unsigned __int128>(num_hi) << 64 | num_lo);
  i128 den = static_cast<i128>(static_cast<unsigned __int128>(den_hi) << 64 | den_lo);
  return kijun::kernels::make_rational(num, den, out_num, out_den);
}

}
