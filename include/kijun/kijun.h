/* The kijun C ABI: the C++ API (kijun/kijun.hpp) for C and for other languages' FFIs.
 *
 * Conventions, and who owns what (each function's comment says which applies):
 * - Handles are opaque. Whoever receives a handle owns it and frees it with the matching
 *   _destroy function.
 * - A call that can fail returns kijun_error*: NULL on success; otherwise an error the
 *   caller owns, reads with kijun_error_message and kijun_error_kind, and frees with
 *   kijun_error_destroy.
 * - Strings returned through char** belong to the caller: free them with kijun_string_free.
 * - `const char*` and `const T*` results belong to the handle they came from and live as
 *   long as it does, unless the comment names a shorter life ("until the next run").
 * - Nothing is written to stderr and the process is never ended: pass a log callback to see
 *   what the library does.
 * - A kijun_ruleset may be used from many threads at once; a kijun_batch from one at a time.
 *
 * Libraries: libkijun_runtime loads plugins only; libkijun also compiles sources. Both
 * export exactly these functions. CHANGELOG.md lists what each ABI version added. */
#ifndef KIJUN_H
#define KIJUN_H

#include <stddef.h>
#include <stdint.h>

#include "kijun/batch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden symbols; these declarations are what it exports. */
#pragma GCC visibility push(default)

/* 2: error kinds, kijun_ruleset_open with kijun_load_options, frames, inputs, per-row
 * decisions, every output column of a batch. 3: lists. 4: runs over a range of rows on
 * threads, the rule bitsets and the frame's rules. */
#define KIJUN_ABI_VERSION 4u

typedef struct kijun_error kijun_error;
typedef struct kijun_ruleset kijun_ruleset;
typedef struct kijun_batch kijun_batch;

/* Levels: 0 trace, 1 debug, 2 info, 3 warn, 4 error. */
typedef void (*kijun_log_fn)(int level, const char* message, void* user);

/* The ABI version of the library actually loaded (compare with KIJUN_ABI_VERSION). */
uint32_t kijun_abi_version(void);
/* "0.2.0"; static. */
const char* kijun_version(void);
/* Nonzero in libkijun, which compiles ruleset sources; 0 in libkijun_runtime. */
int kijun_can_compile(void);

/* What kind of failure an error is (kijun_error_kind). */
#define KIJUN_ERROR_USAGE 1          /* the call is wrong: an unknown frame or input, a bad argument */
#define KIJUN_ERROR_DATA 2           /* an applicant's record or a text of records cannot be read */
#define KIJUN_ERROR_RULESET 3        /* the ruleset's sources have errors (the message lists them) */
#define KIJUN_ERROR_PLUGIN_REFUSED 4 /* corrupt, foreign, tampered with, untrusted or for another CPU */
#define KIJUN_ERROR_NOT_FOUND 5      /* no such file, or no plugin of that programme and year */
#define KIJUN_ERROR_INTERNAL 6       /* a fault in kijun itself (out of memory too) */

/* The message; owned by the error. */
const char* kijun_error_message(const kijun_error* error);
int kijun_error_kind(const kijun_error* error);
void kijun_error_destroy(kijun_error* error);
void kijun_string_free(char* s);

/* Loads a ruleset source directory (compiled to native code) or a plugin built by
 * `kijun build`. `log` may be NULL. On success *out is a new handle. */
kijun_error* kijun_ruleset_load(const char* path, kijun_log_fn log, void* log_user, kijun_ruleset** out);
/* The same with flags (0: as kijun_ruleset_load). A record field that is not an input of the
 * ruleset is reported through `log` at level 3 (warn), once per field name for the life of
 * the ruleset: "`capital_yn` is not an input of it-hojo 2026; did you mean `capital_yen`?".
 * KIJUN_LOAD_STRICT_FIELDS makes it an error line for each record that has it instead (a
 * CSV column no input knows refuses the whole text of kijun_evaluate_records). */
#define KIJUN_LOAD_STRICT_FIELDS 0x1u
/* A plugin must be signed by a trusted key (see kijun_ruleset_load_trusted); with no trusted
 * key given, every plugin is refused. A source directory carries no signature and is not
 * affected. */
#define KIJUN_LOAD_REQUIRE_SIGNATURE 0x2u
kijun_error* kijun_ruleset_load_with_flags(const char* path, uint32_t flags, kijun_log_fn log, void* log_user,
                                           kijun_ruleset** out);
