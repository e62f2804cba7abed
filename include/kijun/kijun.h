/* The kijun C ABI: the C++ API (kijun/kijun.hpp) for C and for other languages' FFIs.
 *
 * Conventions:
 * - Handles are opaque. Whoever receives a handle owns it and frees it with the matching
 *   _destroy function.
 * - A call that can fail returns kijun_error*: NULL on success; otherwise an error the
 *   caller owns, reads with kijun_error_message and frees with kijun_error_destroy.
 * - Strings returned through char** belong to the caller: free them with kijun_string_free.
 * - Nothing is written to stderr: pass a log callback to see what the library does.
 * - A kijun_ruleset may be used from many threads at once; a kijun_batch from one at a time. */
#ifndef KIJUN_H
#define KIJUN_H

#include <stdint.h>

#include "kijun/batch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden symbols; these declarations are what it exports. */
#pragma GCC visibility push(default)

#define KIJUN_ABI_VERSION 1u

typedef struct kijun_error kijun_error;
typedef struct kijun_ruleset kijun_ruleset;
typedef struct kijun_batch kijun_batch;

/* Levels: 0 trace, 1 debug, 2 info, 3 warn, 4 error. */
typedef void (*kijun_log_fn)(int level, const char* message, void* user);

uint32_t kijun_abi_version(void);
const char* kijun_version(void);

const char* kijun_error_message(const kijun_error* error);
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
void kijun_ruleset_destroy(kijun_ruleset* ruleset);
const char* kijun_ruleset_programme(const kijun_ruleset* ruleset);
int64_t kijun_ruleset_fiscal_year(const kijun_ruleset* ruleset);
const char* kijun_ruleset_content_hash(const kijun_ruleset* ruleset);

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
/* As-of date per row (days since 1970-01-01), or `day` for all rows when per_row is NULL. */
void kijun_batch_set_as_of(kijun_batch* batch, const int64_t* per_row, int64_t day);
/* Decides rows [0, rows), 0 <= rows <= 2^30 (kijun::max_batch_rows); a row whose values are
 * invalid, or whose as-of day is outside 0001-01-01..9999-12-31, gets an error line. */
kijun_error* kijun_batch_run(kijun_batch* batch, int64_t rows);
/* Output columns of the last run, owned by the batch, valid until the next run. */
const uint8_t* kijun_batch_eligible(const kijun_batch* batch);
const int64_t* kijun_batch_amount(const kijun_batch* batch);
const uint8_t* kijun_batch_error(const kijun_batch* batch);
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
