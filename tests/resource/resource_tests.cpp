// Resource tests: sources built to exhaust the stack or the clock — deep nesting, a long
// sum, a large decision table, many rules — run through the kijun program as a user would.
// Each must end with a result or a diagnostic within the limits docs/trust-and-limits.md
// documents; CTest's timeout on this suite is the clock.
#define BOOST_TEST_MODULE resource
#include <boost/test/unit_test.hpp>

#include <cstdlib>

#include "bench/generated_ruleset.hpp"
#include "cli/cli_support.hpp"

using namespace kijun::testing;

namespace {

const std::string header = "ruleset \"t\" {\n  fiscal_year 2026\n  version 2026-01-01\n}\n\nmodule t\n\n";

// A one-file ruleset in a file of its own; removed by the caller.
std::string ruleset_file(const std::string& body) {
  std::string path = temp_file(header + body);
  std::string kj = path + ".kj";
  std::filesystem::rename(path, kj);
  return kj;
}

}  // namespace

BOOST_AUTO_TEST_CASE(deeply_nested_parentheses_are_a_diagnostic_not_a_crash) {
  std::string body = "input staff: int >= 0 label \"s\"\n\ndef x: int = " + std::string(3000, '(') + "staff" +
                     std::string(3000, ')') + "\n";
  auto kj = ruleset_file(body);
  for (std::string cmd : {"check ", "fmt --check "}) {
    auto r = run(cmd + kj);
    BOOST_TEST_INFO(cmd);
    BOOST_TEST(r.status == 1);  // exited with the diagnostic, not killed by a signal
    BOOST_TEST(r.err.find("error[K0010]") != std::string::npos);
  }
  std::filesystem::remove(kj);
}

std::string repeated(const std::string& term, const std::string& op, int n) {
  std::string s = term;
  s.reserve(static_cast<std::size_t>(n) * (term.size() + op.size()));
  for (int i = 1; i < n; ++i) s += op + term;
  return s;
}

// A left-deep sum of 100,000 terms is one chain: checked, formatted and evaluated in loops,
// by the interpreter and the JIT alike.
BOOST_AUTO_TEST_CASE(a_sum_of_100000_terms_checks_and_evaluates) {
  std::string body = "input staff: int >= 0 label \"s\"\ninput cost: yen >= 0 yen label \"c\"\n\n"
                     "def total: int =\n  " + repeated("staff", " + ", 100000) + "\n\n"
                     "def spent: yen =\n  " + repeated("cost", " - ", 100000) + "\n\n"
                     "frame f label \"f\" {\n  include t\n"
                     "  requirement r cite \"1\" label \"r\" = total == 300000 and spent == -499990 yen\n"
                     "  amount cite \"1\" label \"a\" = 0 yen\n}\n";
  auto kj = ruleset_file(body);
  auto check = run("check " + kj);
  BOOST_TEST(check.status == 0, check.err);
  auto once = run("fmt " + kj);
  BOOST_TEST(once.status == 0);
  auto again_kj = ruleset_file("");
  std::ofstream(again_kj) << once.out;
  auto twice = run("fmt " + again_kj);
  BOOST_TEST((twice.status == 0 && twice.out == once.out));  // formatting is idempotent
  std::filesystem::remove(again_kj);
  std::string record = "{\"id\":\"a\",\"staff\":3,\"cost\":5}\n";
  for (std::string engine : {"interp", "jit"}) {
    BOOST_TEST_INFO(engine);
    auto r = run("eval " + kj + " --frame f --as-of 2026-05-01 --engine " + engine, record);
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(r.out.find("\"eligible\":true") != std::string::npos, r.out);
  }
  std::filesystem::remove(kj);
}

