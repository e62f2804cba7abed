// End-to-end tests of the kijun program: exit codes, exact output lines, and that every
// input record gives exactly one output line.
#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include "cli/cli_support.hpp"
#include "scratch_dir.hpp"

using namespace kijun::testing;

BOOST_AUTO_TEST_CASE(check_accepts_the_2026_ruleset) {
  auto r = run("check " + ruleset);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err == "");
  BOOST_TEST(r.out.find(": ok — it-hojo 2026, 5 frames, 61 rules, 69 inputs") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(check_reports_diagnostics_and_exits_1) {
  auto r = run("check " + root + "/tests/golden/check/bad/K0101-unknown-name.kj");
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err.find("error[K0101]: unknown name `employes`") != std::string::npos);
  BOOST_TEST(r.err.find("hint: did you mean `employees`?") != std::string::npos);
}

// An extended ruleset runs the tests it inherits, less those it removes, and its own.
BOOST_AUTO_TEST_CASE(an_extended_ruleset_runs_inherited_and_own_tests) {
  auto r = run("test --require-full-coverage " + root + "/tests/golden/check/good/extends");
  BOOST_TEST(r.status == 0);
  auto out = lines(r.out);
  BOOST_REQUIRE(!out.empty());
  BOOST_TEST(out.back() == "3 passed, 0 failed");
  auto base = run("test " + root + "/tests/golden/check/good/extends/base");
  BOOST_TEST(lines(base.out).back() == "2 passed, 0 failed");
  // A chain: the newest ruleset's amendments apply last.
  auto chain = run("test --require-full-coverage " + root + "/tests/golden/check/good/extends-chain");
  BOOST_TEST(chain.status == 0);
  BOOST_TEST(lines(chain.out).back() == "3 passed, 0 failed");
}