/* The same, trusting the signatures of the public key files (.pub, written by `kijun keygen`)
 * in `trusted_keys`, a NULL-terminated array (NULL: none); a file that cannot be read is an
 * error, whatever `path` is. Giving any key requires a signature, as
 * KIJUN_LOAD_REQUIRE_SIGNATURE does: a plugin that is unsigned, signed by another key, or
 * whose signature does not verify is refused before any of its code is loaded, with a
 * message naming the file and the key id ("…: not a trusted plugin: untrusted key: it is
 * signed by key 1a2b3c4d5e6f7a8b, …"). */
kijun_error* kijun_ruleset_load_trusted(const char* path, uint32_t flags, const char* const* trusted_keys, kijun_log_fn log,
                                        void* log_user, kijun_ruleset** out);

/* How a ruleset is loaded, for kijun_ruleset_open. Set `size` to sizeof(kijun_load_options)
 * (later versions may add fields at the end; a library reads only the fields it knows). A
 * zeroed struct with `size` set, or NULL, gives the defaults. Strings are read during the
 * call only. */
#define KIJUN_ENGINE_NATIVE 0      /* native code: a plugin's, or sources compiled by the JIT */
#define KIJUN_ENGINE_INTERPRETER 1 /* sources decided by the interpreter (no JIT compile) */
#define KIJUN_LOAD_NO_CACHE 0x4u   /* the JIT neither reads nor writes its object cache */
typedef struct kijun_load_options {
  uint32_t size;
  uint32_t flags;                  /* KIJUN_LOAD_STRICT_FIELDS | KIJUN_LOAD_REQUIRE_SIGNATURE | KIJUN_LOAD_NO_CACHE */
  int32_t engine;                  /* KIJUN_ENGINE_* */
  const char* cache_dir;           /* JIT object cache; NULL: the default (~/.cache/kijun) */
  const char* plugin_path;         /* colon-separated directories for PROGRAMME:YEAR; NULL: $KIJUN_PLUGIN_PATH */
  const char* const* trusted_keys; /* NULL-terminated .pub files, as kijun_ruleset_load_trusted; NULL: none */
  kijun_log_fn log;                /* NULL: nothing is logged */
  void* log_user;
} kijun_load_options;

/* Loads `path`: a plugin built by `kijun build`, PROGRAMME:YEAR ("it-hojo:2026") found on the
 * plugin search path, or (libkijun only) a ruleset source directory or .kj file. On success
 * *out is a new handle the caller owns. */
kijun_error* kijun_ruleset_open(const char* path, const kijun_load_options* options, kijun_ruleset** out);

void kijun_ruleset_destroy(kijun_ruleset* ruleset);
/* Owned by the ruleset. */
const char* kijun_ruleset_programme(const kijun_ruleset* ruleset);
int64_t kijun_ruleset_fiscal_year(const kijun_ruleset* ruleset);
const char* kijun_ruleset_content_hash(const kijun_ruleset* ruleset);

/* Frames, by index 0..count-1; names, labels and citations owned by the ruleset ("" past
 * the end). */
size_t kijun_ruleset_frame_count(const kijun_ruleset* ruleset);
const char* kijun_ruleset_frame_name(const kijun_ruleset* ruleset, size_t index);
const char* kijun_ruleset_frame_label(const kijun_ruleset* ruleset, size_t index);
const char* kijun_ruleset_frame_cite(const kijun_ruleset* ruleset, size_t index);

