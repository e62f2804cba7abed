/* Tests of the C ABI, in C: ownership, error objects, exact results. Exits non-zero on the
 * first failed check and says which. */
#include <kijun/kijun.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

static int contains(const char* s, const char* part) { return s && strstr(s, part) != NULL; }

/* The warnings a ruleset logs (level 3), counted, the last one kept. */
struct warnings {
  int count;
  char last[512];
};

static void keep_warnings(int level, const char* message, void* user) {
  struct warnings* w = (struct warnings*)user;
  if (level != 3) return;
  ++w->count;
  snprintf(w->last, sizeof w->last, "%s", message);
}

/* Record fields through the C ABI: a field given twice is an error line; a field that is
 * not an input is warned of once through the log callback, or with KIJUN_LOAD_STRICT_FIELDS
 * is an error line; a CSV header naming a column twice refuses the whole text. */
static void check_record_fields(const char* ruleset_path) {
  char path[4096];
  snprintf(path, sizeof path, "%s/../../../tests/golden/cli/fields/2026", ruleset_path);
  const char* misspelt = "{\"id\":\"U1\",\"application_date\":\"2026-05-01\",\"employees\":30,\"capital_yn\":1,\"cost_yen\":300000}";
  const char* twice = "{\"id\":\"A2\",\"application_date\":\"2026-05-01\",\"employees\":30,\"cost_yen\":3,\"employees\":3}";
  struct warnings w = {0, ""};
  kijun_ruleset* rules = NULL;
  kijun_error* e = kijun_ruleset_load_with_flags(path, 0, keep_warnings, &w, &rules);
  CHECK(e == NULL && rules != NULL);
  if (!rules) return;
  char* out = NULL;
  for (int i = 0; i < 2; ++i) {
    e = kijun_evaluate_json(rules, "basic", misspelt, NULL, &out);
    CHECK(e == NULL && contains(out, "\"eligible\":true"));
    kijun_string_free(out);
  }
  CHECK(w.count == 1);
  CHECK(strcmp(w.last, "`capital_yn` is not an input of fields 2026; did you mean `capital_yen`?") == 0);
  e = kijun_evaluate_json(rules, "basic", twice, NULL, &out);
  CHECK(e == NULL && out && strcmp(out, "{\"id\":\"A2\",\"line\":1,\"error\":\"employees: the field is given twice\"}") == 0);
  kijun_string_free(out);
  e = kijun_evaluate_records(rules, "basic", "id,application_date,employees,employees\nA1,2026-05-01,3,3\n", "csv", NULL, &out);
  CHECK(e != NULL && strcmp(kijun_error_message(e), "the CSV header names `employees` twice (columns 3 and 4)") == 0);
  kijun_error_destroy(e);
  e = kijun_evaluate_records(rules, "basic", "id,application_date,employees\nA1,2026-05-01,3\n", "csv", NULL, &out);
  CHECK(e != NULL && strcmp(kijun_error_message(e), "the CSV header lacks the required column `cost_yen`") == 0);
  kijun_error_destroy(e);
  e = kijun_evaluate_records(rules, "basic", twice, NULL, NULL, &out);
  CHECK(e == NULL && out && strcmp(out, "{\"id\":\"A2\",\"line\":1,\"error\":\"employees: the field is given twice\"}\n") == 0);
  kijun_string_free(out);
  e = kijun_evaluate_records(rules, "basic", "", "xml", NULL, &out);
  CHECK(e != NULL && contains(kijun_error_message(e), "use jsonl or csv"));
  kijun_error_destroy(e);
  kijun_ruleset_destroy(rules);

  rules = NULL;
  e = kijun_ruleset_load_with_flags(path, KIJUN_LOAD_STRICT_FIELDS, keep_warnings, &w, &rules);
  CHECK(e == NULL && rules != NULL);
  if (!rules) return;
  e = kijun_evaluate_json(rules, "basic", misspelt, NULL, &out);
  CHECK(e == NULL && out &&
        strcmp(out, "{\"id\":\"U1\",\"line\":1,\"error\":\"capital_yn: not an input of fields 2026; did you mean `capital_yen`?\"}") == 0);
  kijun_string_free(out);
  CHECK(w.count == 1); /* no new warning: the error line says it */
  kijun_ruleset_destroy(rules);

  e = kijun_ruleset_load_with_flags(path, 0x80u, NULL, NULL, &rules);
  CHECK(e != NULL && contains(kijun_error_message(e), "unknown flags 128"));
  kijun_error_destroy(e);
}

