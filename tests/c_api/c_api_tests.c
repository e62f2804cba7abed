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
  if (failures) fprintf(stderr, "%d failed\n", failures);
  else printf("c api: all checks passed\n");
  return failures ? 1 : 0;
}
