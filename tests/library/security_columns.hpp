// Columns for the security frame of the 2026 ruleset, bound through the C++ API, shared by
// the library's tests.
#pragma once

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "kijun/kijun.hpp"

namespace library_test {

inline const std::string ruleset = std::string(KIJUN_SOURCE_DIR) + "/rulesets/it-hojo/2026";
constexpr std::int64_t rows = 4096;

// Columns for the security frame: every applicant meets every requirement, staff and fee vary.
struct Columns {
  explicit Columns(std::int64_t n = rows) : count(n), dens(static_cast<std::size_t>(n), 100), absent(static_cast<std::size_t>(n / 8 + 1), 0) {}
  std::int64_t count;
  std::vector<std::vector<std::int64_t>> ints;
  std::vector<std::vector<std::uint8_t>> flags;
  std::vector<std::int64_t> dens;
  std::vector<std::uint8_t> absent;

  bool bind_absent = true;  // false: leave the optional inputs given as absent unbound

  kijun::Status bind(const kijun::Ruleset& r, kijun::Batch& b) {
    auto inputs = r.inputs("security").value();
    ints.reserve(inputs.size());
    flags.reserve(inputs.size());
    for (const auto& in : inputs) {
      kijun::Status s;
      if (!bind_absent && in.optional && in.name != "capital_yen") continue;
      bool yes = in.name == "registered_in_japan" || in.name == "gbizid_prime" || in.name == "documents_submitted" ||
                 in.name == "mobile_phone_registered" || in.name == "productivity_plan_reasonable" ||
                 in.name == "reports_to_secretariat" || in.name == "agrees_to_terms" || in.name == "no_legal_issues" ||
                 in.name == "service_listed";
      switch (in.type) {
        case kijun::InputType::text: continue;
        case kijun::InputType::boolean:
          flags.emplace_back(count, yes ? 1 : 0);
          s = b.bind_bool(in.name, flags.back().data());
          break;
        case kijun::InputType::rate:
          ints.emplace_back(count, 2);
          s = b.bind_rate(in.name, ints.back().data(), dens.data(), in.optional ? absent.data() : nullptr);
          break;
        default: {
          std::int64_t v = in.name == "application_date" ? *kijun::parse_day("2026-06-01")
                         : in.name == "workplace_min_wage_yen" ? 1100 : in.name == "regional_min_wage_yen" ? 1050
                         : in.name == "security_action" ? 1 : in.name == "capital_yen" ? 400'000'000 : 0;
          ints.emplace_back(count, v);
          auto& col = ints.back();
          for (std::int64_t i = 0; i < count; ++i) {
            if (in.name == "employees") col[i] = i % 500;
            if (in.name == "service_fee_yen") col[i] = 50'000 + (i * 7919) % 4'000'000;
          }
          bool given = in.name == "capital_yen";
          s = b.bind_int64(in.name, col.data(), in.optional && !given ? absent.data() : nullptr);
        }
      }
      if (!s.ok()) return s;
    }
    return {};
  }
};

inline std::vector<std::string> decide_all(const kijun::Ruleset& r, Columns& c) {
  auto batch = r.batch("security");
  BOOST_REQUIRE(batch.ok());
  auto& b = batch.value();
  auto bound = c.bind(r, b);
  BOOST_REQUIRE_MESSAGE(bound.ok(), bound.message());
  auto run = b.run(rows);
  BOOST_REQUIRE_MESSAGE(run.ok(), run.message());
  std::vector<std::string> out;
  for (std::int64_t i = 0; i < rows; ++i) out.push_back(b.json(i, "r" + std::to_string(i)));
  return out;
}

}  // namespace library_test