/* The inputs a frame reads: the columns a batch binds, so that a caller hard-codes nothing. */
#define KIJUN_INPUT_BOOL 0        /* kijun_batch_bind_bool */
#define KIJUN_INPUT_INT 1         /* kijun_batch_bind_int64 */
#define KIJUN_INPUT_YEN 2         /* kijun_batch_bind_int64: whole yen */
#define KIJUN_INPUT_RATE 3        /* kijun_batch_bind_rate */
#define KIJUN_INPUT_DATE 4        /* kijun_batch_bind_int64: days since 1970-01-01 */
#define KIJUN_INPUT_ENUM 5        /* kijun_batch_bind_int64: a value's code, its index in `values` */
#define KIJUN_INPUT_TEXT 6        /* not bound in a batch */
#define KIJUN_INPUT_LIST 7        /* kijun_batch_bind_list; its fields (kijun_input_fields) as "list.field" */
typedef struct kijun_input {
  const char* name;
  const char* label;
  int32_t type;                    /* KIJUN_INPUT_* */
  int32_t optional;                /* nonzero: a validity bitmap may mark rows absent */
  int32_t has_min, has_max;        /* the declared range of an int or yen input; a list's length */
  int64_t min, max;
  size_t value_count;              /* an enum's values, in code order */
  const char* const* values;
  const char* const* value_labels;
} kijun_input;
/* *inputs (an array of *count) is owned by the ruleset. */
kijun_error* kijun_frame_inputs(const kijun_ruleset* ruleset, const char* frame, const kijun_input** inputs, size_t* count);
/* The fields of list input `list` of a frame (KIJUN_INPUT_LIST), owned by the ruleset. */
kijun_error* kijun_input_fields(const kijun_ruleset* ruleset, const char* frame, const char* list, const kijun_input** fields,
                                size_t* count);
/* A frame's rules, in evaluation order: rule k is bit k of the rule bitsets of a batch
 * (kijun_batch_failed_rules). A rule amended by date has one entry per dated form. */
#define KIJUN_RULE_REQUIREMENT 0
#define KIJUN_RULE_EXCLUSION 1
#define KIJUN_RULE_BONUS 2
#define KIJUN_RULE_PENALTY 3
#define KIJUN_RULE_LIMIT 4
typedef struct kijun_rule_info {
  const char* id;
  const char* cite;
  const char* label;
  int32_t kind;                /* KIJUN_RULE_* */
  int32_t has_from, has_until; /* the days the form is in force, inclusive */
  int64_t points;              /* a bonus's or a penalty's */
  int64_t from, until;
} kijun_rule_info;
/* *rules (an array of *count) is owned by the ruleset. */
kijun_error* kijun_frame_rules(const kijun_ruleset* ruleset, const char* frame, const kijun_rule_info** rules, size_t* count);
/* The code of enum value `value` of `input`, or -1 when it has no such value. */
int64_t kijun_input_enum_code(const kijun_input* input, const char* value);

/* One applicant as a JSON object; *out_json is the output line (a result or an error
 * object; a field given twice is an error: "employees: the field is given twice"). `as_of`
 * is "YYYY-MM-DD" or NULL for the application date. */
kijun_error* kijun_evaluate_json(const kijun_ruleset* ruleset, const char* frame, const char* record_json,
                                 const char* as_of, char** out_json);
/* Applicants as the text of a JSON Lines (`format` "jsonl", or NULL) or CSV ("csv") file;
 * *out_lines is the output lines in input order, one per record, each ending in a newline.
 * A CSV header that names a column twice or lacks one every record needs refuses the whole
 * text: an error, and nothing is decided ("the CSV header names `employees` twice (columns
 * 3 and 7)", "the CSV header lacks the required column `cost_yen`"). */
kijun_error* kijun_evaluate_records(const kijun_ruleset* ruleset, const char* frame, const char* text, const char* format,
                                    const char* as_of, char** out_lines);
kijun_error* kijun_explain_json(const kijun_ruleset* ruleset, const char* frame, const char* record_json,
                                const char* as_of, char** out_text);
/* The same, in a chosen language ("ja": the ruleset's labels, "en": rule ids as words; NULL
 * is "ja") and form (as_json nonzero: one JSON object instead of text). */
kijun_error* kijun_explain_styled(const kijun_ruleset* ruleset, const char* frame, const char* record_json,
                                  const char* as_of, const char* lang, int as_json, char** out);

/* Columnar batches over the caller's memory (layout: kijun/batch.h). The bound arrays
 * must stay valid until kijun_batch_run returns; they are never copied when every row is
 * valid. `validity` may be NULL (every row present). Every required input of the frame must
 * be bound; an optional input left unbound is absent in every row. */
kijun_error* kijun_batch_create(const kijun_ruleset* ruleset, const char* frame, kijun_batch** out);
void kijun_batch_destroy(kijun_batch* batch);
kijun_error* kijun_batch_bind_bool(kijun_batch* batch, const char* input, const uint8_t* values, const uint8_t* validity);
kijun_error* kijun_batch_bind_int64(kijun_batch* batch, const char* input, const int64_t* values, const uint8_t* validity);
kijun_error* kijun_batch_bind_rate(kijun_batch* batch, const char* input, const int64_t* num, const int64_t* den,
                                   const uint8_t* validity);
