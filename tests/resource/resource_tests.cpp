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
