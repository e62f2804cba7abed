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

// 10,000 rules in one frame: the JIT cuts the frame into chunk functions and compiles them
// with the quick pipeline (compiler/codegen_chunks.cpp), in time linear in the rules. Its
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
