/* Native extensions: functions written in C (or anything with a C ABI) that a ruleset may
 * call, such as a reference table too large or too volatile to write as rules.
 *
 * A ruleset declares what it calls:
 *
 *     extension calendar_jp label "日本の祝日" {
 *       function business_days_between(start: date, end: date): int
 *     }
 *
 * and the runtime loads `calendar_jp.kjx` from the extension search path
 * ($KIJUN_EXTENSION_PATH, then the ruleset's directory), a shared library exporting
 * KIJUN_EXTENSION_ENTRY. Every declared function must be there with the same argument and
 * result kinds, or the ruleset does not load.
 *
 * A function must be pure (the same arguments give the same result), thread-safe, must not
 * allocate per call or throw, and must return quickly: it runs inside the evaluation loop.
 * Values are int64: bool 0/1, int, yen (whole yen), date (days since 1970-01-01). A
 * function that cannot answer sets *fault to non-zero; the applicant's evaluation then
 * fails with `extension_fault`, in the interpreter and in native code alike. */
#ifndef KIJUN_EXTENSION_H
#define KIJUN_EXTENSION_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KIJUN_EXTENSION_ABI_VERSION 1u
#define KIJUN_EXTENSION_ENTRY "kijun_extension_descriptor"

enum kijun_value_kind { KIJUN_BOOL = 1, KIJUN_INT = 2, KIJUN_YEN = 3, KIJUN_DATE = 4 };

typedef int64_t (*kijun_ext_fn)(const int64_t* args, int32_t* fault);

typedef struct kijun_ext_function {
  const char* name;
  uint32_t arity;
  const uint8_t* arg_kinds;  /* arity entries of kijun_value_kind */
  uint8_t result_kind;
  kijun_ext_fn fn;
} kijun_ext_function;

typedef struct kijun_extension {
  uint32_t abi_version;  /* KIJUN_EXTENSION_ABI_VERSION */
  const char* name;
  uint32_t function_count;
  const kijun_ext_function* functions;
} kijun_extension;

typedef const kijun_extension* (*kijun_extension_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif
