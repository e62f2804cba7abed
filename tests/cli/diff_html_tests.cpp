// The HTML report of `kijun diff` in a real browser: headless Chromium loads the file,
// runs its script, and must log nothing to the console (a script error, or a blocked
// fetch: the page's policy forbids the network); the DOM it builds shows the changed rules,
// the chart of amount deltas, and the example applicants.
#define BOOST_TEST_MODULE diff_html
#include <boost/test/unit_test.hpp>

#include "cli/cli_support.hpp"

using namespace kijun::testing;

namespace {

struct Page {
  std::string dom, console;
};

Page load(const std::string& html_file) {
  std::string err = temp_file("");
  std::string cmd = "timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --enable-logging=stderr --v=0 "
                    "--dump-dom file://" + html_file + " 2>" + err;
  Page page;
  std::FILE* p = popen(cmd.c_str(), "r");
  BOOST_REQUIRE(p);
  std::array<char, 4096> buf;
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) page.dom.append(buf.data(), n);
  BOOST_REQUIRE(pclose(p) == 0);
  std::ifstream in(err);
  for (std::string line; std::getline(in, line);)
    if (line.find(":CONSOLE") != std::string::npos) page.console += line + "\n";
  std::remove(err.c_str());
  return page;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_report_loads_cleanly_and_shows_the_changes) {
  std::string report = (std::filesystem::temp_directory_path() / ("kijun-report-" + std::to_string(getpid()) + ".html")).string();
  auto r = run("diff " + root + "/rulesets/it-hojo/2025 " + ruleset + " --generate 5000 --format html -o " + report);
  BOOST_REQUIRE(r.status == 1);
  BOOST_TEST(r.out.empty());
  auto page = load(report);
  BOOST_TEST(page.console == "");
  BOOST_TEST(page.dom.find("<body data-ready=\"yes\">") != std::string::npos);  // its script ran to the end
  BOOST_TEST(page.dom.find("<h2 id=\"rules\">Rules: 14 changes</h2>") != std::string::npos);
  BOOST_TEST(page.dom.find("<div class=\"change added\" data-rule=\"wage_raise_plan\"><div><strong class=\"added\">added</strong> "
                           "requirement <code>wage_raise_plan</code> <span class=\"cite\">2-1-1(2)(ツ)</span>") != std::string::npos);
  BOOST_TEST(page.dom.find("data-rule=\"shoryokuka_navi\"") != std::string::npos);
  for (const char* frame : {"security", "normal", "invoice", "e_transaction", "multi_party"})
    BOOST_TEST(page.dom.find("<h3 id=\"frame-" + std::string(frame) + "\">") != std::string::npos);
  BOOST_TEST(page.dom.find("<svg role=\"img\" aria-label=\"amount deltas of security\"") != std::string::npos);
  BOOST_TEST(page.dom.find("became ineligible · requirement <code>wage_raise_plan</code>") != std::string::npos);
  BOOST_TEST(page.dom.find("<td><code>prior_it_grant_2022_2025</code></td><td>false</td><td>true</td>") != std::string::npos);
  std::filesystem::remove(report);
}

// The check above would miss errors if the browser hid them: a page with one must fail it.
BOOST_AUTO_TEST_CASE(a_script_error_is_seen) {
  std::string bad = (std::filesystem::temp_directory_path() / ("kijun-bad-" + std::to_string(getpid()) + ".html")).string();
  std::ofstream(bad) << "<!doctype html><body><script>nosuch();</script></body>";
  auto page = load(bad);
  BOOST_TEST(page.console.find("Uncaught ReferenceError: nosuch is not defined") != std::string::npos);
  std::remove(bad.c_str());
}
