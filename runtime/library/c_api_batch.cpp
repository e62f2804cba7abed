// The C ABI's columnar batches (include/kijun/kijun.h) over kijun::Batch. Every entry
// catches everything: no C++ exception ever reaches a C caller.
#include <string_view>

#include "kijun/arrow.h"
#include "runtime/library/c_api_impl.hpp"

using namespace kijun_c;

extern "C" {

kijun_error* kijun_batch_create(const kijun_ruleset* ruleset, const char* frame, kijun_batch** out) try {
  if (!ruleset || !frame || !out) return fail("ruleset, frame and out must not be NULL");
  auto r = ruleset->ruleset.batch(frame);
  if (!r.ok()) return from(r.status());
  *out = new kijun_batch{std::move(r.value()), &ruleset->rules.find(std::string_view(frame))->second, {}, {}, {}, {}};
  return nullptr;
} catch (...) {
  return internal("kijun_batch_create");
}

void kijun_batch_destroy(kijun_batch* batch) { delete batch; }

kijun_error* kijun_batch_bind_bool(kijun_batch* b, const char* input, const uint8_t* values, const uint8_t* validity) try {
  if (!b || !input || !values) return fail("batch, input and values must not be NULL");
  return from(b->batch.bind_bool(input, values, validity));
} catch (...) {
  return internal("kijun_batch_bind_bool");
}

kijun_error* kijun_batch_bind_int64(kijun_batch* b, const char* input, const int64_t* values, const uint8_t* validity) try {
  if (!b || !input || !values) return fail("batch, input and values must not be NULL");
  return from(b->batch.bind_int64(input, values, validity));
} catch (...) {
  return internal("kijun_batch_bind_int64");
}

kijun_error* kijun_batch_bind_rate(kijun_batch* b, const char* input, const int64_t* num, const int64_t* den,
                                   const uint8_t* validity) try {
  if (!b || !input || !num || !den) return fail("batch, input, num and den must not be NULL");
  return from(b->batch.bind_rate(input, num, den, validity));
} catch (...) {
  return internal("kijun_batch_bind_rate");
}

kijun_error* kijun_batch_bind_list(kijun_batch* b, const char* input, const int64_t* offsets) try {
  if (!b || !input || !offsets) return fail("batch, input and offsets must not be NULL");
  return from(b->batch.bind_list(input, offsets));
} catch (...) {
  return internal("kijun_batch_bind_list");
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
  return internal("kijun_batch_run");
}

kijun_error* kijun_batch_run_range(kijun_batch* b, int64_t first, int64_t last, int threads) try {
  if (!b) return fail("batch must not be NULL");
  return from(b->batch.run(first, last, threads));
} catch (...) {
  return internal("kijun_batch_run_range");
}

int64_t kijun_batch_rows(const kijun_batch* b) { return b ? b->batch.rows() : 0; }

kijun_error* kijun_batch_bind_arrow(kijun_batch* b, const ArrowSchema* schema, const ArrowArray* array, int64_t* rows) try {
  if (!b || !schema || !array) return fail("batch, schema and array must not be NULL");
  auto bound = b->batch.bind_arrow(*schema, *array);
  if (!bound.ok()) return from(bound.status());
  if (rows) *rows = bound.value();
  return nullptr;
} catch (...) {
  return internal("kijun_batch_bind_arrow");
}

kijun_error* kijun_batch_export_arrow(const kijun_batch* b, ArrowSchema* schema, ArrowArray* array) try {
  if (!b) return fail("batch must not be NULL");
  return from(b->batch.export_arrow(schema, array));
} catch (...) {
  return internal("kijun_batch_export_arrow");
}

const uint8_t* kijun_batch_eligible(const kijun_batch* b) { return b ? b->batch.eligible() : nullptr; }
const int64_t* kijun_batch_amount(const kijun_batch* b) { return b ? b->batch.amount() : nullptr; }
const int64_t* kijun_batch_paid_amount(const kijun_batch* b) { return b ? b->batch.paid_amount() : nullptr; }
const int64_t* kijun_batch_rate_num(const kijun_batch* b) { return b ? b->batch.rate_num() : nullptr; }
const int64_t* kijun_batch_rate_den(const kijun_batch* b) { return b ? b->batch.rate_den() : nullptr; }
const int64_t* kijun_batch_bonus_points(const kijun_batch* b) { return b ? b->batch.bonus_points() : nullptr; }
const int64_t* kijun_batch_penalty_points(const kijun_batch* b) { return b ? b->batch.penalty_points() : nullptr; }
const uint8_t* kijun_batch_error(const kijun_batch* b) { return b ? b->batch.error() : nullptr; }
const uint64_t* kijun_batch_failed_rules(const kijun_batch* b) { return b ? b->batch.failed_rules() : nullptr; }
const uint64_t* kijun_batch_scored_rules(const kijun_batch* b) { return b ? b->batch.scored_rules() : nullptr; }
size_t kijun_batch_rule_words(const kijun_batch* b) { return b ? b->batch.rule_words() : 0; }

kijun_error* kijun_batch_decision(kijun_batch* b, int64_t row, kijun_decision* out) try {
  if (!b || !out) return fail("batch and out must not be NULL");
  const auto& batch = b->batch;
  if (row < 0 || row >= batch.rows())
    return fail("row " + std::to_string(row) + " is not a row of the last run (0 to " + std::to_string(batch.rows() - 1) + ")");
  b->failed.clear(), b->bonus.clear(), b->penalty.clear();
  if (batch.error()[row]) {
    b->error = batch.decision(row).error;
    *out = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, b->failed.data(), b->bonus.data(), b->penalty.data(), b->error.c_str()};
    return nullptr;
  }
  // From the columns and the rule bitsets, naming the ruleset's own strings: once the
  // batch's arrays have grown, nothing is allocated.
  auto words = batch.rule_words();
  const auto* failed = batch.failed_rules() + static_cast<std::size_t>(row) * words;
  const auto* scored = batch.scored_rules() + static_cast<std::size_t>(row) * words;
  const auto& rules = b->rules->c;
  for (std::size_t k = 0; k < rules.size(); ++k) {
    kijun_rule_ref ref{rules[k].id, rules[k].cite};
    if ((failed[k / 64] >> (k % 64)) & 1) b->failed.push_back(ref);
    if ((scored[k / 64] >> (k % 64)) & 1) (rules[k].kind == KIJUN_RULE_PENALTY ? b->penalty : b->bonus).push_back(ref);
  }
  *out = {1, batch.eligible()[row], batch.paid_amount()[row], batch.amount()[row], batch.rate_num()[row], batch.rate_den()[row],
          batch.bonus_points()[row], batch.penalty_points()[row], b->failed.size(), b->bonus.size(), b->penalty.size(),
          b->failed.data(), b->bonus.data(), b->penalty.data(), ""};
  return nullptr;
} catch (...) {
  return internal("kijun_batch_decision");
}

kijun_error* kijun_batch_row_json(const kijun_batch* b, int64_t row, const char* id, char** out_json) try {
  if (!b || !out_json) return fail("batch and out must not be NULL");
  *out_json = copy(b->batch.json(row, id ? id : ""));
  return *out_json ? nullptr : fail("out of memory");
} catch (...) {
  return internal("kijun_batch_row_json");
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
  return internal("kijun_batch_row_explain_styled");
}

}  // extern "C"
