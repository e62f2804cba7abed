// The example applicant the embedding examples start from: a manufacturer that meets every
// requirement of the 2026 ruleset; with 400 million yen of capital it is an SME only
// while it has at most 300 employees.
#pragma once

#include <cstdint>
#include <map>
#include <string>

inline const std::map<std::string, std::int64_t>& example_applicant() {
  static const std::map<std::string, std::int64_t> values = {
      {"employees", 30}, {"capital_yen", 400'000'000}, {"registered_in_japan", 1}, {"workplace_min_wage_yen", 1100},
      {"regional_min_wage_yen", 1050}, {"gbizid_prime", 1}, {"security_action", 1}, {"documents_submitted", 1},
      {"mobile_phone_registered", 1}, {"productivity_plan_reasonable", 1}, {"reports_to_secretariat", 1},
      {"agrees_to_terms", 1}, {"no_legal_issues", 1}, {"service_fee_yen", 600'000}, {"service_listed", 1}};
  return values;
}
