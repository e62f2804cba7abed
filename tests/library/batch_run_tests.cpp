// Batch::run over ranges and threads: whatever the range, the thread count or the engine,
// each bound row gets the same output, and invalid rows anywhere in a block (its first row,
// its last, the first of the next) get their error while the rows around them are decided.
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "kijun/kijun.hpp"
#include "scratch_dir.hpp"
#include "security_columns.hpp"

using namespace library_test;

namespace {

constexpr std::int64_t many = 10'000;  // several blocks of a run, the last one short

// A batch over Columns of `many` rows, with some rows broken (a zero denominator, an enum
// code out of range, a required value missing), at and around the edges of blocks.
struct Broken {
  Columns c{many};
  std::vector<std::int64_t> dens = std::vector<std::int64_t>(many, 100), growth = std::vector<std::int64_t>(many, 2),
                            industry = std::vector<std::int64_t>(many, 0), fees = std::vector<std::int64_t>(many);
  std::vector<std::uint8_t> present = std::vector<std::uint8_t>(many / 8 + 1, 0xFF);
  static constexpr std::int64_t bad_rows[] = {0, 1, 2047, 2048, 4095, 4096, 6000, 9999};

  kijun::Batch bind(const kijun::Ruleset& r) {
    auto batch = r.batch("security");
    BOOST_REQUIRE(batch.ok());
    auto b = std::move(batch.value());
    BOOST_REQUIRE(c.bind(r, b).ok());
    for (std::int64_t i = 0; i < many; ++i) fees[i] = 50'000 + (i * 7919) % 4'000'000;
    int k = 0;
    for (auto row : bad_rows) {
      if (k % 3 == 0) dens[row] = 0;
      if (k % 3 == 1) industry[row] = 11 + k;
      if (k % 3 == 2) present[row / 8] &= static_cast<std::uint8_t>(~(1u << (row % 8)));
      ++k;
    }
    BOOST_REQUIRE(b.bind_rate("productivity_growth_rate", growth.data(), dens.data()).ok());
    BOOST_REQUIRE(b.bind_int64("industry", industry.data()).ok());
    BOOST_REQUIRE(b.bind_int64("service_fee_yen", fees.data(), present.data()).ok());
    return b;
  }
};

// Each entry of the last run as its output line, with the bound row as id.
std::vector<std::string> lines(const kijun::Batch& b, std::int64_t first) {
  std::vector<std::string> out;
  for (std::int64_t i = 0; i < b.rows(); ++i) out.push_back(b.json(i, std::to_string(first + i)));
  return out;
}

kijun::Ruleset load(bool native) {
  kijun::LoadOptions o;
  o.native = native;
  auto r = kijun::Ruleset::load(ruleset, o);
  BOOST_REQUIRE_MESSAGE(r.ok(), r.status().message());
  return std::move(r.value());
}

}  // namespace