// `tiered` nested 100 deep: each argument is one subtree, evaluated once. (Lowered into
// the formula's primitives, each argument was copied three times at every level — 3^depth
// nodes — and 14 levels took minutes.)
BOOST_AUTO_TEST_CASE(nested_tiered_calls_stay_linear) {
  std::string e = "cost";
  for (int i = 0; i < 100; ++i) e = "tiered(" + e + ", " + std::to_string(1000 + i) + " yen, 1, 1)";  // whole rates: 100 levels of thirds would overflow
  auto kj = ruleset_file("input cost: yen >= 0 yen label \"c\"\n\nframe f label \"f\" {\n  include t\n"
                         "  requirement r cite \"1\" label \"r\" = " + e + " > 0 yen\n"
                         "  amount cite \"1\" label \"a\" = floor(" + e + ")\n}\n");
  auto check = run("check " + kj);
  BOOST_TEST(check.status == 0, check.err);
  std::string record = "{\"id\":\"a\",\"cost\":5000000}\n";
  auto interp = run("eval " + kj + " --frame f --as-of 2026-05-01 --engine interp", record);
  auto jit = run("eval " + kj + " --frame f --as-of 2026-05-01 --engine jit", record);
  BOOST_TEST(interp.status == 0, interp.err);
  BOOST_TEST(interp.out.find("\"eligible\":true") != std::string::npos, interp.out);
  BOOST_TEST(jit.out == interp.out);
  std::filesystem::remove(kj);
}

// Definitions reading definitions 5,000 deep: refused with K0012, whichever order they are
// declared in (the checker itself would otherwise recurse through them).
BOOST_AUTO_TEST_CASE(definitions_nested_past_the_limit_are_refused) {
  for (bool forward : {true, false}) {
    std::string body = "input staff: int >= 0 label \"s\"\n\n";
    const int n = 5000;
    for (int i = 0; i < n; ++i) {
      int read = forward ? i - 1 : i + 1;
      bool last = forward ? i == 0 : i == n - 1;
      body += "def d" + std::to_string(i) + ": int = " + (last ? std::string("staff") : "d" + std::to_string(read) + " + 1") + "\n";
    }
    body += "\nframe f label \"f\" {\n  include t\n  requirement r cite \"1\" label \"r\" = d" +
            std::to_string(forward ? n - 1 : 0) + " > 0\n  amount cite \"1\" label \"a\" = 0 yen\n}\n";
    auto kj = ruleset_file(body);
    BOOST_TEST_INFO(forward);
    auto r = run("check " + kj);
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.err.find("error[K0012]") != std::string::npos, r.err);
    std::filesystem::remove(kj);
  }
}

