// The columnar batch that compiled frame functions read and write. Plain C layout: the
// same structs are the JIT's calling convention, the plugin ABI's, and the C API's.
//
// Inputs, one column per input slot of the ruleset (null for slots the frame never reads):
//   bool                      uint8_t[rows]   0 or 1
//   int, yen, date, enum      int64_t[rows]   value; day number; value index
//   rate                      int64_t[rows] numerators and int64_t[rows] denominators (> 0)
//   optional                  plus a validity bitmap: bit i (LSB first) of byte i/8 set = present
// Outputs, one entry per row, except the rule bitsets which hold `words` uint64 per row:
//   bit k of a row's words refers to the frame's k-th rule.
#pragma once

#include <cstdint>

extern "C" {

typedef struct kijun_batch_in {
  int64_t rows;
  const void* const* values;      // per input slot
  const int64_t* const* denoms;   // per input slot, rate inputs only
  const uint8_t* const* validity; // per input slot, null = every row present
  const int64_t* as_of;           // per-row as-of day, or null to use `as_of_day`
  int64_t as_of_day;
} kijun_batch_in;

typedef struct kijun_batch_out {
  uint8_t* eligible;
  int64_t* amount;          // as computed, whether or not eligible
  int64_t* rate_num;
  int64_t* rate_den;
  int64_t* bonus_points;
  int64_t* penalty_points;
  uint64_t* failed;         // rows × words: requirement/limit not met, exclusion hit
  uint64_t* scored;         // rows × words: bonus or penalty awarded
  uint8_t* error;           // kijun::ir::EvalError; 0 = none
  int32_t* error_rule;      // frame position of the rule, or -1
  uint32_t* error_site;     // IR node id, or def index | 0x80000000 (no value in force)
} kijun_batch_out;

typedef void (*kijun_frame_fn)(const kijun_batch_in* in, kijun_batch_out* out, int64_t begin, int64_t end);

}  // extern "C"

namespace kijun::ir {
inline constexpr std::uint32_t def_site_flag = 0x80000000u;
// uint64 words per row of a frame's rule bitsets.
inline std::uint32_t bitset_words(std::size_t rules) { return static_cast<std::uint32_t>((rules + 63) / 64); }
}  // namespace kijun::ir
