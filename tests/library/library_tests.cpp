// The C++ API: one loaded ruleset shared by many threads gives the same decisions as one
// thread; rows with invalid values get errors and the others are decided; JSON in gives
// the CLI's line out.
#define BOOST_TEST_MODULE library
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "kijun/kijun.hpp"
#include "scratch_dir.hpp"
#include "security_columns.hpp"

using namespace library_test;

BOOST_AUTO_TEST_CASE(many_threads_share_one_ruleset) {
  auto loaded = kijun::Ruleset::load(ruleset);
  BOOST_REQUIRE_MESSAGE(loaded.ok(), loaded.status().message());
  const auto& r = loaded.value();
  Columns single;
  auto expected = decide_all(r, single);
  std::vector<std::vector<std::string>> got(4);
  std::vector<Columns> columns(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) got[t] = decide_all(r, columns[t]);
    });
  for (auto& t : threads) t.join();
  for (int t = 0; t < 4; ++t) BOOST_TEST((got[t] == expected));
  std::size_t eligible = 0;
  for (auto& line : expected) eligible += line.find("\"eligible\":true") != std::string::npos;
  BOOST_TEST(eligible > 0u);
  BOOST_TEST(eligible < static_cast<std::size_t>(rows));
}

BOOST_AUTO_TEST_CASE(a_batch_row_is_explained_on_demand) {
  auto loaded = kijun::Ruleset::load(ruleset);
  BOOST_REQUIRE(loaded.ok());
  const auto& r = loaded.value();
  Columns c;
  auto batch = r.batch("security");
  auto& b = batch.value();
  BOOST_REQUIRE(c.bind(r, b).ok());
  BOOST_REQUIRE(b.run(rows).ok());
  // Row 450 has 450 employees and 400 million yen of capital: not an SME.
  BOOST_TEST((b.decision(450).failed == std::vector<kijun::RuleRef>{{"sme_definition", "2-1-1(1)"}}));
  auto text = b.explain(450, "row-450", {"en", false});
  BOOST_REQUIRE_MESSAGE(text.ok(), text.status().message());
  BOOST_TEST(text.value().find("Applicant row-450 — frame security") == 0u);
  BOOST_TEST(text.value().find("  2-1-1(1)  requirement SME definition (sme_definition)\n") != std::string::npos);
  BOOST_TEST(text.value().find("employees 450 > sme_limits.employee_limit 300") != std::string::npos);
  auto ja = b.explain(450, "row-450");
  BOOST_REQUIRE(ja.ok());
  BOOST_TEST(ja.value().find("  2-1-1(1)  要件 中小企業者等の定義に該当する (sme_definition)\n") != std::string::npos);
  auto json = b.explain(450, "row-450", {"en", true});
  BOOST_REQUIRE(json.ok());
  BOOST_TEST(json.value().find("{\"id\":\"row-450\",\"frame\":\"security\",") == 0u);
  BOOST_TEST(!b.explain(450, "row-450", {"fr", false}).ok());
  BOOST_TEST(!b.explain(rows, "none").ok());
}

// The API explains as `kijun explain --json` does: its structured reasons included.
BOOST_AUTO_TEST_CASE(an_explanation_as_json_is_the_cli_one) {
  auto loaded = kijun::Ruleset::load(ruleset);
  BOOST_REQUIRE(loaded.ok());
  std::string root = KIJUN_SOURCE_DIR;
  std::ifstream in(root + "/examples/it-hojo-2026/security.jsonl");
  std::string record;
  while (std::getline(in, record) && record.find("\"id\":\"A013\"") == std::string::npos) {}
  BOOST_REQUIRE(!record.empty());
  auto json = loaded.value().explain("security", record, "", {"en", true});
  BOOST_REQUIRE_MESSAGE(json.ok(), json.status().message());
  std::ifstream golden(root + "/tests/golden/explain/security/A013.json");
  std::string expected;
  std::getline(golden, expected);
  BOOST_TEST(json.value() == expected);
  BOOST_TEST(json.value().find("\"op\":\">=\"") != std::string::npos);
}

