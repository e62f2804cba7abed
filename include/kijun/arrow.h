/* Applicants as Arrow columns, and decisions returned as Arrow columns, through the Arrow C
 * Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html): the structs
 * below are the specification's own, so DuckDB, Polars, pyarrow, nanoarrow or Spark hand a
 * record batch to kijun without an Arrow library on either side. Plain C. */
#ifndef KIJUN_ARROW_H
#define KIJUN_ARROW_H

#include <stdint.h>

#include "kijun/kijun.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#pragma GCC visibility push(default)

/* Binds the children of a struct array (format "+s": a record batch) to the frame's inputs
 * by name; *rows is its length. kijun reads the arrays and neither keeps nor releases them:
 * they must stay valid until kijun_batch_run returns. A child that is not an input of the
 * frame is an error (but "id"), as is a type kijun cannot read exactly:
 *   bool                "b" (bits), "c" or "C" (bytes 0 or 1)
 *   int, yen            "l" (read in place), "i", "s", "c", "I", "S", "C" (widened)
 *   date                "tdD" (date32), or an integer type holding days since 1970-01-01
 *   enum                an integer type holding codes, "u"/"U" holding value names, or a
 *                       dictionary-encoded array of names
 *   rate                "d:P,S" (decimal128: value / 10^S, exact), or an integer type
 *   text                not read
 *   list of a record    "+l" or "+L" of a struct array whose children are the record's
 *                       fields, read as inputs are (a null element: its fields absent;
 *                       a null list is refused: give an empty one)
 * Floats are refused: no rule decides on a binary fraction. A null of the struct itself
 * makes every input of that row absent. */
kijun_error* kijun_batch_bind_arrow(kijun_batch* batch, const struct ArrowSchema* schema, const struct ArrowArray* array,
                                    int64_t* rows);
/* The outputs of the last run as a struct array the caller owns (call both release
 * callbacks): eligible and decided ("b"), paid_amount_yen, computed_amount_yen, rate_num,
 * rate_den, bonus_points and penalty_points ("l"), null where the row was not decided; error
 * ("u"), null where it was; failed_rules and scored_rules ("w:N", N = 8 × rule words: bit k,
 * little-endian, is rule k of kijun_frame_rules). */
kijun_error* kijun_batch_export_arrow(const kijun_batch* batch, struct ArrowSchema* schema, struct ArrowArray* array);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