// 10,000 rules in one frame: the JIT cuts the frame into chunk functions and compiles them
// with the quick pipeline (compiler/backend/codegen_chunks.cpp), in time linear in the rules. Its
// decisions must be the interpreter's, line for line, for an eligible applicant, ones
// failing and earning many rules, an absent optional input, an earlier version, and faults.
BOOST_AUTO_TEST_CASE(ten_thousand_rules_compile_and_decide_as_the_interpreter) {
  std::string kj = temp_file(kijun::bench::generated_ruleset(10'000));
  std::filesystem::rename(kj, kj + ".kj");
  kj += ".kj";
  std::string applicants = temp_file(
      R"({"id":"eligible","applied_on":"2026-05-01","staff":10,"capital_yen":1000000,"cost_yen":1000000,"share":"1/2","certified":true})" "\n"
      R"({"id":"large","applied_on":"2026-03-01","staff":500,"capital_yen":300000000,"cost_yen":7000000,"share":"2/3","certified":false})" "\n"
      R"({"id":"no_capital","applied_on":"2026-05-01","staff":150,"cost_yen":123456,"share":"1/7","certified":true})" "\n"
      R"({"id":"overflow","applied_on":"2026-05-01","staff":4611686018427387903,"cost_yen":1000,"share":"1/3","certified":false})" "\n"
      R"({"id":"huge_cost","applied_on":"2026-05-01","staff":3,"cost_yen":9223372036854775807,"share":"3/2","certified":true})" "\n");
  // No object cache: the run must compile, not load what an earlier run stored.
  setenv("KIJUN_CACHE_DIR", "", 1);
  auto jit = run("eval " + kj + " --frame scale --input " + applicants);
  auto interp = run("eval " + kj + " --frame scale --engine interp --input " + applicants);
  unsetenv("KIJUN_CACHE_DIR");
  BOOST_TEST(jit.status == interp.status);
  BOOST_TEST(jit.err == interp.err);
  auto jit_lines = lines(jit.out), interp_lines = lines(interp.out);
  BOOST_REQUIRE(jit_lines.size() == 5u);
  BOOST_REQUIRE(interp_lines.size() == 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    BOOST_TEST_INFO("applicant " << i + 1);
    BOOST_TEST(jit_lines[i] == interp_lines[i]);
  }
  BOOST_TEST(jit_lines[0].find(R"("eligible":true)") != std::string::npos);
  BOOST_TEST(jit_lines[1].find(R"("eligible":false)") != std::string::npos);
  BOOST_TEST(jit_lines[1].find(R"("version":"2026-01-01")") != std::string::npos);
  BOOST_TEST(jit_lines[2].find(R"("eligible":false)") != std::string::npos);
  BOOST_TEST(jit_lines[3].find("evaluation: overflow") != std::string::npos);
  BOOST_TEST(jit_lines[4].find("evaluation: overflow") != std::string::npos);
  std::filesystem::remove(kj);
  std::filesystem::remove(applicants);
}
// A decision table of 30,000 rows keyed by a range of staff numbers and an enum. Testing
// every combination of keys against every row took minutes; the checker's sweep proves
// it complete, and finds the one combination a row left out of it would leave.
BOOST_AUTO_TEST_CASE(a_table_of_30000_rows_is_proved_complete_and_its_one_gap_found) {
  const int bands = 6000;
  auto table = [&](int left_out) {  // the band whose row for `c` is left out, or -1
    std::string s = "enum kind {\n  a\n  b\n  c\n  d\n  e\n}\n\ninput staff: int >= 0 label \"s\"\ninput size: kind label \"k\"\n\n"
                    "table big cite \"1\" label \"l\" {\n  | staff | size || band: int |\n";
    for (int i = 0; i < bands; ++i)
      for (char v : std::string("abcde")) {
        if (i == left_out && v == 'c') continue;
        std::string range = i + 1 == bands ? ">= " + std::to_string(10 * i) : std::to_string(10 * i) + ".." + std::to_string(10 * i + 9);
        s += "  | " + range + " | " + v + " || " + std::to_string(i) + " |\n";
      }
    return s + "}\n\ndef band: int = big.band\n";
  };
  auto complete = ruleset_file(table(-1));
  auto r = run("check " + complete);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err.find("error[") == std::string::npos);
  std::filesystem::remove(complete);

  auto gap = ruleset_file(table(bands / 2));
  r = run("check " + gap);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err.find("error[K0301]: table `big` has no row for staff = 30000..30009, size = c") != std::string::npos);
  BOOST_TEST(r.err.find("error[") == r.err.rfind("error["));  // that one only
  std::filesystem::remove(gap);
}

// Rows that cross each other in the first of three key columns (a `-` beside thousands of
// distinct values) multiply the checker's work: past its budget the table is refused with
// K0306 in about a second, rather than the check running for minutes.
BOOST_AUTO_TEST_CASE(a_table_too_complex_to_prove_complete_is_refused) {
  const int h = 7000;
  std::string s = "input staff: int >= 0 label \"s\"\ninput sales: int >= 0 label \"v\"\ninput flag: bool label \"f\"\n\n"
                  "table big cite \"1\" label \"l\" {\n  | staff | sales | flag || v: int |\n";
  for (int i = 0; i < h; ++i) s += "  | " + std::to_string(i) + " | >= " + std::to_string(h) + " | - || 1 |\n";
  for (int i = 0; i < h; ++i) s += "  | - | " + std::to_string(i) + " | - || 2 |\n";
  s += "  | >= " + std::to_string(h) + " | >= " + std::to_string(h) + " | - || 3 |\n}\n\ndef v: int = big.v\n";
  auto kj = ruleset_file(s);
  auto r = run("check " + kj);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err.find("error[K0306]: proving table `big` complete and unambiguous takes more than") != std::string::npos);
  std::filesystem::remove(kj);
}
