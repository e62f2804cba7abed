/* The columnar batch that compiled frames read and write: the calling convention of JIT
 * code, of ahead-of-time plugins, and of the C API. Plain C.
 *
 * Inputs, one column per input slot of the ruleset (NULL for slots the frame never reads):
 *   bool                      uint8_t[rows]   0 or 1
 *   int, yen, date, enum      int64_t[rows]   value; day number since 1970-01-01; value index
 *   rate                      int64_t[rows] numerators and int64_t[rows] denominators (> 0)
 *   optional                  plus a validity bitmap: bit i (LSB first) of byte i/8 set = present
 *   list of a record          int64_t[rows + 1] offsets: row i's elements are offsets[i] ..
 *                             offsets[i + 1] - 1 (Arrow's large-list layout), and in `lists`,
 *                             one column per field of the record, laid out as an input's,
 *                             indexed by element
 * Outputs, one entry per row, except the rule bitsets, which hold `words` uint64_t per row
 * (words = (rules of the frame + 63) / 64); bit k refers to the frame's k-th rule. */
#ifndef KIJUN_BATCH_H
#define KIJUN_BATCH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The elements of a list input: one column per field of its record, in declaration order. */
typedef struct kijun_batch_list {
  const void* const* values;      /* per field */
  const int64_t* const* denoms;   /* per field, rate fields only */
  const uint8_t* const* validity; /* per field, NULL = every element present */
} kijun_batch_list;

typedef struct kijun_batch_in {
  int64_t rows;
  const void* const* values;      /* per input slot */
  const int64_t* const* denoms;   /* per input slot, rate inputs only */
  const uint8_t* const* validity; /* per input slot, NULL = every row present */
  const int64_t* as_of;           /* per-row as-of day, or NULL to use as_of_day */
  int64_t as_of_day;
  const kijun_batch_list* lists;  /* per input slot, list inputs only; NULL when none is read */
} kijun_batch_in;

typedef struct kijun_batch_out {
  uint8_t* eligible;
  int64_t* amount;          /* as computed, whether or not eligible */
  int64_t* rate_num;
  int64_t* rate_den;
  int64_t* bonus_points;
  int64_t* penalty_points;
  uint64_t* failed;         /* rows x words: requirement or limit not met, exclusion hit */
  uint64_t* scored;         /* rows x words: bonus or penalty awarded */
  uint8_t* error;           /* evaluation fault; 0 = none */
  int32_t* error_rule;      /* frame position of the rule being evaluated, or -1 */
  uint32_t* error_site;     /* IR node id, or definition index | 0x80000000 */
} kijun_batch_out;

/* Evaluates rows [begin, end). Thread-safe; allocates nothing; never throws. */
typedef void (*kijun_frame_fn)(const kijun_batch_in* in, kijun_batch_out* out, int64_t begin, int64_t end);

#ifdef __cplusplus
}
#endif

#endif