/* A list input: rows + 1 offsets (Arrow's large-list layout, kijun/batch.h), row i's
 * elements being offsets[i] .. offsets[i + 1] - 1 of the columns of its fields, bound with
 * the calls above as "list.field" ("members.employees"), one entry per element. */
kijun_error* kijun_batch_bind_list(kijun_batch* batch, const char* input, const int64_t* offsets);
/* As-of date per row (days since 1970-01-01), or `day` for all rows when per_row is NULL. */
void kijun_batch_set_as_of(kijun_batch* batch, const int64_t* per_row, int64_t day);
/* Decides rows [0, rows), 0 <= rows <= 2^30 (kijun::max_batch_rows); a row whose values are
 * invalid, or whose as-of day is outside 0001-01-01..9999-12-31, gets an error line. */
kijun_error* kijun_batch_run(kijun_batch* batch, int64_t rows);
/* Decides bound rows [first, last) on `threads` threads (0: one per core). Output entry i
 * is bound row first + i; the calls below take entries, 0 <= entry < kijun_batch_rows. The
 * bound columns are checked as the run reads them; a run of valid rows allocates nothing
 * per row. */
kijun_error* kijun_batch_run_range(kijun_batch* batch, int64_t first, int64_t last, int threads);
/* The entries of the last run. */
int64_t kijun_batch_rows(const kijun_batch* batch);
/* Output columns of the last run, one entry per row, owned by the batch, valid until the
 * next run. A row whose error is nonzero was not decided: read kijun_batch_decision's
 * error for why. */
const uint8_t* kijun_batch_eligible(const kijun_batch* batch);
const int64_t* kijun_batch_amount(const kijun_batch* batch); /* as computed, eligible or not */
const int64_t* kijun_batch_paid_amount(const kijun_batch* batch); /* the amount when eligible, else 0 */
const int64_t* kijun_batch_rate_num(const kijun_batch* batch);
const int64_t* kijun_batch_rate_den(const kijun_batch* batch);
const int64_t* kijun_batch_bonus_points(const kijun_batch* batch);
const int64_t* kijun_batch_penalty_points(const kijun_batch* batch);
const uint8_t* kijun_batch_error(const kijun_batch* batch);
/* The rules each entry failed and scored: kijun_batch_rule_words words per entry, bit k
 * (word k / 64, least significant first) for rule k of kijun_frame_rules. Read them only
 * for an entry whose error is 0. */
const uint64_t* kijun_batch_failed_rules(const kijun_batch* batch);
const uint64_t* kijun_batch_scored_rules(const kijun_batch* batch);
size_t kijun_batch_rule_words(const kijun_batch* batch);

/* A rule a decision names. */
typedef struct kijun_rule_ref {
  const char* id;
  const char* cite;
} kijun_rule_ref;
/* One row's decision. Its strings and arrays are owned by the batch and valid until the
 * next kijun_batch_decision or kijun_batch_run on it. A decided row's is read from the
 * output columns without allocating. */
typedef struct kijun_decision {
  int32_t decided;             /* 0: `error` says why the row could not be decided */
  int32_t eligible;
  int64_t paid_amount_yen;     /* 0 unless eligible */
  int64_t computed_amount_yen;
  int64_t rate_num, rate_den;
  int64_t bonus_points, penalty_points;
  size_t failed_count, bonus_count, penalty_count;
  const kijun_rule_ref* failed;  /* requirements not met, exclusions hit, limits exceeded */
  const kijun_rule_ref* bonus;
  const kijun_rule_ref* penalty;
  const char* error;             /* "" when decided */
} kijun_decision;
kijun_error* kijun_batch_decision(kijun_batch* batch, int64_t row, kijun_decision* out);
/* The output line of one row, with the caller's id. */
kijun_error* kijun_batch_row_json(const kijun_batch* batch, int64_t row, const char* id, char** out_json);

/* A human-readable explanation of one row's decision. */
kijun_error* kijun_batch_row_explain(const kijun_batch* batch, int64_t row, const char* id, char** out_text);
kijun_error* kijun_batch_row_explain_styled(const kijun_batch* batch, int64_t row, const char* id, const char* lang,
                                            int as_json, char** out);

/* "YYYY-MM-DD" as a day number; returns 0 and sets *ok to 0 when it is not a date. */
int64_t kijun_parse_day(const char* date, int* ok);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
