#include "bench/security_baseline.hpp"

#include "dsl/support/calendar.hpp"

namespace kijun::bench {

namespace {

enum Input : std::size_t {
  legal_form, industry, capital_yen, employees, registered_in_japan, workplace_min_wage_yen, regional_min_wage_yen,
  workplace_min_wage_2025_07_yen, gbizid_prime, security_action, documents_submitted, mobile_phone_registered,
  overlapping_subsidy, productivity_growth_rate, productivity_plan_reasonable, reports_to_secretariat, agrees_to_terms,
  no_legal_issues, prior_it_grant_2022_2025, wage_growth_rate_plan, wage_plan_announced, exempt_type,
  planned_min_wage_margin_yen, shares_total, largest_large_enterprise_shares, large_enterprises_shares, officers_total,
  officers_from_large_enterprises, owned_by_deemed_large_sme, officers_all_from_deemed_large_sme, taxable_income_y1_yen,
  taxable_income_y2_yen, taxable_income_y3_yen, deemed_same_entity_applied, registered_it_vendor, suspension_order,
  adult_entertainment_business, ryokan_license, labor_law_prosecution_date, antisocial_forces, fraud_in_other_subsidy,
  it_strategy_navi_done, health_management_2026, eruboshi_or_kurumin, growth_matching_registered, shoryokuka_navi_used,
  shoryokuka_navi_pdf_downloaded, minimum_wage_near, failed_wage_bonus_it2024_or_later, failed_wage_bonus_other_subsidy,
  service_fee_yen, service_listed, prior_otasuketai_grant, adult_entertainment_item_1_1, input_count
};

const char* const input_names[] = {
    "legal_form", "industry", "capital_yen", "employees", "registered_in_japan", "workplace_min_wage_yen",
    "regional_min_wage_yen", "workplace_min_wage_2025_07_yen", "gbizid_prime", "security_action", "documents_submitted",
    "mobile_phone_registered", "overlapping_subsidy", "productivity_growth_rate", "productivity_plan_reasonable",
    "reports_to_secretariat", "agrees_to_terms", "no_legal_issues", "prior_it_grant_2022_2025", "wage_growth_rate_plan",
    "wage_plan_announced", "exempt_type", "planned_min_wage_margin_yen", "shares_total", "largest_large_enterprise_shares",
    "large_enterprises_shares", "officers_total", "officers_from_large_enterprises", "owned_by_deemed_large_sme",
    "officers_all_from_deemed_large_sme", "taxable_income_y1_yen", "taxable_income_y2_yen", "taxable_income_y3_yen",
    "deemed_same_entity_applied", "registered_it_vendor", "suspension_order", "adult_entertainment_business",
    "ryokan_license", "labor_law_prosecution_date", "antisocial_forces", "fraud_in_other_subsidy", "it_strategy_navi_done",
    "health_management_2026", "eruboshi_or_kurumin", "growth_matching_registered", "shoryokuka_navi_used",
    "shoryokuka_navi_pdf_downloaded", "minimum_wage_near", "failed_wage_bonus_it2024_or_later",
    "failed_wage_bonus_other_subsidy", "service_fee_yen", "service_listed", "prior_otasuketai_grant",
    "adult_entertainment_item_1_1"};

enum Rule : std::size_t {
  r_sme_definition, r_registered_in_japan, r_minimum_wage, r_gbizid_prime, r_security_action, r_documents_submitted,
  r_mobile_phone, r_no_overlapping_subsidy, r_productivity_growth, r_productivity_plan, r_reporting, r_consents,
  r_compliance, r_wage_raise_plan, r_large_enterprise_half, r_large_enterprises_two_thirds, r_large_enterprise_officers,
  r_owned_by_deemed_large, r_officers_from_deemed_large, r_high_taxable_income, r_deemed_same_entity, r_it_vendor,
  r_suspended, r_adult_entertainment, r_labor_law_prosecution, r_antisocial_forces, r_religious_corporation,
  r_unincorporated_association, r_fraud_in_other_subsidy, r_two_star, r_wage_plan, r_wage_plan_plus50, r_prior_wage_plan,
  r_prior_wage_plan_plus50, r_it_strategy_navi, r_health_management, r_eruboshi_kurumin, r_growth_matching,
  r_shoryokuka_navi, r_minimum_wage_near, r_minimum_wage_raised, r_prior_it_grant, r_failed_wage_bonus_it,
  r_failed_wage_bonus_other, r_listed_service, r_first_otasuketai_grant, r_minimum_amount, r_application_period, rule_count
};

const char* const rule_names[] = {
    "sme_definition", "registered_in_japan", "minimum_wage", "gbizid_prime", "security_action", "documents_submitted",
    "mobile_phone", "no_overlapping_subsidy", "productivity_growth", "productivity_plan", "reporting", "consents",
    "compliance", "wage_raise_plan", "large_enterprise_half", "large_enterprises_two_thirds", "large_enterprise_officers",
    "owned_by_deemed_large", "officers_from_deemed_large", "high_taxable_income", "deemed_same_entity", "it_vendor",
    "suspended", "adult_entertainment", "labor_law_prosecution", "antisocial_forces", "religious_corporation",
    "unincorporated_association", "fraud_in_other_subsidy", "two_star", "wage_plan", "wage_plan_plus50", "prior_wage_plan",
    "prior_wage_plan_plus50", "it_strategy_navi", "health_management", "eruboshi_kurumin", "growth_matching",
    "shoryokuka_navi", "minimum_wage_near", "minimum_wage_raised", "prior_it_grant", "failed_wage_bonus_it",
    "failed_wage_bonus_other", "listed_service", "first_otasuketai_grant", "minimum_amount", "application_period"};

// Industry and legal-form codes the baseline is written against.
enum Industry : std::int64_t { manufacturing, construction, transport, wholesale, retail, services, entertainment, software_it, ryokan, rubber_products, other };
enum Form : std::int64_t { corporation, sole_proprietor, medical, social_welfare, school, commerce, sme_org, special_union, foundation, npo, religious, unincorporated };

__extension__ typedef __int128 i128;

}  // namespace

bool SecurityBaseline::bind(const ir::Ruleset& rs, std::uint32_t frame, std::string& why) {
  slot_.assign(input_count, -1);
  for (std::size_t i = 0; i < input_count; ++i) {
    slot_[i] = rs.input_index(input_names[i]);
    if (slot_[i] < 0) {
      why = std::string("the ruleset has no input ") + input_names[i];
      return false;
    }
  }
  const auto& f = rs.frames[frame];
  rule_.assign(rule_count, -1);
  for (std::size_t k = 0; k < f.rules.size(); ++k)
    for (std::size_t r = 0; r < rule_count; ++r)
      if (rs.rules[f.rules[k]].id == rule_names[r] && rule_[r] < 0) rule_[r] = static_cast<std::int32_t>(k);
  // 加点8) has two versions under one id: the second is the one from 2026-05-15.
  for (std::size_t k = 0; k < f.rules.size(); ++k)
    if (rs.rules[f.rules[k]].id == "shoryokuka_navi" && rs.rules[f.rules[k]].period.from)
      navi_pdf_from_ = *rs.rules[f.rules[k]].period.from;
  for (std::size_t r = 0; r < rule_count; ++r)
    if (rule_[r] < 0) {
      why = std::string("the frame has no rule ") + rule_names[r];
      return false;
    }
  words_ = ir::bitset_words(f.rules.size());
  small_exempt_until_ = *dsl::parse_date("2026-03-29");
  applications_open_ = *dsl::parse_date("2026-03-30");
  for (const char* d : {"2026-05-12", "2026-06-15", "2026-07-21", "2026-08-25"}) deadlines_.push_back(*dsl::parse_date(d));
  auto map = [&](const char* input, std::initializer_list<const char*> names, std::vector<std::int64_t>& out) {
    const auto& en = rs.enums[rs.inputs[rs.input_index(input)].type.enum_id];
    out.assign(en.values.size(), -1);
    std::int64_t code = 0;
    for (auto n : names) {
      for (std::size_t v = 0; v < en.values.size(); ++v)
        if (en.values[v] == n) out[v] = code;
      ++code;
    }
  };
  map("industry", {"manufacturing", "construction", "transport", "wholesale", "retail", "services", "entertainment",
                   "software_it", "ryokan", "rubber_products", "other"}, industry_);
  map("legal_form", {"corporation", "sole_proprietor", "medical_corporation", "social_welfare_corporation",
                     "school_corporation", "commerce_and_industry_association", "sme_organization", "special_law_union",
                     "foundation_or_association", "npo", "religious_corporation", "unincorporated_association"}, legal_form_);
  map("security_action", {"none", "one_star", "two_star"}, action_);
  return true;
}

void SecurityBaseline::run(const kijun_batch_in& in, kijun_batch_out& out, std::int64_t begin, std::int64_t end) const {
  auto col = [&](Input x) { return static_cast<const std::int64_t*>(in.values[slot_[x]]); };
  auto flag = [&](Input x) { return static_cast<const std::uint8_t*>(in.values[slot_[x]]); };
  auto den = [&](Input x) { return in.denoms[slot_[x]]; };
  for (std::int64_t i = begin; i < end; ++i) {
    auto I = [&](Input x) { return col(x)[i]; };
    auto B = [&](Input x) { return flag(x)[i] != 0; };
    auto has = [&](Input x) {
      const std::uint8_t* v = in.validity[slot_[x]];
      return !v || ((v[i >> 3] >> (i & 7)) & 1);
    };
    std::int64_t as_of = in.as_of ? in.as_of[i] : in.as_of_day;
    std::uint64_t failed[2] = {0, 0}, scored[2] = {0, 0};
    std::int64_t bonus = 0, penalty = 0;
    bool fault = false;
    auto fail = [&](Rule r) { failed[rule_[r] / 64] |= 1ULL << (rule_[r] % 64); };
    auto score = [&](Rule r, bool hit, bool is_bonus) {
      if (!hit) return;
      scored[rule_[r] / 64] |= 1ULL << (rule_[r] % 64);
      (is_bonus ? bonus : penalty) += 1;
    };

    std::int64_t form = legal_form_[I(legal_form)], ind = industry_[I(industry)], staff = I(employees);
    bool company = form == corporation || form == sole_proprietor;
    std::int64_t cap_limit = ind == wholesale ? 100'000'000 : (ind == services || ind == entertainment || ind == retail || ind == ryokan) ? 50'000'000 : 300'000'000;
    std::int64_t staff_limit = ind == wholesale || ind == services || ind == entertainment ? 100 : ind == retail ? 50
                             : ind == rubber_products ? 900 : ind == ryokan ? 200 : 300;
    bool sme = company ? ((form == corporation && has(capital_yen) && I(capital_yen) <= cap_limit) || staff <= staff_limit)
             : (form == medical || form == social_welfare || form == school) ? staff <= 300
             : form == commerce ? staff <= 100
             : (form == sme_org || form == special_union || form == foundation || form == npo) ? staff <= staff_limit
                                                                                                : false;
    bool small = company && staff <= (ind == wholesale || ind == retail || ind == services || ind == software_it ? 5 : 20);
    // The application's round: the first whose deadline is on or after the application
    // date (the as-of date); the last round takes every later date.
    std::int64_t deadline = deadlines_.back();
    for (auto d : deadlines_)
      if (as_of <= d) {
        deadline = d;
        break;
      }

    if (form != religious && form != unincorporated && !sme) fail(r_sme_definition);
    if (!B(registered_in_japan)) fail(r_registered_in_japan);
    if (I(workplace_min_wage_yen) < I(regional_min_wage_yen)) fail(r_minimum_wage);
    if (!B(gbizid_prime)) fail(r_gbizid_prime);
    if (action_[I(security_action)] == 0) fail(r_security_action);
    if (!B(documents_submitted)) fail(r_documents_submitted);
    if (!B(mobile_phone_registered)) fail(r_mobile_phone);
    if (B(overlapping_subsidy)) fail(r_no_overlapping_subsidy);
    if (static_cast<i128>(col(productivity_growth_rate)[i]) * 100 < den(productivity_growth_rate)[i]) fail(r_productivity_growth);
    if (!B(productivity_plan_reasonable)) fail(r_productivity_plan);
    if (!B(reports_to_secretariat)) fail(r_reporting);
    if (!B(agrees_to_terms)) fail(r_consents);
    if (!B(no_legal_issues)) fail(r_compliance);
    bool prior = B(prior_it_grant_2022_2025);
    bool has_growth = has(wage_growth_rate_plan);
    i128 growth_n = has_growth ? col(wage_growth_rate_plan)[i] : 0, growth_d = has_growth ? den(wage_growth_rate_plan)[i] : 1;
    bool announced = B(wage_plan_announced);
    if (prior && I(exempt_type) == 0 && !(small && as_of <= small_exempt_until_) &&
        !(has_growth && growth_n * 1000 >= 35 * growth_d && announced))
      fail(r_wage_raise_plan);

    if (has(shares_total) && I(shares_total) > 0) {
      i128 total = I(shares_total);
      if (2 * static_cast<i128>(has(largest_large_enterprise_shares) ? I(largest_large_enterprise_shares) : 0) >= total) fail(r_large_enterprise_half);
      if (3 * static_cast<i128>(has(large_enterprises_shares) ? I(large_enterprises_shares) : 0) >= 2 * total) fail(r_large_enterprises_two_thirds);
    }
    if (has(officers_total) && I(officers_total) > 0 &&
        2 * static_cast<i128>(has(officers_from_large_enterprises) ? I(officers_from_large_enterprises) : 0) >= I(officers_total))
      fail(r_large_enterprise_officers);
    if (B(owned_by_deemed_large_sme)) fail(r_owned_by_deemed_large);
    if (B(officers_all_from_deemed_large_sme)) fail(r_officers_from_deemed_large);
    if (has(taxable_income_y1_yen) && has(taxable_income_y2_yen) && has(taxable_income_y3_yen)) {
      std::int64_t s1, s2;
      if (__builtin_add_overflow(I(taxable_income_y1_yen), I(taxable_income_y2_yen), &s1) ||
          __builtin_add_overflow(s1, I(taxable_income_y3_yen), &s2))
        fault = true;
      else if (s2 > 4'500'000'000) fail(r_high_taxable_income);  // average over 1.5 billion
    }
    if (B(deemed_same_entity_applied)) fail(r_deemed_same_entity);
    if (B(registered_it_vendor)) fail(r_it_vendor);
    if (B(suspension_order)) fail(r_suspended);
    bool item_1_1 = has(adult_entertainment_item_1_1) && B(adult_entertainment_item_1_1);
    if (B(adult_entertainment_business) && !(B(ryokan_license) && item_1_1)) fail(r_adult_entertainment);
    if (has(labor_law_prosecution_date)) {
      auto year_ago = dsl::add_months(as_of, -12);
      std::int64_t on = I(labor_law_prosecution_date);
      if (!year_ago) fault = true;
      else if (on > *year_ago && on <= as_of) fail(r_labor_law_prosecution);
    }
    if (B(antisocial_forces)) fail(r_antisocial_forces);
    if (form == religious) fail(r_religious_corporation);
    if (form == unincorporated) fail(r_unincorporated_association);
    if (B(fraud_in_other_subsidy)) fail(r_fraud_in_other_subsidy);

    std::int64_t margin = has(planned_min_wage_margin_yen) ? I(planned_min_wage_margin_yen) : 0;
    score(r_two_star, action_[I(security_action)] == 2, true);
    score(r_wage_plan, !prior && margin >= 30 && growth_n * 100 >= 3 * growth_d && announced, true);
    score(r_wage_plan_plus50, !prior && margin >= 50 && growth_n * 100 >= 3 * growth_d && announced, true);
    score(r_prior_wage_plan, prior && margin >= 30 && growth_n * 1000 >= 35 * growth_d && announced, true);
    score(r_prior_wage_plan_plus50, prior && margin >= 50 && growth_n * 1000 >= 35 * growth_d && announced, true);
    score(r_it_strategy_navi, B(it_strategy_navi_done), true);
    score(r_health_management, B(health_management_2026), true);
    score(r_eruboshi_kurumin, B(eruboshi_or_kurumin), true);
    score(r_growth_matching, B(growth_matching_registered), true);
    // 加点8) is judged as of the round's deadline: the form in force that day.
    if (deadline < navi_pdf_from_) score(r_shoryokuka_navi, B(shoryokuka_navi_used), true);
    else {
      // The amended 加点8) is the second rule with this id.
      bool hit = B(shoryokuka_navi_pdf_downloaded);
      if (hit) {
        std::size_t k = static_cast<std::size_t>(rule_[r_shoryokuka_navi]) + 1;
        scored[k / 64] |= 1ULL << (k % 64);
        ++bonus;
      }
    }
    score(r_minimum_wage_near, B(minimum_wage_near), true);
    if (has(workplace_min_wage_2025_07_yen)) {
      std::int64_t target;
      if (__builtin_add_overflow(I(workplace_min_wage_2025_07_yen), 63, &target)) fault = true;
      else score(r_minimum_wage_raised, I(workplace_min_wage_yen) >= target, true);
    }
    score(r_prior_it_grant, prior, false);
    score(r_failed_wage_bonus_it, B(failed_wage_bonus_it2024_or_later), false);
    score(r_failed_wage_bonus_other, B(failed_wage_bonus_other_subsidy), false);
    if (as_of < applications_open_ || as_of > deadline) fail(r_application_period);
    if (!B(service_listed)) fail(r_listed_service);
    if (B(prior_otasuketai_grant)) fail(r_first_otasuketai_grant);

    // 2-3: fee × rate floored to the yen, capped; exact, so fee × 2 must be representable
    // unless the thirds come out whole.
    std::int64_t fee = I(service_fee_yen);
    std::int64_t amount;
    if (small) {
      i128 twice = static_cast<i128>(fee) * 2;
      if (twice > INT64_MAX && twice % 3 != 0) fault = true;
      amount = static_cast<std::int64_t>(twice / 3);
    } else {
      amount = fee / 2;
    }
    if (amount > 1'500'000) amount = 1'500'000;
    if (amount < 50'000) fail(r_minimum_amount);

    if (fault) {
      out.error[i] = 1;
      out.eligible[i] = 0;
      continue;
    }
    out.error[i] = 0;
    out.eligible[i] = (failed[0] | failed[1]) == 0;
    out.amount[i] = amount;
    out.rate_num[i] = small ? 2 : 1;
    out.rate_den[i] = small ? 3 : 2;
    out.bonus_points[i] = bonus;
    out.penalty_points[i] = penalty;
    for (std::uint32_t w = 0; w < words_; ++w) {
      out.failed[i * words_ + w] = failed[w];
      out.scored[i * words_ + w] = scored[w];
    }
  }
}

}  // namespace kijun::bench