BOOST_AUTO_TEST_CASE(the_2025_ruleset_passes_its_tests) {
  auto r = run("test --require-full-coverage --strict " + root + "/rulesets/it-hojo/2025");
  BOOST_TEST(r.status == 0);
  BOOST_TEST(lines(r.out).back() == "496 passed, 0 failed");
  auto check = run("check --strict " + root + "/rulesets/it-hojo/2025");
  BOOST_TEST(check.out.find(": ok — it-hojo 2025, 5 frames, 58 rules, 67 inputs, 0 warnings") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(strict_turns_warnings_into_failure) {
  auto lenient = run("check " + root + "/tests/golden/check/bad/K0603-unread-input.kj");
  BOOST_TEST(lenient.status == 0);
  auto strict = run("check --strict " + root + "/tests/golden/check/bad/K0603-unread-input.kj");
  BOOST_TEST(strict.status == 1);
  BOOST_TEST(strict.err.find("0 errors, 1 warning (errors under --strict)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(test_passes_with_full_coverage) {
  auto r = run("test --require-full-coverage " + ruleset);
  BOOST_TEST(r.status == 0);
  auto out = lines(r.out);
  BOOST_REQUIRE(!out.empty());
  BOOST_TEST(out.back() == "525 passed, 0 failed");
  for (auto frame : {"e_transaction: 87/87", "invoice: 99/99", "multi_party: 99/99", "normal: 101/101", "security: 101/101"})
    BOOST_TEST(r.out.find(std::string("coverage ") + frame + " rule outcomes (100.0%)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(eval_gives_one_result_per_example) {
  auto input = examples + "/it-hojo-2026/security.jsonl";
  auto r = run("eval " + ruleset + " --frame security --input " + input);
  BOOST_TEST(r.status == 0);
  auto out = lines(r.out);
  BOOST_TEST(out.size() == count_lines(input));
  BOOST_TEST(out.size() >= 20u);
  BOOST_TEST(out[1].find(R"("id":"A002","frame":"security","ruleset":"it-hojo","fiscal_year":2026,"version":"2026-05-15",)") == 1u);
  BOOST_TEST(out[1].find(R"j("eligible":true,"amount_yen":400000,"rate":"2/3","bonus_points":1,"penalty_points":0,"score":1,"failed":[],"bonus":[{"rule":"two_star","cite":"3-3(2)①1)","points":1}],"penalty":[]})j") != std::string::npos);
  // The 2026-03-30 amendment: the same small prior grantee the day before and on the day.
  // The day before, (ツ) still exempts it; it fails only the application period, not yet open.
  BOOST_TEST(out[7].find(R"("id":"A008")") != std::string::npos);
  BOOST_TEST(out[7].find(R"("version":"2026-02-27")") != std::string::npos);
  BOOST_TEST(out[7].find(R"j("failed":[{"rule":"application_period","kind":"requirement","cite":"3-2(3)")j") != std::string::npos);
  BOOST_TEST(out[8].find(R"("version":"2026-03-30")") != std::string::npos);
  BOOST_TEST(out[8].find(R"j("failed":[{"rule":"wage_raise_plan","kind":"requirement","cite":"2-1-1(2)(ツ)")j") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(eval_reports_malformed_records_and_evaluates_the_rest) {
  auto input = examples + "/it-hojo-2026/malformed.jsonl";
  auto r = run("eval " + ruleset + " --frame security --input " + input);
  BOOST_TEST(r.status == 1);
  auto out = lines(r.out);
  BOOST_REQUIRE(out.size() == count_lines(input));
  BOOST_TEST(out[0].find(R"({"id":"M001","frame":"security")") == 0u);
  BOOST_TEST(out[1] == R"({"id":"M002","line":2,"error":"employees: expected an integer ≥ 0, got -3"})");
  BOOST_TEST(out[3] == R"({"id":"M004","line":4,"error":"service_fee_yen: required field is missing"})");
  BOOST_TEST(out[4] == R"({"id":null,"line":5,"error":"record: not a JSON object"})");
  BOOST_TEST(out[6] == R"({"id":"M007","line":7,"error":"application_date: expected a date YYYY-MM-DD, got \"2026-02-30\""})");
  BOOST_TEST(out[8].find(R"({"id":"M009","frame":"security")") == 0u);
  // A record that names a field twice is an error; a misspelt optional field is read as
  // absent, so it is decided, and said once on stderr.
  BOOST_TEST(out[9] == R"({"id":"M010","line":10,"error":"employees: the field is given twice"})");
  BOOST_TEST(out[10].find(R"({"id":"M011","frame":"security")") == 0u);
  BOOST_TEST(r.err == "warning: `capital_yn` is not an input of it-hojo 2026; did you mean `capital_yen`?\n");
  auto strict = run("eval " + ruleset + " --frame security --strict-fields --input " + input);
  BOOST_TEST(strict.status == 1);
  BOOST_TEST(lines(strict.out).back() ==
             R"({"id":"M011","line":11,"error":"capital_yn: not an input of it-hojo 2026; did you mean `capital_yen`?"})");
  BOOST_TEST(strict.err == "");
}

BOOST_AUTO_TEST_CASE(eval_reads_stdin_csv_and_as_of) {
  auto first = lines(run("eval " + ruleset + " --frame security --input " + examples + "/it-hojo-2026/security.jsonl").out);
  auto csv = run("eval " + ruleset + " --frame security --input " + examples + "/it-hojo-2026/security.csv");
  BOOST_TEST(csv.status == 0);
  auto csv_out = lines(csv.out);
  BOOST_REQUIRE(csv_out.size() == 5u);
  for (std::size_t i = 0; i < csv_out.size(); ++i) BOOST_TEST(csv_out[i] == first[i]);
  auto piped = run("eval " + ruleset + " --frame security --as-of 2026-05-14", "{\"id\":\"x\"}\n");
  BOOST_TEST(piped.status == 1);
  BOOST_TEST(piped.out.find(R"("id":"x","line":1,"error":)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  BOOST_TEST(run("eval " + ruleset + " --frame nosuch --input -", "\n").status == 2);
  BOOST_TEST(run("eval " + ruleset + " --frame security --as-of 2026-02-30").status == 2);
  BOOST_TEST(run("frobnicate").status == 2);
  BOOST_TEST(run("eval").status == 2);
  auto help = run("eval --help");
  BOOST_TEST(help.status == 0);
  BOOST_TEST(help.out.find("--frame") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(explain_names_the_failing_rule_its_citation_and_values) {
  auto input = examples + "/it-hojo-2026/security.jsonl";
  auto ja = run("explain " + ruleset + " --frame security --input " + input + " --id A021");
  BOOST_TEST(ja.status == 0);
  BOOST_TEST(ja.out.find("結果: 交付対象外 — 理由 1 件; 算定額は交付されません (300,000円)") != std::string::npos);
  BOOST_TEST(ja.out.find("  2-1-1(2)(イ)  要件 事業場内最低賃金が地域別最低賃金以上 (minimum_wage)\n"
                         "    workplace_min_wage_yen 1,040円 < regional_min_wage_yen 1,050円\n") != std::string::npos);
  auto en = run("explain " + ruleset + " --frame security --input " + input + " --id A021 --lang en");
  BOOST_TEST(en.out.find("\nOutcome: NOT ELIGIBLE — 1 reason; the computed amount is not paid (300,000 yen)\n") != std::string::npos);
  BOOST_TEST(en.out.find("  2-1-1(2)(イ)  requirement Minimum wage (minimum_wage)\n"
                         "    workplace_min_wage_yen 1,040 yen < regional_min_wage_yen 1,050 yen\n") != std::string::npos);
  BOOST_TEST(en.out.find("read: workplace_min_wage_yen = 1,040 yen, regional_min_wage_yen = 1,050 yen") != std::string::npos);
  auto missing = run("explain " + ruleset + " --frame security --input " + input + " --id nobody");
  BOOST_TEST(missing.status == 1);
}

// The amount step by step: the exact product, the rounding, the cap that applied.
BOOST_AUTO_TEST_CASE(explain_shows_the_amount_step_by_step) {
  auto input = examples + "/it-hojo-2026/security.jsonl";
  auto low = run("explain " + ruleset + " --frame security --input " + input + " --id A011 --lang en");
  BOOST_TEST(low.out.find("  2-3  limit Minimum amount (minimum_amount)\n    amount 49,999 yen < min_amount 50,000 yen\n") !=
             std::string::npos);
  BOOST_TEST(low.out.find("    floor(service_fee_yen * rate) = 49,999 yen  — rounded down from 49,999.5 yen\n") != std::string::npos);
  auto capped = run("explain " + ruleset + " --frame security --input " + input + " --id A012 --lang en");
  BOOST_TEST(capped.out.find("amount = min(floor(service_fee_yen * rate), max_amount) = 1,500,000 yen  — `max_amount` applies (the lower)") !=
             std::string::npos);
  auto sme = run("explain " + ruleset + " --frame security --input " + input + " --id A005 --lang en");
  BOOST_TEST(sme.out.find("employees 120 > sme_limits.employee_limit 50 (2-1-1(1)④)") != std::string::npos);
  // A definition used twice is worked out once; `x * 2/3` is one step.
  auto multi = run("explain " + ruleset + " --frame multi_party --input " + examples + "/it-hojo-2026/multi_party.jsonl --id M04 --lang en");
  // A sum over a list, member by member: the first rows, then how many more.
  BOOST_TEST(multi.out.find("\n          members[0] M04-01 = 3,500,000 yen\n") != std::string::npos);
  BOOST_TEST(multi.out.find("\n          … 80 more elements\n") != std::string::npos);
  BOOST_TEST(multi.out.find("\n            analysis_cost_yen * 2/3 = 30,000,000 yen\n"
                            "              analysis_cost_yen = 45,000,000 yen\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(explain_json_is_one_object_with_the_same_content) {
  auto r = run("explain " + ruleset + " --frame security --input " + examples + "/it-hojo-2026/security.jsonl --id A021 --json --lang en");
  BOOST_TEST(r.status == 0);
  auto out = lines(r.out);
  BOOST_REQUIRE(out.size() == 1u);
  BOOST_TEST(out[0].find("{\"id\":\"A021\",\"frame\":\"security\",") == 0u);
  BOOST_TEST(out[0].find("\"failed\":[{\"rule\":\"minimum_wage\",\"kind\":\"requirement\",\"cite\":\"2-1-1(2)(イ)\","
                         "\"label\":\"事業場内最低賃金が地域別最低賃金以上\",\"reasons\":[{\"depth\":0,\"text\":"
                         "\"workplace_min_wage_yen 1,040 yen < regional_min_wage_yen 1,050 yen\","
                         "\"left\":{\"expr\":\"workplace_min_wage_yen\",\"value\":\"1,040 yen\",\"cite\":\"\"},\"op\":\">=\","
                         "\"right\":{\"expr\":\"regional_min_wage_yen\",\"value\":\"1,050 yen\",\"cite\":\"\"},"
                         "\"holds\":false}]}]") != std::string::npos);
  BOOST_TEST(out[0].find("\"computed_amount_yen\":300000") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failing_ruleset_test_exits_1_and_says_why) {
  kijun::testing::ScratchDir dir("cli-ruleset");
  std::ofstream(dir / "r.kj") << "ruleset \"t\" {\n  fiscal_year 2026\n  version 2026-01-01\n}\n\n"
                                 "input on: date label \"d\"\ninput fee_yen: yen label \"f\"\n\n"
                                 "frame f label \"f\" {\n  amount cite \"1\" label \"a\" = fee_yen\n}\n";
  std::ofstream(dir / "r.test.kj") << "test \"wrong amount\" {\n  frame f\n  as_of 2026-02-01\n"
                                      "  given { on: 2026-02-01, fee_yen: 5 }\n  expect amount 6 yen\n}\n";
  auto r = run("test " + dir.path().string());
  BOOST_TEST(r.status == 1);
  auto out = lines(r.out);
  BOOST_REQUIRE(out.size() >= 3u);
  BOOST_TEST(out[0].find("FAIL wrong amount [f]") == 0u);
  BOOST_TEST(out[1] == "     expected amount 6 yen, got 5 yen");
  BOOST_TEST(out.back() == "0 passed, 1 failed");
}

BOOST_AUTO_TEST_CASE(diagnostics_as_json) {
  auto r = run("check --diagnostics json " + root + "/tests/golden/check/bad/K0101-unknown-name.kj");
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err.find(R"([{"code":"K0101","severity":"error","file":")") == 0u);
  BOOST_TEST(r.err.find(R"("line":18,"column":41,"message":"unknown name `employes`","hint":"did you mean `employees`?"}])") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(jit_interpreter_and_plugin_give_identical_output) {
  auto input = examples + "/it-hojo-2026/security.jsonl";
  auto jit = run("eval " + ruleset + " --frame security --input " + input);
  auto interp = run("eval " + ruleset + " --frame security --engine interp --input " + input);
  auto threaded = run("eval " + ruleset + " --frame security --threads 3 --input " + input);
  BOOST_TEST(jit.status == 0);
  BOOST_TEST(jit.out == interp.out);
  BOOST_TEST(jit.out == threaded.out);
  kijun::testing::ScratchDir dir("cli-plugin");
  auto plugin = dir / "it-hojo-2026.kjp";
  auto built = run("build " + ruleset + " -o " + plugin);
  BOOST_TEST(built.status == 0);
  BOOST_TEST(built.out.find(plugin + ": it-hojo 2026, 5 frames, sha256:") == 0u);
  auto from_plugin = run("eval " + plugin + " --frame security --input " + input);
  BOOST_TEST(from_plugin.out == jit.out);
  auto by_name = run("eval it-hojo:2026 --plugin-path " + dir.path().string() + " --frame security --input " + input);
  BOOST_TEST(by_name.out == jit.out);
  auto missing = run("eval it-hojo:2024 --plugin-path " + dir.path().string() + " --frame security --input " + input);
  BOOST_TEST(missing.status == 1);
  BOOST_TEST(missing.err == "error: no plugin for it-hojo 2024 on the plugin search path\n");
  auto bad = run("eval " + input + " --frame security --input " + input);
  BOOST_TEST(bad.status == 1);
  // Commands that read sources say what a plugin is instead of parsing its bytes.
  for (std::string command : {"check", "fmt", "build"}) {
    auto refused = run(command + " " + plugin + (command == "build" ? " -o " + plugin + ".again" : ""));
    BOOST_TEST(refused.status == 2, command);
    BOOST_TEST(refused.err == "error: " + plugin + " is a plugin built by `kijun build` (it-hojo 2026), not ruleset sources; `kijun " +
                                  command + "` reads sources\n");
  }
  // A plugin carries its tests: the same report as from the sources.
  auto from_sources = run("test --require-full-coverage " + ruleset);
  auto carried = run("test --require-full-coverage " + plugin);
  BOOST_TEST(carried.status == 0);
  BOOST_TEST(carried.out == from_sources.out);
  BOOST_TEST(carried.out.find(" passed, 0 failed") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(fmt_check_passes_on_the_ruleset) {
  auto r = run("fmt --check " + ruleset);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == "");
}

// A result that could not be written must not pass for one that was: a full disk (here
// /dev/full) is exit status 1 and a message, for each command that writes results.
BOOST_AUTO_TEST_CASE(a_failed_write_exits_1_and_says_why) {
  std::string records = examples + "/it-hojo-2026/security.jsonl";
  for (const std::string& command : {"eval " + ruleset + " --frame security --engine interp --input " + records,
                                     "eval " + ruleset + " --frame security --engine interp --threads 2 --input " + records,
                                     "fmt " + ruleset, "generate " + ruleset + " --frame security --n 20000",
                                     "explain " + ruleset + " --frame security --input " + records + " --id A001"}) {
    BOOST_TEST_CONTEXT(command) {
      auto r = run(command + " >/dev/full");
      BOOST_TEST(r.status == 1);
      BOOST_TEST(r.err == "error: cannot write standard output: No space left on device\n");
    }
  }
  auto recorded = run("eval " + ruleset + " --frame security --engine interp --input " + records + " --record /dev/full");
  BOOST_TEST(recorded.status == 1);
  BOOST_TEST(recorded.err == "error: cannot write `/dev/full` (--record): No space left on device\n");
  auto diff = run("diff " + root + "/rulesets/it-hojo/2025 " + ruleset + " --structure-only -o /dev/full");
  BOOST_TEST(diff.status == 1);
  BOOST_TEST(diff.err == "error: cannot write `/dev/full`: No space left on device\n");
}

// The benchmark's yardstick is only one if it decides as the ruleset does: the hand-written
// frame must agree with the compiled one on every generated applicant (its speed is not
// tested here).
BOOST_AUTO_TEST_CASE(the_hand_written_baseline_decides_as_the_ruleset) {
  auto r = run("bench " + ruleset + " --frame security --n 5000");
  BOOST_TEST(r.status == 0, r.out);
  BOOST_TEST(r.out.find("jit and hand-written agree on 5,000 of 5,000 applicants") != std::string::npos, r.out);
  // A built plugin is measured as built: its code, named as a plugin's, nothing compiled.
  kijun::testing::ScratchDir dir("cli-bench-plugin");
  auto plugin = dir / "it-hojo-2026.kjp";
  BOOST_REQUIRE(run("build " + ruleset + " -o " + plugin).status == 0);
  auto p = run("bench " + plugin + " --frame security --n 2000");
  BOOST_TEST(p.status == 0, p.err);
  BOOST_TEST(p.out.find("plugin and hand-written agree on 2,000 of 2,000 applicants") != std::string::npos, p.out);
  BOOST_TEST(p.out.find("a built plugin: its code as built, nothing compiled; load of this plugin again, verified: ") !=
                 std::string::npos, p.out);
}