BOOST_AUTO_TEST_CASE(ranges_and_threads_decide_each_row_as_one_run_does) {
  auto r = load(true);
  Broken broken;
  auto b = broken.bind(r);
  BOOST_REQUIRE(b.run(many).ok());
  auto all = lines(b, 0);
  for (auto row : Broken::bad_rows) {
    BOOST_TEST(b.error()[row] != 0);
    BOOST_TEST(!b.decision(row).error.empty());
    BOOST_TEST(all[static_cast<std::size_t>(row)].find("\"error\":") != std::string::npos);
  }
  std::size_t decided = 0;
  for (std::int64_t i = 0; i < many; ++i) decided += b.error()[i] == 0;
  BOOST_TEST(decided == static_cast<std::size_t>(many) - std::size(Broken::bad_rows));
  for (int threads : {0, 2, 3, 7}) {
    BOOST_REQUIRE(b.run(0, many, threads).ok());
    BOOST_TEST(lines(b, 0) == all, boost::test_tools::per_element());
  }
  for (auto [first, last] : {std::pair<std::int64_t, std::int64_t>{1, 4097}, {2047, 2049}, {5000, many}, {many, many}}) {
    BOOST_REQUIRE(b.run(first, last, 2).ok());
    BOOST_TEST(b.rows() == last - first);
    std::vector<std::string> part(all.begin() + first, all.begin() + last);
    // The line number of an output line is the bound row's.
    BOOST_TEST(lines(b, first) == part, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(the_interpreter_decides_a_batch_as_native_code_does) {
  auto native = load(true), interpreted = load(false);
  Broken a, b;
  auto x = a.bind(native), y = b.bind(interpreted);
  BOOST_REQUIRE(x.run(0, many, 2).ok());
  BOOST_REQUIRE(y.run(0, many, 2).ok());
  BOOST_TEST(lines(x, 0) == lines(y, 0), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rule_bitsets_name_the_rules_of_each_decision) {
  auto r = load(true);
  Broken broken;
  auto b = broken.bind(r);
  BOOST_REQUIRE(b.run(many).ok());
  auto rules = r.rules("security");
  BOOST_REQUIRE(rules.ok());
  BOOST_TEST(b.rule_words() == (rules.value().size() + 63) / 64);
  std::size_t checked = 0;
  for (std::int64_t i = 0; i < many; ++i) {
    if (b.error()[i]) continue;
    auto d = b.decision(i);
    std::vector<std::string> failed, scored, named_failed, named_scored;
    for (std::size_t k = 0; k < rules.value().size(); ++k) {
      auto word = static_cast<std::size_t>(i) * b.rule_words() + k / 64;
      if ((b.failed_rules()[word] >> (k % 64)) & 1) failed.push_back(rules.value()[k].id);
      if ((b.scored_rules()[word] >> (k % 64)) & 1) scored.push_back(rules.value()[k].id);
    }
    for (auto& f : d.failed) named_failed.push_back(f.id);
    for (auto& f : d.bonus) named_scored.push_back(f.id);
    for (auto& f : d.penalty) named_scored.push_back(f.id);
    std::sort(scored.begin(), scored.end());
    std::sort(named_scored.begin(), named_scored.end());
    BOOST_TEST(failed == named_failed, boost::test_tools::per_element());
    BOOST_TEST(scored == named_scored, boost::test_tools::per_element());
    checked += !failed.empty();
  }
  BOOST_TEST(checked > 0u);
  // Each rule is described: its kind, citation and label; a dated form carries its dates.
  bool dated = false;
  for (const auto& rule : rules.value()) {
    BOOST_TEST(!rule.cite.empty());
    BOOST_TEST(!rule.label.empty());
    if (rule.kind == kijun::RuleKind::bonus) BOOST_TEST(rule.points > 0);
    dated |= rule.id == "shoryokuka_navi" && rule.from.has_value();
  }
  BOOST_TEST(dated);
}

BOOST_AUTO_TEST_CASE(a_run_refuses_a_range_that_is_not_one) {
  auto r = load(true);
  Broken broken;
  auto b = broken.bind(r);
  BOOST_TEST(b.run(5, 4).message() == "rows 5 to 4 are not a range of rows");
  BOOST_TEST(!b.run(-1, 4).ok());
  BOOST_TEST(b.run(0, 4, -1).message() == "threads: -1 is negative (0: one per core)");
  BOOST_TEST(!r.rules("no_such_frame").ok());
}

// An enum of no values: no code is one of its values, so every row is refused, by the
// checks of whole blocks as by the row-by-row ones.
BOOST_AUTO_TEST_CASE(no_code_is_a_value_of_an_enum_of_no_values) {
  kijun::testing::ScratchDir dir("empty-enum");
  auto path = dir.path() / "empty.kj";
  std::ofstream(path) << R"(ruleset "empty" {
  fiscal_year 2026
  as_of applied
  version 2026-01-01
}

module empty

enum kind label "種類" {
}

input applied: date label "申請日"
input kind: kind label "種類"

frame main label "本枠" {
  requirement same
    cite "1"
    label "同じ種類"
    = kind == kind

  amount cite "2" label "補助額" = 1 yen
}
)";
  for (bool native : {true, false}) {
    kijun::LoadOptions o;
    o.native = native;
    o.cache = false;
    auto r = kijun::Ruleset::load(path.string(), o);
    BOOST_REQUIRE_MESSAGE(r.ok(), r.status().message());
    auto batch = r.value().batch("main");
    BOOST_REQUIRE(batch.ok());
    auto& b = batch.value();
    std::vector<std::int64_t> kinds(1000, 0), days(1000, *kijun::parse_day("2026-06-01"));
    BOOST_REQUIRE(b.bind_int64("kind", kinds.data()).ok());
    BOOST_REQUIRE(b.bind_int64("applied", days.data()).ok());
    BOOST_REQUIRE(b.run(1000).ok());
    for (std::int64_t i = 0; i < 1000; ++i) BOOST_TEST(b.decision(i).error == "kind: 0 is not a value of kind");
  }
}

BOOST_AUTO_TEST_CASE(a_failed_run_leaves_no_entries) {
  auto r = load(true);
  Broken broken;
  auto b = broken.bind(r);
  BOOST_REQUIRE(b.run(many).ok());
  BOOST_TEST(b.rows() == many);
  BOOST_TEST(!b.run(0, std::int64_t{1} << 50, 1).ok());
  BOOST_TEST(b.rows() == 0);
}
