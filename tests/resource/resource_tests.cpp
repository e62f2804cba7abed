// Resource tests: sources built to exhaust the stack or the clock — deep nesting, a long
// sum, a large decision table, many rules — run through the kijun program as a user would.
// Each must end with a result or a diagnostic within the limits docs/trust-and-limits.md
// documents; CTest's timeout on this suite is the clock.
#define BOOST_TEST_MODULE resource
#include <boost/test/unit_test.hpp>

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