// An optional input the caller does not bind is absent in every row, as a field left out of
// a record is; a required one left unbound is refused.
BOOST_AUTO_TEST_CASE(an_unbound_optional_input_is_absent) {
  auto loaded = kijun::Ruleset::load(ruleset);
  BOOST_REQUIRE(loaded.ok());
  const auto& r = loaded.value();
  Columns bound, unbound;
  unbound.bind_absent = false;
  BOOST_TEST(decide_all(r, bound) == decide_all(r, unbound), boost::test_tools::per_element());
  auto batch = r.batch("security");
  auto& b = batch.value();
  std::vector<std::int64_t> fees(rows, 100'000);
  BOOST_REQUIRE(b.bind_int64("service_fee_yen", fees.data()).ok());
  auto run = b.run(rows);
  BOOST_TEST(!run.ok());
  BOOST_TEST(run.message().find("is not bound") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(invalid_rows_get_errors_and_the_rest_are_decided) {
  auto loaded = kijun::Ruleset::load(ruleset);
  BOOST_REQUIRE(loaded.ok());
  const auto& r = loaded.value();
  Columns good;
  auto expected = decide_all(r, good);

  Columns c;
  auto batch = r.batch("security");
  auto& b = batch.value();
  BOOST_REQUIRE(c.bind(r, b).ok());
  // Break three rows in three ways: a zero denominator, an enum code, a missing value.
  std::vector<std::int64_t> dens(rows, 100), industry(rows, 0);
  std::vector<std::uint8_t> present(rows / 8 + 1, 0xFF);
  dens[5] = 0;
  industry[6] = 99;
  present[7 / 8] &= static_cast<std::uint8_t>(~(1u << (7 % 8)));
  std::vector<std::int64_t> growth(rows, 2);
  BOOST_REQUIRE(b.bind_rate("productivity_growth_rate", growth.data(), dens.data()).ok());
  BOOST_REQUIRE(b.bind_int64("industry", industry.data()).ok());
  std::vector<std::int64_t> fees(rows);
  for (std::int64_t i = 0; i < rows; ++i) fees[i] = 50'000 + (i * 7919) % 4'000'000;
  BOOST_REQUIRE(b.bind_int64("service_fee_yen", fees.data(), present.data()).ok());
  BOOST_REQUIRE(b.run(rows).ok());
  BOOST_TEST(b.json(5, "r5") == R"({"id":"r5","line":6,"error":"productivity_growth_rate: a rate's denominator must be positive"})");
  BOOST_TEST(b.json(6, "r6") == R"({"id":"r6","line":7,"error":"industry: 99 is not a value of industry"})");
  BOOST_TEST(b.json(7, "r7") == R"({"id":"r7","line":8,"error":"service_fee_yen: required value missing"})");
  BOOST_TEST(b.decision(7).error == "service_fee_yen: required value missing");
  BOOST_TEST(b.error()[7] != 0);
  for (std::int64_t i = 0; i < rows; ++i)
    if (i < 5 || i > 7) BOOST_TEST(b.json(i, "r" + std::to_string(i)) == expected[static_cast<std::size_t>(i)]);
}

BOOST_AUTO_TEST_CASE(json_in_gives_the_product_line_out) {
  auto loaded = kijun::Ruleset::load(ruleset);
  BOOST_REQUIRE(loaded.ok());
  auto& r = loaded.value();
  BOOST_TEST(r.programme() == "it-hojo");
  BOOST_TEST(r.frames() == (std::vector<std::string>{"e_transaction", "invoice", "multi_party", "normal", "security"}));
  auto line = r.evaluate_json("security", R"({"id":"E","employees":-3})");
  BOOST_REQUIRE(line.ok());
  BOOST_TEST(line.value() == R"({"id":"E","line":1,"error":"employees: expected an integer ≥ 0, got -3"})");
  BOOST_TEST(!r.evaluate_json("nope", "{}").ok());
  BOOST_TEST(!kijun::Ruleset::load(std::string(KIJUN_SOURCE_DIR) + "/tests/golden/check/bad/K0101-unknown-name.kj").ok());
}

namespace {

const std::string fields_ruleset = std::string(KIJUN_SOURCE_DIR) + "/tests/golden/cli/fields/2026";
const char* misspelt = R"({"id":"U1","application_date":"2026-05-01","employees":30,"capital_yn":500000000,"cost_yen":300000})";
const char* twice = R"({"id":"A2","application_date":"2026-05-01","employees":30,"cost_yen":300000,"employees":3})";

// Loads the small ruleset of the golden command lines, keeping the warnings it logs.
kijun::Ruleset load_fields(bool strict, std::vector<std::string>& warnings) {
  kijun::LoadOptions options;
  options.native = false;
  options.strict_fields = strict;
  options.log = [&warnings](kijun::LogLevel level, std::string_view message) {
    if (level == kijun::LogLevel::warn) warnings.emplace_back(message);
  };
  auto loaded = kijun::Ruleset::load(fields_ruleset, options);
  BOOST_REQUIRE_MESSAGE(loaded.ok(), loaded.status().message());
  return std::move(loaded.value());
}

}  // namespace

// A field given twice is an error line (never "the last one wins"); a field that is not an
// input is a warning through the log, once per name for the life of the ruleset.
BOOST_AUTO_TEST_CASE(records_read_by_the_library_cannot_lie) {
  std::vector<std::string> warnings;
  auto r = load_fields(false, warnings);
  auto line = r.evaluate_json("basic", twice);
  BOOST_REQUIRE(line.ok());
  BOOST_TEST(line.value() == R"({"id":"A2","line":1,"error":"employees: the field is given twice"})");
  auto why = r.explain("basic", twice);
  BOOST_TEST(!why.ok());
  BOOST_TEST(why.status().message() == "employees: the field is given twice");
  for (int i = 0; i < 2; ++i) {
    auto decided = r.evaluate_json("basic", misspelt);
    BOOST_REQUIRE(decided.ok());
    BOOST_TEST(decided.value().find(R"("eligible":true,"amount_yen":150000)") != std::string::npos);
  }
  BOOST_TEST(warnings == std::vector<std::string>{"`capital_yn` is not an input of fields 2026; did you mean `capital_yen`?"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(strict_fields_make_a_field_that_is_not_an_input_an_error) {
  std::vector<std::string> warnings;
  auto r = load_fields(true, warnings);
  auto line = r.evaluate_json("basic", misspelt);
  BOOST_REQUIRE(line.ok());
  BOOST_TEST(line.value() == R"({"id":"U1","line":1,"error":"capital_yn: not an input of fields 2026; did you mean `capital_yen`?"})");
  auto csv = r.evaluate_records("basic", "id,application_date,employees,capital_yn,cost_yen\nU1,2026-05-01,30,1,300000\n",
                                kijun::RecordFormat::csv);
  BOOST_TEST(!csv.ok());
  BOOST_TEST(csv.status().message() ==
             "the CSV header names `capital_yn` (column 4), which is not an input of fields 2026; did you mean `capital_yen`?");
  BOOST_TEST(warnings.empty());
}

// Records in, as many lines out, in order; a CSV header naming a column twice refuses the
// whole text with an error, never an exception.
BOOST_AUTO_TEST_CASE(evaluate_records_reads_json_lines_and_csv) {
  std::vector<std::string> warnings;
  auto r = load_fields(false, warnings);
  std::string good = R"({"id":"A1","application_date":"2026-05-01","employees":3,"cost_yen":300000})";
  auto jsonl = r.evaluate_records("basic", good + "\n\n" + twice + "\n");
  BOOST_REQUIRE_MESSAGE(jsonl.ok(), jsonl.status().message());
  auto one = r.evaluate_json("basic", good).value();
  BOOST_TEST(jsonl.value() == one + "\n" + R"({"id":"A2","line":3,"error":"employees: the field is given twice"})" + "\n");
  auto csv = r.evaluate_records("basic", "id,application_date,employees,cost_yen\nA1,2026-05-01,3,300000\n", kijun::RecordFormat::csv);
  BOOST_REQUIRE(csv.ok());
  BOOST_TEST(csv.value() == one + "\n");
  auto refused = r.evaluate_records("basic", "id,application_date,employees,cost_yen,employees\nA1,2026-05-01,3,300000,30\n",
                                    kijun::RecordFormat::csv);
  BOOST_TEST(!refused.ok());
  BOOST_TEST(refused.status().message() == "the CSV header names `employees` twice (columns 3 and 5)");
  BOOST_TEST(!r.evaluate_records("basic", good, kijun::RecordFormat::jsonl, "2026-02-30").ok());
  BOOST_TEST(r.evaluate_records("basic", "").value() == "");
}

// The library reads records as the command line does: a line holding two objects is one
// error line (records in = lines out), a quoted CSV line break stays in its record, and a
// header lacking a column every record needs refuses the text.
BOOST_AUTO_TEST_CASE(evaluate_records_accounts_for_every_record) {
  std::vector<std::string> warnings;
  auto r = load_fields(false, warnings);
  std::string good = R"({"id":"A1","application_date":"2026-05-01","employees":3,"cost_yen":300000})";
  auto one = r.evaluate_json("basic", good).value();
  auto joined = r.evaluate_records("basic", "\xEF\xBB\xBF" + good + good + "\n  \n" + good + "\n");
  BOOST_REQUIRE_MESSAGE(joined.ok(), joined.status().message());
  BOOST_TEST(joined.value() == R"({"id":"A1","line":1,"error":"record: the line goes on after the JSON object (column 76); one record per line"})"
                               "\n" + one + "\n");
  BOOST_TEST(r.evaluate_json("basic", good + "}").value() ==
             R"({"id":"A1","line":1,"error":"record: the line goes on after the JSON object (column 76); one record per line"})");
  auto csv = r.evaluate_records("basic", "id,application_date,employees,cost_yen,note\r\nA1,2026-05-01,3,300000,\"two\r\nlines\"\r\n",
                                kijun::RecordFormat::csv);
  BOOST_REQUIRE_MESSAGE(csv.ok(), csv.status().message());
  BOOST_TEST(csv.value() == one + "\n");
  auto missing = r.evaluate_records("basic", "id,application_date,employees\nA1,2026-05-01,3\n", kijun::RecordFormat::csv);
  BOOST_TEST(!missing.ok());
  BOOST_TEST(missing.status().message() == "the CSV header lacks the required column `cost_yen`");
}

// Every argument is range-checked with a named limit: no allocation of an absurd size, no
// date outside the calendar reaching the evaluators.
BOOST_AUTO_TEST_CASE(batch_arguments_are_range_checked) {
  auto loaded = kijun::Ruleset::load(ruleset);
  BOOST_REQUIRE(loaded.ok());
  const auto& r = loaded.value();
  Columns c;
  auto batch = r.batch("security");
  auto& b = batch.value();
  BOOST_REQUIRE(c.bind(r, b).ok());
  auto too_many = b.run(kijun::max_batch_rows + 1);
  BOOST_TEST(!too_many.ok());
  BOOST_TEST(too_many.message().find("is more than one run decides") != std::string::npos);
  BOOST_TEST(!b.run(-1).ok());
  for (std::int64_t day : {std::int64_t{INT64_MAX}, std::int64_t{INT64_MIN + 1}, std::int64_t{3'000'000}}) {
    b.set_as_of(day);
    BOOST_REQUIRE(b.run(rows).ok());
    BOOST_TEST(b.decision(0).error.find("is outside the calendar (0001-01-01 to 9999-12-31)") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_plugin_is_found_by_programme_and_year) {
  kijun::testing::ScratchDir dir("library-search-path");
  auto plugin = dir / "it-hojo-2026.kjp";
  BOOST_REQUIRE(std::system((std::string(KIJUN_BINARY) + " build " + ruleset + " -o " + plugin + " > /dev/null").c_str()) == 0);
  kijun::LoadOptions options;
  options.plugin_path = dir.path().string();
  auto found = kijun::Ruleset::load("it-hojo:2026", options);
  BOOST_REQUIRE_MESSAGE(found.ok(), found.status().message());
  BOOST_TEST(found->fiscal_year() == 2026);
  BOOST_TEST(found->content_hash() == kijun::Ruleset::load(ruleset, {}).value().content_hash());
  auto missing = kijun::Ruleset::load("it-hojo:2024", options);
  BOOST_TEST(!missing.ok());
  BOOST_TEST(missing.status().message() == "no plugin for it-hojo 2024 on the plugin search path");
}

BOOST_AUTO_TEST_CASE(source_warnings_go_to_the_log) {
  kijun::testing::ScratchDir dir("library-warnings");
  // The fuzz targets' ruleset, with an input that has no label: a warning, not an error.
  std::ifstream in(std::string(KIJUN_SOURCE_DIR) + "/tests/fuzz/fuzz.kj");
  std::ofstream(dir / "w.kj") << in.rdbuf() << "input unlabelled: int\n";
  std::vector<std::string> warnings;
  kijun::LoadOptions options;
  options.native = false;
  options.log = [&](kijun::LogLevel level, std::string_view message) {
    if (level == kijun::LogLevel::warn) warnings.emplace_back(message);
  };
  auto loaded = kijun::Ruleset::load((dir / "w.kj"), options);
  BOOST_REQUIRE_MESSAGE(loaded.ok(), loaded.status().message());
  BOOST_REQUIRE(warnings.size() == 1u);
  BOOST_TEST(warnings[0].find("warning[K0602]: input `unlabelled` has no label") != std::string::npos, warnings[0]);
}
