// `kijun diff` end to end: structural differences between rule versions, by date within a
// ruleset and between fiscal years; exit status 0 only when nothing differs.
#define BOOST_TEST_MODULE diff
#include <boost/test/unit_test.hpp>

#include "cli/cli_support.hpp"

using namespace kijun::testing;

BOOST_AUTO_TEST_CASE(an_amendment_date_shows_the_rule_it_changed) {
  auto r = run("diff " + ruleset + "@2026-03-29 " + ruleset + "@2026-03-30");
  BOOST_TEST(r.status == 1);
  auto out = lines(r.out);
  BOOST_REQUIRE(out.size() == 7u);
  BOOST_TEST(out[0] == "--- " + ruleset + "@2026-03-29  (it-hojo 2026, version 2026-02-27: 新規作成)");
  BOOST_TEST(out[1] == "+++ " + ruleset + "@2026-03-30  (it-hojo 2026, version 2026-03-30: (テ) の適用外から小規模事業者を削除)");
  BOOST_TEST(out[3] == "changed  requirement wage_raise_plan  2-1-1(2)(ツ)  過去の交付決定事業者は給与支給総額年3.5%以上の賃上げ計画を表明");
  BOOST_TEST(out[4] == "    - unless small_business: cite \"2-1-1(2)(テ)\"");
  BOOST_TEST(out[6] == "1 change");
}

BOOST_AUTO_TEST_CASE(the_second_amendment_changes_one_bonus_item) {
  auto r = run("diff " + ruleset + "@2026-05-14 " + ruleset + "@2026-05-15");
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out.find("changed  bonus shoryokuka_navi  3-3(2)①8)  省力化ナビで「解決策」PDFをダウンロード\n"
                        "    - label: 省力化ナビを活用\n"
                        "    + label: 省力化ナビで「解決策」PDFをダウンロード\n"
                        "    - condition: shoryokuka_navi_used\n"
                        "    + condition: shoryokuka_navi_pdf_downloaded\n") != std::string::npos);
  BOOST_TEST(lines(r.out).back() == "1 change");
}

BOOST_AUTO_TEST_CASE(fiscal_2025_against_2026_shows_what_2026_added) {
  auto r = run("diff " + root + "/rulesets/it-hojo/2025 " + ruleset);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out.find("\nadded  requirement wage_raise_plan  2-1-1(2)(ツ)  ") != std::string::npos);
  BOOST_TEST(r.out.find("\nadded  input exempt_type  2-1-1(2)(テ)  ") != std::string::npos);
  BOOST_TEST(r.out.find("\nadded  input shoryokuka_navi_pdf_downloaded  3-3(2)①8)  ") != std::string::npos);
  BOOST_TEST(r.out.find("\nadded  enum wage_exempt_type  ") != std::string::npos);
  BOOST_TEST(r.out.find("\nchanged  bonus shoryokuka_navi  3-3(2)①8)  ") != std::string::npos);
  BOOST_TEST(lines(r.out).back() == "5 changes");
}

// Layout and comments are not changes: a reformatted, recommented copy is equal.
BOOST_AUTO_TEST_CASE(layout_and_comments_show_nothing) {
  auto dir = (std::filesystem::temp_directory_path() / ("kijun-diff-" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(dir);
  std::filesystem::copy(ruleset, dir);
  std::ifstream in(dir + "/security.kj");
  std::stringstream text;
  text << in.rdbuf();
  in.close();
  std::string s = text.str();
  const std::string moved = "\n  # moved\n   ";
  for (std::size_t at = 0; (at = s.find("\n  ", at)) != std::string::npos; at += moved.size()) s.replace(at, 3, moved);
  std::ofstream(dir + "/security.kj") << s;
  BOOST_REQUIRE(run("check " + dir).status == 0);
  auto r = run("diff " + ruleset + " " + dir);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(lines(r.out).back() == "0 changes");
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_bad_version_is_a_usage_error) {
  auto r = run("diff " + ruleset + "@2026-02-30 " + ruleset);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err.find("`2026-02-30` after `@` is not a date YYYY-MM-DD") != std::string::npos);
}
