// The C ABI of include/kijun/kijun.h over the C++ API. Every entry catches everything: no
// C++ exception ever reaches a C caller.
#include "kijun/kijun.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "kijun/kijun.hpp"

struct kijun_error {
  std::string message;
};

struct kijun_ruleset {
  kijun::Ruleset ruleset;
  std::string programme, hash;
};

struct kijun_batch {
  kijun::Batch batch;
};

namespace {

kijun_error out_of_memory{"out of memory"};  // returned when even an error cannot be allocated

kijun_error* fail(std::string message) {
  try {
    return new kijun_error{std::move(message)};
  } catch (...) {
    return &out_of_memory;
  }
}

kijun_error* from(const kijun::Status& s) { return s.ok() ? nullptr : fail(s.message()); }

char* copy(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

kijun_error* string_result(const kijun::Result<std::string>& r, char** out) {
  if (!out) return fail("output pointer is NULL");
  if (!r.ok()) return from(r.status());
  *out = copy(r.value());
  return *out ? nullptr : fail("out of memory");
}

}  // namespace

extern "C" {

uint32_t kijun_abi_version(void) { return KIJUN_ABI_VERSION; }
const char* kijun_version(void) { return kijun::version(); }

const char* kijun_error_message(const kijun_error* error) { return error ? error->message.c_str() : ""; }

void kijun_error_destroy(kijun_error* error) {
  if (error != &out_of_memory) delete error;
}

void kijun_string_free(char* s) { std::free(s); }

kijun_error* kijun_ruleset_load(const char* path, kijun_log_fn log, void* log_user, kijun_ruleset** out) {
  return kijun_ruleset_load_with_flags(path, 0, log, log_user, out);
}

kijun_error* kijun_ruleset_load_with_flags(const char* path, uint32_t flags, kijun_log_fn log, void* log_user,
                                           kijun_ruleset** out) {
  return kijun_ruleset_load_trusted(path, flags, nullptr, log, log_user, out);
}

kijun_error* kijun_ruleset_load_trusted(const char* path, uint32_t flags, const char* const* trusted_keys, kijun_log_fn log,
                                        void* log_user, kijun_ruleset** out) try {
  if (!path || !out) return fail("path and out must not be NULL");
  // A flag this library does not know asks for something it would not do: refuse it.
  constexpr uint32_t known = KIJUN_LOAD_STRICT_FIELDS | KIJUN_LOAD_REQUIRE_SIGNATURE;
  if (flags & ~known) return fail("unknown flags " + std::to_string(flags & ~known));
  kijun::LoadOptions options;
  options.strict_fields = (flags & KIJUN_LOAD_STRICT_FIELDS) != 0;
  options.require_signature = (flags & KIJUN_LOAD_REQUIRE_SIGNATURE) != 0;
  for (auto key = trusted_keys; key && *key; ++key) options.trusted_keys.emplace_back(*key);
  if (log)
    options.log = [log, log_user](kijun::LogLevel level, std::string_view message) {
      std::string text(message);
      log(static_cast<int>(level), text.c_str(), log_user);
    };
  auto r = kijun::Ruleset::load(path, options);
  if (!r.ok()) return from(r.status());
  auto* handle = new kijun_ruleset{std::move(r.value()), {}, {}};
  handle->programme = handle->ruleset.programme();
  handle->hash = handle->ruleset.content_hash();
  *out = handle;
  return nullptr;
} catch (...) {
  return fail("internal error in kijun_ruleset_load_trusted");
}

void kijun_ruleset_destroy(kijun_ruleset* ruleset) { delete ruleset; }
const char* kijun_ruleset_programme(const kijun_ruleset* r) { return r ? r->programme.c_str() : ""; }
int64_t kijun_ruleset_fiscal_year(const kijun_ruleset* r) { return r ? r->ruleset.fiscal_year() : 0; }
const char* kijun_ruleset_content_hash(const kijun_ruleset* r) { return r ? r->hash.c_str() : ""; }

kijun_error* kijun_evaluate_json(const kijun_ruleset* ruleset, const char* frame, const char* record_json, const char* as_of,
                                 char** out_json) try {
  if (!ruleset || !frame || !record_json) return fail("ruleset, frame and record must not be NULL");
  return string_result(ruleset->ruleset.evaluate_json(frame, record_json, as_of ? as_of : ""), out_json);
} catch (...) {
  return fail("internal error in kijun_evaluate_json");
}

kijun_error* kijun_evaluate_records(const kijun_ruleset* ruleset, const char* frame, const char* text, const char* format,
                                    const char* as_of, char** out_lines) try {
  if (!ruleset || !frame || !text) return fail("ruleset, frame and text must not be NULL");
  std::string f = format ? format : "jsonl";
  if (f != "jsonl" && f != "csv") return fail("format `" + f + "`: use jsonl or csv");
  auto kind = f == "csv" ? kijun::RecordFormat::csv : kijun::RecordFormat::jsonl;
  return string_result(ruleset->ruleset.evaluate_records(frame, text, kind, as_of ? as_of : ""), out_lines);
} catch (...) {
  return fail("internal error in kijun_evaluate_records");
}

kijun_error* kijun_explain_json(const kijun_ruleset* ruleset, const char* frame, const char* record_json, const char* as_of,
                                char** out_text) {
  return kijun_explain_styled(ruleset, frame, record_json, as_of, nullptr, 0, out_text);
}

kijun_error* kijun_explain_styled(const kijun_ruleset* ruleset, const char* frame, const char* record_json, const char* as_of,
                                  const char* lang, int as_json, char** out) try {
  if (!ruleset || !frame || !record_json) return fail("ruleset, frame and record must not be NULL");
  kijun::ExplainStyle style{lang ? lang : "ja", as_json != 0};
  return string_result(ruleset->ruleset.explain(frame, record_json, as_of ? as_of : "", style), out);
} catch (...) {
  return fail("internal error in kijun_explain_styled");
}

kijun_error* kijun_batch_create(const kijun_ruleset* ruleset, const char* frame, kijun_batch** out) try {
  if (!ruleset || !frame || !out) return fail("ruleset, frame and out must not be NULL");
  auto r = ruleset->ruleset.batch(frame);
  if (!r.ok()) return from(r.status());
  *out = new kijun_batch{std::move(r.value())};
  return nullptr;
} catch (...) {
  return fail("internal error in kijun_batch_create");
}

void kijun_batch_destroy(kijun_batch* batch) { delete batch; }

kijun_error* kijun_batch_bind_bool(kijun_batch* b, const char* input, const uint8_t* values, const uint8_t* validity) try {
  if (!b || !input || !values) return fail("batch, input and values must not be NULL");
  return from(b->batch.bind_bool(input, values, validity));
} catch (...) {
  return fail("internal error in kijun_batch_bind_bool");
}

kijun_error* kijun_batch_bind_int64(kijun_batch* b, const char* input, const int64_t* values, const uint8_t* validity) try {
  if (!b || !input || !values) return fail("batch, input and values must not be NULL");
  return from(b->batch.bind_int64(input, values, validity));
} catch (...) {
  return fail("internal error in kijun_batch_bind_int64");
}

kijun_error* kijun_batch_bind_rate(kijun_batch* b, const char* input, const int64_t* num, const int64_t* den,
                                   const uint8_t* validity) try {
  if (!b || !input || !num || !den) return fail("batch, input, num and den must not be NULL");
  return from(b->batch.bind_rate(input, num, den, validity));
} catch (...) {
  return fail("internal error in kijun_batch_bind_rate");
}

void kijun_batch_set_as_of(kijun_batch* b, const int64_t* per_row, int64_t day) {
  if (!b) return;
  if (per_row) b->batch.set_as_of(per_row);
  else b->batch.set_as_of(day);
}

kijun_error* kijun_batch_run(kijun_batch* b, int64_t rows) try {
  if (!b) return fail("batch must not be NULL");
  return from(b->batch.run(rows));
} catch (...) {
  return fail("internal error in kijun_batch_run");
}

const uint8_t* kijun_batch_eligible(const kijun_batch* b) { return b ? b->batch.eligible() : nullptr; }
const int64_t* kijun_batch_amount(const kijun_batch* b) { return b ? b->batch.amount() : nullptr; }
const uint8_t* kijun_batch_error(const kijun_batch* b) { return b ? b->batch.error() : nullptr; }

kijun_error* kijun_batch_row_json(const kijun_batch* b, int64_t row, const char* id, char** out_json) try {
  if (!b || !out_json) return fail("batch and out must not be NULL");
  *out_json = copy(b->batch.json(row, id ? id : ""));
  return *out_json ? nullptr : fail("out of memory");
} catch (...) {
  return fail("internal error in kijun_batch_row_json");
}

kijun_error* kijun_batch_row_explain(const kijun_batch* b, int64_t row, const char* id, char** out_text) {
  return kijun_batch_row_explain_styled(b, row, id, nullptr, 0, out_text);
}

kijun_error* kijun_batch_row_explain_styled(const kijun_batch* b, int64_t row, const char* id, const char* lang, int as_json,
                                            char** out) try {
  if (!b || !out) return fail("batch and out must not be NULL");
  kijun::ExplainStyle style{lang ? lang : "ja", as_json != 0};
  return string_result(b->batch.explain(row, id ? id : "", style), out);
} catch (...) {
  return fail("internal error in kijun_batch_row_explain_styled");
}

int64_t kijun_parse_day(const char* date, int* ok) {
  auto day = date ? kijun::parse_day(date) : std::nullopt;
  if (ok) *ok = day.has_value();
  return day.value_or(0);
}

}  // extern "C"