/* Trusted keys through the C ABI: a key file that cannot be read is an error whatever is
 * loaded; a source directory carries no signature, so requiring one does not refuse it.
 * (Signed plugins themselves: tests/plugin/signing_tests.cpp.) */
static void check_trusted_keys(const char* ruleset_path) {
  char path[4096];
  snprintf(path, sizeof path, "%s/../../../tests/golden/cli/fields/2026", ruleset_path);
  const char* missing[] = {"no/such/key.pub", NULL};
  kijun_ruleset* rules = NULL;
  kijun_error* e = kijun_ruleset_load_trusted(path, 0, missing, NULL, NULL, &rules);
  CHECK(e != NULL && rules == NULL && contains(kijun_error_message(e), "trusted_keys: cannot read the key `no/such/key.pub`"));
  kijun_error_destroy(e);
  e = kijun_ruleset_load_trusted(path, KIJUN_LOAD_REQUIRE_SIGNATURE, NULL, NULL, NULL, &rules);
  CHECK(e == NULL && rules != NULL);
  kijun_ruleset_destroy(rules);
}

/* The input of a frame by name, from the ruleset's own description. */
static const kijun_input* input_named(const kijun_input* inputs, size_t n, const char* name) {
  for (size_t i = 0; i < n; ++i)
    if (strcmp(inputs[i].name, name) == 0) return &inputs[i];
  return NULL;
}

static int named(const char* name, const char* const* names) {
  for (; *names; ++names)
    if (strcmp(*names, name) == 0) return 1;
  return 0;
}

#define PARITY_ROWS 16

/* What the C++ API has, C has: load options, frames, inputs with their enum values and
 * ranges, error kinds, per-row decisions with citations, every output column. The batch is
 * bound from the inputs' descriptions alone: no enum code is written here. */
static void check_parity(const char* ruleset_path) {
  kijun_load_options options;
  memset(&options, 0, sizeof options);
  options.size = sizeof options;
  options.engine = KIJUN_ENGINE_INTERPRETER;
  options.flags = KIJUN_LOAD_NO_CACHE;
  kijun_ruleset* rules = NULL;
  CHECK(kijun_can_compile() == 1);
  kijun_error* e = kijun_ruleset_open(ruleset_path, &options, &rules);
  CHECK(e == NULL && rules != NULL);
  if (!rules) return;
  CHECK(kijun_ruleset_frame_count(rules) == 5);
  CHECK(strcmp(kijun_ruleset_frame_name(rules, 4), "security") == 0);
  CHECK(strlen(kijun_ruleset_frame_label(rules, 4)) > 0 && strlen(kijun_ruleset_frame_cite(rules, 4)) > 0);
  CHECK(strcmp(kijun_ruleset_frame_name(rules, 5), "") == 0);

  const kijun_input* inputs = NULL;
  size_t n = 0;
  e = kijun_frame_inputs(rules, "nosuch", &inputs, &n);
  CHECK(e != NULL && kijun_error_kind(e) == KIJUN_ERROR_USAGE && contains(kijun_error_message(e), "`nosuch` is not a frame"));
  kijun_error_destroy(e);
  CHECK(kijun_frame_inputs(rules, "security", &inputs, &n) == NULL && n > 20);
  const kijun_input* form = input_named(inputs, n, "legal_form");
  CHECK(form && form->type == KIJUN_INPUT_ENUM && form->value_count >= 2 && strlen(form->value_labels[0]) > 0);
  CHECK(form && kijun_input_enum_code(form, "corporation") >= 0 && kijun_input_enum_code(form, "kingdom") == -1);
  const kijun_input* staff = input_named(inputs, n, "employees");
  CHECK(staff && staff->type == KIJUN_INPUT_INT && !staff->optional && staff->has_min && staff->min == 0);
  const kijun_input* capital = input_named(inputs, n, "capital_yen");
  CHECK(capital && capital->type == KIJUN_INPUT_YEN && capital->optional);

  /* Applicants that meet every requirement, with 0, 25, 50, … employees: the larger ones
   * are no SME. Every value is chosen by the input's name and type. */
  static const char* const yes[] = {"registered_in_japan", "gbizid_prime", "documents_submitted", "mobile_phone_registered",
                                    "productivity_plan_reasonable", "reports_to_secretariat", "agrees_to_terms",
                                    "no_legal_issues", "service_listed", NULL};
  static const char* const choices[][2] = {{"legal_form", "corporation"}, {"industry", "manufacturing"},
                                           {"security_action", "one_star"}, {"exempt_type", "none"}};
  static uint8_t flags[2][PARITY_ROWS], absent[(PARITY_ROWS + 7) / 8];
  static int64_t ints[64][PARITY_ROWS], nums[PARITY_ROWS], dens[PARITY_ROWS];
  int ok = 0;
  int64_t day = kijun_parse_day("2026-06-01", &ok);
  memset(flags[0], 0, PARITY_ROWS), memset(flags[1], 1, PARITY_ROWS), memset(absent, 0, sizeof absent);
  for (int r = 0; r < PARITY_ROWS; ++r) nums[r] = 2, dens[r] = 100;
  kijun_batch* batch = NULL;
  CHECK(kijun_batch_create(rules, "security", &batch) == NULL);
  for (size_t i = 0; i < n && i < 64; ++i) {
    const kijun_input* in = &inputs[i];
    const uint8_t* validity = in->optional ? absent : NULL;
    int64_t value = 0;
    switch (in->type) {
      case KIJUN_INPUT_BOOL: e = kijun_batch_bind_bool(batch, in->name, flags[named(in->name, yes)], NULL); break;
      case KIJUN_INPUT_RATE: e = kijun_batch_bind_rate(batch, in->name, nums, dens, validity); break;
      case KIJUN_INPUT_TEXT: e = NULL; break;
      default:
        if (in->type == KIJUN_INPUT_DATE) value = day;
        if (strcmp(in->name, "workplace_min_wage_yen") == 0) value = 1100;
        if (strcmp(in->name, "regional_min_wage_yen") == 0) value = 1050;
        if (strcmp(in->name, "service_fee_yen") == 0) value = 600000;
        for (size_t c = 0; c < sizeof choices / sizeof *choices; ++c)
          if (strcmp(in->name, choices[c][0]) == 0) value = kijun_input_enum_code(in, choices[c][1]);
        for (int r = 0; r < PARITY_ROWS; ++r) ints[i][r] = strcmp(in->name, "employees") == 0 ? r * 25 : value;
        e = kijun_batch_bind_int64(batch, in->name, ints[i], validity);
    }
    CHECK(e == NULL);
    kijun_error_destroy(e);
  }
  e = kijun_batch_run(batch, PARITY_ROWS);
  CHECK(e == NULL);
  kijun_error_destroy(e);
  const int64_t* paid = kijun_batch_paid_amount(batch);
  const int64_t* computed = kijun_batch_amount(batch);
  int eligible = 0, refused = 0;
  for (int r = 0; r < PARITY_ROWS; ++r) {
    kijun_decision d;
    CHECK(kijun_batch_decision(batch, r, &d) == NULL && d.decided);
    CHECK(d.eligible == kijun_batch_eligible(batch)[r] && d.paid_amount_yen == paid[r] && d.computed_amount_yen == computed[r]);
    CHECK(d.rate_num == kijun_batch_rate_num(batch)[r] && d.rate_den == kijun_batch_rate_den(batch)[r]);
    CHECK(d.bonus_points == kijun_batch_bonus_points(batch)[r] && d.penalty_points == kijun_batch_penalty_points(batch)[r]);
    CHECK(paid[r] == (d.eligible ? computed[r] : 0));
    char* line = NULL;
    CHECK(kijun_batch_row_json(batch, r, "p", &line) == NULL);
    CHECK(contains(line, d.eligible ? "\"eligible\":true" : "\"eligible\":false"));
    for (size_t k = 0; k < d.failed_count; ++k) {
      char expect[256];
      snprintf(expect, sizeof expect, "{\"rule\":\"%s\",\"kind\":", d.failed[k].id);
      CHECK(contains(line, expect) && strlen(d.failed[k].cite) > 0);
    }
    kijun_string_free(line);
    eligible += d.eligible;
    refused += !d.eligible && d.failed_count == 1 && strcmp(d.failed[0].id, "sme_definition") == 0 && d.computed_amount_yen > 0;
  }
  CHECK(eligible > 0 && refused > 0); /* both outcomes, and the amount computed though not paid */

  /* The rule bitsets name the same rules as the decision; a range on threads decides as one run. */
  const kijun_rule_info* rule_list = NULL;
  size_t rule_count = 0;
  CHECK(kijun_frame_rules(rules, "security", &rule_list, &rule_count) == NULL && rule_count > 20);
  size_t words = kijun_batch_rule_words(batch);
  CHECK(words == (rule_count + 63) / 64);
  const uint64_t* failed_bits = kijun_batch_failed_rules(batch);
  int bonus_rules = 0;
  for (size_t k = 0; k < rule_count; ++k) {
    CHECK(strlen(rule_list[k].id) > 0 && strlen(rule_list[k].cite) > 0 && strlen(rule_list[k].label) > 0);
    bonus_rules += rule_list[k].kind == KIJUN_RULE_BONUS && rule_list[k].points > 0;
  }
  CHECK(bonus_rules > 0);
  static int64_t paid_before[PARITY_ROWS];
  for (int r = 0; r < PARITY_ROWS; ++r) {
    kijun_decision d;
    CHECK(kijun_batch_decision(batch, r, &d) == NULL);
    size_t set = 0;
    for (size_t k = 0; k < rule_count; ++k) set += (failed_bits[r * words + k / 64] >> (k % 64)) & 1;
    CHECK(set == d.failed_count);
    paid_before[r] = paid[r];
  }
  e = kijun_batch_run_range(batch, 1, PARITY_ROWS, 2);
  CHECK(e == NULL && kijun_batch_rows(batch) == PARITY_ROWS - 1);
  kijun_error_destroy(e);
  for (int r = 1; r < PARITY_ROWS; ++r) CHECK(kijun_batch_paid_amount(batch)[r - 1] == paid_before[r]);
  e = kijun_batch_run_range(batch, 3, 2, 1);
  CHECK(e != NULL && kijun_error_kind(e) == KIJUN_ERROR_USAGE && contains(kijun_error_message(e), "not a range"));
  kijun_error_destroy(e);
  e = kijun_frame_rules(rules, "nosuch", &rule_list, &rule_count);
  CHECK(e != NULL && kijun_error_kind(e) == KIJUN_ERROR_USAGE);
  kijun_error_destroy(e);
  e = kijun_batch_run(batch, PARITY_ROWS);
  kijun_error_destroy(e);
  kijun_decision d;
  e = kijun_batch_decision(batch, PARITY_ROWS, &d);
  CHECK(e != NULL && kijun_error_kind(e) == KIJUN_ERROR_USAGE);
  kijun_error_destroy(e);
  kijun_batch_destroy(batch);

  /* Error kinds. */
  char* out = NULL;
  e = kijun_evaluate_records(rules, "security", "id,employees,employees\n", "csv", NULL, &out);
  CHECK(e != NULL && kijun_error_kind(e) == KIJUN_ERROR_DATA);
  kijun_error_destroy(e);
  kijun_ruleset_destroy(rules);
  kijun_ruleset* none = NULL;
  e = kijun_ruleset_open("no/such/ruleset", NULL, &none);
  CHECK(e != NULL && kijun_error_kind(e) == KIJUN_ERROR_NOT_FOUND && none == NULL);
  kijun_error_destroy(e);
  e = kijun_ruleset_open("it-hojo:1999", NULL, &none);
  CHECK(e != NULL && kijun_error_kind(e) == KIJUN_ERROR_NOT_FOUND);
  kijun_error_destroy(e);
  const char* fake = "kijun-c-api-fake.kjp";
  FILE* f = fopen(fake, "wb");
  if (f) fputs("\177ELF not really", f), fclose(f);
  e = kijun_ruleset_open(fake, NULL, &none);
  CHECK(e != NULL && kijun_error_kind(e) == KIJUN_ERROR_PLUGIN_REFUSED && contains(kijun_error_message(e), "not a usable plugin"));
  kijun_error_destroy(e);
  remove(fake);
  options.size = 2; /* too small to hold even the flags */
  e = kijun_ruleset_open(ruleset_path, &options, &none);
  CHECK(e != NULL && contains(kijun_error_message(e), "sizeof(kijun_load_options)"));
  kijun_error_destroy(e);
  options.size = sizeof options;
  options.engine = 7;
  e = kijun_ruleset_open(ruleset_path, &options, &none);
  CHECK(e != NULL && kijun_error_kind(e) == KIJUN_ERROR_USAGE);
  kijun_error_destroy(e);
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "rulesets/it-hojo/2026";
  CHECK(kijun_abi_version() == KIJUN_ABI_VERSION);

  kijun_ruleset* missing = NULL;
  kijun_error* e = kijun_ruleset_load("no/such/ruleset", NULL, NULL, &missing);
  CHECK(e != NULL && missing == NULL);
  CHECK(contains(kijun_error_message(e), "cannot read"));
  kijun_error_destroy(e);
  e = kijun_ruleset_load(NULL, NULL, NULL, &missing);
  CHECK(e != NULL && contains(kijun_error_message(e), "must not be NULL"));
  kijun_error_destroy(e);

  kijun_ruleset* rules = NULL;
  e = kijun_ruleset_load(path, NULL, NULL, &rules);
  CHECK(e == NULL && rules != NULL);
  if (!rules) return 1;
  CHECK(strcmp(kijun_ruleset_programme(rules), "it-hojo") == 0);
  CHECK(kijun_ruleset_fiscal_year(rules) == 2026);
  CHECK(strncmp(kijun_ruleset_content_hash(rules), "sha256:", 7) == 0);

  char* out = NULL;
  e = kijun_evaluate_json(rules, "nosuch", "{}", NULL, &out);
  CHECK(e != NULL && contains(kijun_error_message(e), "`nosuch` is not a frame (frames: e_transaction, invoice, multi_party, normal, security)"));
  kijun_error_destroy(e);

  e = kijun_evaluate_json(rules, "security", "{\"id\":\"Q\",\"employees\":\"many\"}", NULL, &out);
  CHECK(e == NULL);
  CHECK(out && strcmp(out, "{\"id\":\"Q\",\"line\":1,\"error\":\"employees: expected an integer \xE2\x89\xA5 0, got \\\"many\\\"\"}") == 0);
  kijun_string_free(out);

  e = kijun_evaluate_json(rules, "security", "{}", "2026-02-30", &out);
  CHECK(e != NULL && contains(kijun_error_message(e), "is not a date"));
  kijun_error_destroy(e);

  /* Explanations in a chosen language and form, of the first example applicant. */
  char example[4096], record[8192] = "";
  snprintf(example, sizeof example, "%s/../../../examples/it-hojo-2026/security.jsonl", path);
  FILE* f = fopen(example, "r");
  CHECK(f != NULL && fgets(record, sizeof record, f) != NULL);
  if (f) fclose(f);
  e = kijun_explain_styled(rules, "security", record, NULL, "en", 0, &out);
  CHECK(e == NULL && contains(out, "\nOutcome: ELIGIBLE — 300,000 yen, at rate 1/2\n"));
  kijun_string_free(out);
  e = kijun_explain_styled(rules, "security", record, NULL, NULL, 1, &out);
  CHECK(e == NULL && out && out[0] == '{' && contains(out, "\"lang\":\"ja\"") && contains(out, "\"amount_yen\":300000"));
  kijun_string_free(out);
  /* The structured reason of a failed comparison, as `kijun explain --json` gives it. */
  f = fopen(example, "r");
  while (f && fgets(record, sizeof record, f) != NULL && !contains(record, "\"id\":\"A013\"")) {}
  if (f) fclose(f);
  e = kijun_explain_styled(rules, "security", record, NULL, "en", 1, &out);
  CHECK(e == NULL && contains(out, "\"text\":\"(largest_large_enterprise_shares ?? 0) / shares_total 1/2 \xE2\x89\xA5 1/2\","
                                   "\"left\":{\"expr\":\"(largest_large_enterprise_shares ?? 0) / shares_total\",\"value\":\"1/2\","
                                   "\"cite\":\"\"},\"op\":\">=\",\"right\":{\"expr\":\"1/2\",\"value\":\"1/2\",\"cite\":\"\"},"
                                   "\"holds\":true}"));
  kijun_string_free(out);
  e = kijun_explain_styled(rules, "security", record, NULL, "fr", 0, &out);
  CHECK(e != NULL && contains(kijun_error_message(e), "use ja or en"));
  kijun_error_destroy(e);

  kijun_batch* batch = NULL;
  CHECK(kijun_batch_create(rules, "security", &batch) == NULL && batch != NULL);
  int64_t day[1] = {0};
  e = kijun_batch_bind_int64(batch, "no_such_input", day, NULL);
  CHECK(e != NULL && contains(kijun_error_message(e), "`no_such_input` is not an input of frame security"));
  kijun_error_destroy(e);
  e = kijun_batch_bind_bool(batch, "employees", (const uint8_t*)day, NULL);
  CHECK(e != NULL && contains(kijun_error_message(e), "is not bound that way"));
  kijun_error_destroy(e);
  e = kijun_batch_run(batch, 1);
  CHECK(e != NULL && contains(kijun_error_message(e), "is not bound"));
  kijun_error_destroy(e);
  kijun_batch_destroy(batch);

  int ok = 0;
  CHECK(kijun_parse_day("2026-03-30", &ok) == 20542 && ok == 1);
  kijun_parse_day("2026-13-01", &ok);
  CHECK(ok == 0);

  kijun_ruleset_destroy(rules);
  check_record_fields(path);
  check_trusted_keys(path);
  check_parity(path);
  if (failures) fprintf(stderr, "%d failed\n", failures);
  else printf("c api: all checks passed\n");
  return failures ? 1 : 0;
}
