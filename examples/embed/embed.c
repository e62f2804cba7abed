/* Embedding kijun in a C program through the C ABI (kijun/kijun.h): load a plugin,
 * decide one applicant from JSON, decide a small columnar batch, free everything.
 *
 *   kijun build rulesets/it-hojo/2026 -o it-hojo-2026.kjp
 *   embed_c it-hojo-2026.kjp
 *
 * It links the runtime library (kijun::runtime), which loads plugins and has no compiler. */
#include <kijun/kijun.h>

#include <stdio.h>
#include <string.h>

#define ROWS 64

/* The code of an enum input's value, from the ruleset's description of its inputs. */
static int64_t code_of(const kijun_ruleset* rules, const char* frame, const char* input, const char* value) {
  const kijun_input* inputs = NULL;
  size_t n = 0;
  kijun_error* e = kijun_frame_inputs(rules, frame, &inputs, &n);
  kijun_error_destroy(e);
  for (size_t i = 0; i < n; ++i)
    if (strcmp(inputs[i].name, input) == 0) return kijun_input_enum_code(&inputs[i], value);
  return -1;
}

static int check(kijun_error* e, const char* what) {
  if (!e) return 0;
  fprintf(stderr, "%s: %s\n", what, kijun_error_message(e));
  kijun_error_destroy(e);
  return 1;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "it-hojo-2026.kjp";
  kijun_ruleset* rules = NULL;
  if (check(kijun_ruleset_load(path, NULL, NULL, &rules), "load")) return 1;
  printf("%s %lld, ABI %u\n", kijun_ruleset_programme(rules), (long long)kijun_ruleset_fiscal_year(rules), kijun_abi_version());

  char* line = NULL;
  if (check(kijun_evaluate_json(rules, "security", "{\"id\":\"C1\",\"employees\":-1}", NULL, &line), "evaluate")) return 1;
  printf("%s\n", line); /* an error line: the record cannot be read */
  kijun_string_free(line);

  /* A batch: every applicant a manufacturer meeting every requirement, with 0..63 × 10 employees. */
  static const char* yes[] = {"registered_in_japan", "gbizid_prime", "documents_submitted", "mobile_phone_registered",
                              "productivity_plan_reasonable", "reports_to_secretariat", "agrees_to_terms",
                              "no_legal_issues", "service_listed"};
  static const char* no[] = {"overlapping_subsidy", "prior_it_grant_2022_2025", "wage_plan_announced",
                             "owned_by_deemed_large_sme", "officers_all_from_deemed_large_sme", "deemed_same_entity_applied",
                             "registered_it_vendor", "suspension_order", "adult_entertainment_business", "ryokan_license",
                             "antisocial_forces", "fraud_in_other_subsidy", "it_strategy_navi_done", "health_management_2026",
                             "eruboshi_or_kurumin", "growth_matching_registered", "shoryokuka_navi_used",
                             "shoryokuka_navi_pdf_downloaded", "minimum_wage_near", "failed_wage_bonus_it2024_or_later",
                             "failed_wage_bonus_other_subsidy", "prior_otasuketai_grant"};
  static const char* optional[] = {"capital_yen", "workplace_min_wage_2025_07_yen", "wage_growth_rate_plan",
                                   "planned_min_wage_margin_yen", "shares_total", "largest_large_enterprise_shares",
                                   "large_enterprises_shares", "officers_total", "officers_from_large_enterprises",
                                   "taxable_income_y1_yen", "taxable_income_y2_yen", "taxable_income_y3_yen",
                                   "labor_law_prosecution_date"};
  uint8_t ones[ROWS], zeros[ROWS], absent[ROWS / 8];
  int64_t employees[ROWS], zero[ROWS], wage[ROWS], regional[ROWS], fee[ROWS], day[ROWS], num[ROWS], den[ROWS];
  int64_t form[ROWS], industry[ROWS], action[ROWS], exempt[ROWS];
  int64_t corporation = code_of(rules, "security", "legal_form", "corporation");
  int64_t manufacturing = code_of(rules, "security", "industry", "manufacturing");
  int64_t one_star = code_of(rules, "security", "security_action", "one_star");
  int64_t not_exempt = code_of(rules, "security", "exempt_type", "none");
  int ok = 0;
  int64_t today = kijun_parse_day("2026-06-01", &ok);
  for (int r = 0; r < ROWS; ++r) {
    ones[r] = 1, zeros[r] = 0, employees[r] = r * 10, zero[r] = 0, wage[r] = 1100, regional[r] = 1050;
    form[r] = corporation, industry[r] = manufacturing, action[r] = one_star, exempt[r] = not_exempt;
    fee[r] = 600000, day[r] = today, num[r] = 2, den[r] = 100;
  }
  memset(absent, 0, sizeof absent);
  kijun_batch* batch = NULL;
  if (check(kijun_batch_create(rules, "security", &batch), "batch")) return 1;
  int failed = 0;
  for (size_t i = 0; i < sizeof yes / sizeof *yes; ++i) failed |= check(kijun_batch_bind_bool(batch, yes[i], ones, NULL), yes[i]);
  for (size_t i = 0; i < sizeof no / sizeof *no; ++i) failed |= check(kijun_batch_bind_bool(batch, no[i], zeros, NULL), no[i]);
  for (size_t i = 0; i < sizeof optional / sizeof *optional; ++i)
    failed |= strcmp(optional[i], "wage_growth_rate_plan") == 0
                  ? check(kijun_batch_bind_rate(batch, optional[i], num, den, absent), optional[i])
                  : check(kijun_batch_bind_int64(batch, optional[i], zero, absent), optional[i]);
  failed |= check(kijun_batch_bind_int64(batch, "application_date", day, NULL), "application_date");
  failed |= check(kijun_batch_bind_int64(batch, "legal_form", form, NULL), "legal_form");
  failed |= check(kijun_batch_bind_int64(batch, "industry", industry, NULL), "industry");
  failed |= check(kijun_batch_bind_int64(batch, "employees", employees, NULL), "employees");
  failed |= check(kijun_batch_bind_int64(batch, "workplace_min_wage_yen", wage, NULL), "workplace_min_wage_yen");
  failed |= check(kijun_batch_bind_int64(batch, "regional_min_wage_yen", regional, NULL), "regional_min_wage_yen");
  failed |= check(kijun_batch_bind_int64(batch, "security_action", action, NULL), "security_action");
  failed |= check(kijun_batch_bind_int64(batch, "exempt_type", exempt, NULL), "exempt_type");
  failed |= check(kijun_batch_bind_int64(batch, "service_fee_yen", fee, NULL), "service_fee_yen");
  failed |= check(kijun_batch_bind_rate(batch, "productivity_growth_rate", num, den, NULL), "productivity_growth_rate");
  if (failed || check(kijun_batch_run(batch, ROWS), "run")) return 1;
  const uint8_t* eligible = kijun_batch_eligible(batch);
  const int64_t* amount = kijun_batch_paid_amount(batch);
  int count = 0;
  long long paid = 0;
  for (int r = 0; r < ROWS; ++r) count += eligible[r], paid += amount[r];
  printf("batch of %d: %d eligible, %lld yen in all\n", ROWS, count, paid);
  kijun_decision d;
  if (check(kijun_batch_decision(batch, 40, &d), "decision")) return 1;
  printf("row 40: %s", d.eligible ? "eligible" : "not eligible:");
  for (size_t k = 0; k < d.failed_count; ++k) printf(" %s (%s)", d.failed[k].id, d.failed[k].cite);
  printf("\n");
  if (check(kijun_batch_row_json(batch, 2, "row-2", &line), "json")) return 1;
  printf("%s\n", line);
  kijun_string_free(line);
  kijun_batch_destroy(batch);
  kijun_ruleset_destroy(rules);
  return 0;
}
