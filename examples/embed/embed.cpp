// Embedding kijun in a C++ program: load the 2026 ruleset once, decide one applicant from
// JSON, then decide a columnar batch built in this program's own memory.
//
//   embed_cpp rulesets/it-hojo/2026
#include <kijun/kijun.hpp>

#include <cstdio>
#include <vector>

#include "applicants.hpp"

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "rulesets/it-hojo/2026";
  auto loaded = kijun::Ruleset::load(path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "cannot load %s:\n%s\n", path, loaded.status().message().c_str());
    return 1;
  }
  kijun::Ruleset& rules = loaded.value();
  std::printf("%s %lld (%s)\n", rules.programme().c_str(), static_cast<long long>(rules.fiscal_year()), rules.content_hash().c_str());

  // One applicant, as JSON in, the product's output line out.
  auto line = rules.evaluate_json("security", R"({"id":"X1","application_date":"2026-06-01","legal_form":"corporation",
    "industry":"retail","capital_yen":10000000,"employees":5,"registered_in_japan":true,"workplace_min_wage_yen":1100,
    "regional_min_wage_yen":1050,"gbizid_prime":true,"security_action":"two_star","documents_submitted":true,
    "mobile_phone_registered":true,"overlapping_subsidy":false,"productivity_growth_rate":"0.02",
    "productivity_plan_reasonable":true,"reports_to_secretariat":true,"agrees_to_terms":true,"no_legal_issues":true,
    "prior_it_grant_2022_2025":false,"wage_plan_announced":false,"exempt_type":"none","owned_by_deemed_large_sme":false,
    "officers_all_from_deemed_large_sme":false,"deemed_same_entity_applied":false,"registered_it_vendor":false,
    "suspension_order":false,"adult_entertainment_business":false,"ryokan_license":false,"antisocial_forces":false,
    "fraud_in_other_subsidy":false,"it_strategy_navi_done":false,"health_management_2026":false,"eruboshi_or_kurumin":false,
    "growth_matching_registered":false,"shoryokuka_navi_used":false,"shoryokuka_navi_pdf_downloaded":false,
    "minimum_wage_near":false,"failed_wage_bonus_it2024_or_later":false,"failed_wage_bonus_other_subsidy":false,
    "service_fee_yen":600000,"service_listed":true,"prior_otasuketai_grant":false})");
  if (!line.ok()) return std::fprintf(stderr, "%s\n", line.status().message().c_str()), 1;
  std::printf("%s\n", line.value().c_str());

  // A batch: one column per input, in this program's memory, bound without copying.
  const std::int64_t rows = 10'000;
  auto batch = rules.batch("security");
  auto inputs = rules.inputs("security");
  if (!batch.ok() || !inputs.ok()) return 1;
  std::vector<std::vector<std::int64_t>> ints;
  std::vector<std::vector<std::uint8_t>> flags;
  std::vector<std::uint8_t> none(rows / 8 + 1, 0);  // validity bitmap: every row absent
  std::vector<std::int64_t> dens(rows, 100);
  ints.reserve(inputs.value().size());
  flags.reserve(inputs.value().size());
  auto day = *kijun::parse_day("2026-06-01");
  for (const auto& in : inputs.value()) {
    auto known = example_applicant().find(in.name);
    std::int64_t v = known != example_applicant().end() ? known->second : 0;
    kijun::Status s;
    switch (in.type) {
      case kijun::InputType::text: continue;
      case kijun::InputType::boolean:
        flags.emplace_back(rows, static_cast<std::uint8_t>(v));
        s = batch->bind_bool(in.name, flags.back().data(), in.optional && known == example_applicant().end() ? none.data() : nullptr);
        break;
      case kijun::InputType::rate:
        ints.emplace_back(rows, 2);  // 2/100 = 2%
        s = batch->bind_rate(in.name, ints.back().data(), dens.data(), in.optional ? none.data() : nullptr);
        break;
      default:
        ints.emplace_back(rows, in.type == kijun::InputType::date ? day : v);
        if (in.name == "employees")
          for (std::int64_t r = 0; r < rows; ++r) ints.back()[r] = r % 400;  // some are too large to be SMEs
        s = batch->bind_int64(in.name, ints.back().data(), in.optional && known == example_applicant().end() ? none.data() : nullptr);
    }
    if (!s.ok()) return std::fprintf(stderr, "%s\n", s.message().c_str()), 1;
  }
  if (auto s = batch->run(rows); !s.ok()) return std::fprintf(stderr, "%s\n", s.message().c_str()), 1;
  std::int64_t eligible = 0, paid = 0;
  for (std::int64_t r = 0; r < rows; ++r) {
    auto d = batch->decision(r);
    eligible += d.eligible;
    paid += d.amount_yen;
  }
  std::printf("batch of %lld: %lld eligible, %lld yen in all\n", static_cast<long long>(rows), static_cast<long long>(eligible),
              static_cast<long long>(paid));
  std::printf("%s\n", batch->json(399, "row-399").c_str());
  return eligible > 0 && eligible < rows ? 0 : 1;
}
