// `kijun diff` end to end: structural differences between rule versions (by date within a
// ruleset, between fiscal years, between a plugin and its sources), the behavioural diff
// over generated and given populations, the JSON report, and the exit status (0 only when
// nothing differs, 1 when something does, 2 on usage errors).
#define BOOST_TEST_MODULE diff
#include <boost/test/unit_test.hpp>
#include <simdjson.h>

#include "cli/cli_support.hpp"
#include "scratch_dir.hpp"

using namespace kijun::testing;

namespace {

const std::string fy2025 = root + "/rulesets/it-hojo/2025";

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find(needle, at)) != std::string::npos; at += needle.size()) ++n;
  return n;
}

// A copy of the 2026 ruleset in a fresh directory, removed when the test ends.
struct RulesetCopy {
  std::string dir = (std::filesystem::temp_directory_path() / ("kijun-diff-" + std::to_string(getpid()))).string();
  RulesetCopy() {
    std::filesystem::remove_all(dir);
    std::filesystem::copy(ruleset, dir);
  }
  ~RulesetCopy() { std::filesystem::remove_all(dir); }
  std::string read(const std::string& file) const {
    std::ifstream in(dir + "/" + file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(an_amendment_date_shows_the_rule_it_changed_and_whom_it_excludes) {
  auto r = run("diff " + ruleset + "@2026-03-29 " + ruleset + "@2026-03-30 --color never");
  BOOST_TEST(r.status == 1);
  auto out = lines(r.out);
  BOOST_REQUIRE(out.size() > 8u);
  BOOST_TEST(out[0] == "--- " + ruleset + "@2026-03-29  (it-hojo 2026, version 2026-02-27: 新規作成)");
  BOOST_TEST(out[1] == "+++ " + ruleset + "@2026-03-30  (it-hojo 2026, version 2026-03-30: (テ) の適用外から小規模事業者を削除)");
  BOOST_TEST(out[3] == "Rules: 1 change");
  BOOST_TEST(out[5] == "changed  requirement wage_raise_plan  2-1-1(2)(ツ)  過去の交付決定事業者は給与支給総額年3.5%以上の賃上げ計画を表明  (effective 2026-03-30)");
  BOOST_TEST(out[6] == "    - unless small_business: cite \"2-1-1(2)(テ)\"");
  BOOST_TEST(out[7] == "");
  // Every frame loses small businesses that had a grant before and announced no plan; the
  // only other flips are the one-year window of 2-1-2(6), which moves with the as-of date.
  BOOST_TEST(count_of(r.out, " became ineligible, failing:\n      requirement wage_raise_plan  2-1-1(2)(ツ)  ") == 5u);
  BOOST_TEST(count_of(r.out, " became ineligible, failing:\n      exclusion labor_law_prosecution  2-1-2(6)  ") == 5u);
  BOOST_TEST(count_of(r.out, " became ineligible, failing:\n") == 10u);
  BOOST_TEST(r.out.find("        employees: 30 → 5\n        prior_it_grant_2022_2025: false → true\n"
                        "        before: eligible, 300,000 yen, score -1\n        after:  ineligible, score -1\n") != std::string::npos);
  // A rule that did not change can flip only because the as-of date moved by a day.
  BOOST_TEST(count_of(r.out, "(these rules did not change; the as-of date moved from 2026-03-29 to 2026-03-30)") ==
             count_of(r.out, " became eligible, no longer failing:\n") +
                 count_of(r.out, " became ineligible, failing:\n      exclusion labor_law_prosecution  2-1-2(6)  "));
  BOOST_TEST(out.back() == "1 rule change; 5 frames where decisions differ");
}

// 8) is judged as of the deadline of the application's round, not the as-of date: the
// versions in force on 2026-05-14 and 2026-05-15 give it the same forms and the same scores.
BOOST_AUTO_TEST_CASE(the_second_amendment_is_judged_by_the_round_not_the_as_of_date) {
  auto r = run("diff " + ruleset + "@2026-05-14 " + ruleset + "@2026-05-15 --frame security --color never");
  BOOST_TEST(r.out.find("\nRules: 0 changes\n") != std::string::npos);
  BOOST_TEST(r.out.find("  scores              0 changed\n") != std::string::npos);
  BOOST_TEST(r.out.find("shoryokuka_navi") == std::string::npos);
  BOOST_TEST(count_of(r.out, "(these rules did not change; the as-of date moved from 2026-05-14 to 2026-05-15)") ==
             count_of(r.out, " became eligible, no longer failing:\n") + count_of(r.out, " became ineligible, failing:\n"));
  // Both forms are shown with their periods, whichever date the version is taken on.
  auto structure = run("diff " + fy2025 + " " + ruleset + "@2026-05-14 --structure-only --color never");
  BOOST_TEST(structure.out.find("    + [until 2026-05-14] judged as of: rounds.deadline\n"
                                "    + [until 2026-05-14] condition: shoryokuka_navi_used\n"
                                "    + [from 2026-05-15] points: 1\n"
                                "    + [from 2026-05-15] judged as of: rounds.deadline\n"
                                "    + [from 2026-05-15] condition: shoryokuka_navi_pdf_downloaded\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(fiscal_2025_against_2026_shows_what_2026_added_and_whom_it_excludes) {
  auto r = run("diff " + fy2025 + " " + ruleset + " --color never");
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out.find("\nadded  requirement wage_raise_plan  2-1-1(2)(ツ)  ") != std::string::npos);
  BOOST_TEST(r.out.find("    + unless small_business: cite \"2-1-1(2)(テ)\" effective until 2026-03-29\n") != std::string::npos);
  BOOST_TEST(r.out.find("\nadded  input exempt_type  2-1-1(2)(テ)  ") != std::string::npos);
  BOOST_TEST(r.out.find("\nadded  input shoryokuka_navi_pdf_downloaded  3-3(2)①8)  ") != std::string::npos);
  BOOST_TEST(r.out.find("\nadded  enum wage_exempt_type  ") != std::string::npos);
  BOOST_TEST(r.out.find("\nchanged  bonus shoryokuka_navi  3-3(2)①8)  ") != std::string::npos);
  BOOST_TEST(r.out.find("\nadded  requirement application_period  3-2(3)  ") != std::string::npos);
  BOOST_TEST(r.out.find("\nadded  table common.rounds  公募スケジュール  ") != std::string::npos);
  BOOST_TEST(r.out.find("\nchanged  bonus health_management  3-3(2)①5)  健康経営優良法人2026に認定  ") != std::string::npos);
  // In each frame: the wage plan alone, the period alone, and both together.
  const std::string wage = "      requirement wage_raise_plan  2-1-1(2)(ツ)  過去の交付決定事業者は給与支給総額年3.5%以上の賃上げ計画を表明\n";
  const std::string period = "      requirement application_period  3-2(3)  交付申請期間 (受付開始日から最終締切日まで) の申請\n";
  BOOST_TEST(count_of(r.out, " became ineligible, failing:\n" + wage + "    G") == 5u);
  BOOST_TEST(count_of(r.out, " became ineligible, failing:\n" + period) == 5u);
  BOOST_TEST(count_of(r.out, " became ineligible, failing:\n" + wage + period) == 5u);
  BOOST_TEST(count_of(r.out, " became ineligible, failing:\n") == 15u);
  BOOST_TEST(r.out.find(" became eligible, no longer failing:") == std::string::npos);
  BOOST_TEST(lines(r.out).back() == "14 rule changes; 5 frames where decisions differ");
}

// The auditor's own applicants: every record is counted, and those the new requirements
// exclude are found and reduced to the one input that makes the difference.
BOOST_AUTO_TEST_CASE(a_population_file_is_decided_record_by_record) {
  auto r = run("diff " + fy2025 + " " + ruleset + " --population " + examples + "/it-hojo-2026/security.jsonl --frame security --color never");
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out.find("security  30 applicants, 30 decided by both versions\n"
                        "  eligible            18 → 14\n"
                        "  became ineligible   4\n"
                        "  became eligible     0\n"
                        "  amounts (yen)       total 6,860,000 → 5,460,000 (-1,400,000); 0 changed while eligible in both\n"
                        "      −999,999 to −100,000: 4\n") != std::string::npos);
  // 2026 opened on 2026-03-30: the applicant of the day before is outside its period.
  BOOST_TEST(r.out.find("    A008  1 input differs from the reference applicant (13 before reduction)\n"
                        "        application_date: 2026-06-01 → 2026-03-29\n") != std::string::npos);
  BOOST_TEST(r.out.find("    A007  1 input differs from the reference applicant (11 before reduction)\n"
                        "        prior_it_grant_2022_2025: false → true\n") != std::string::npos);
}

// A record neither version can read is counted, not dropped.
BOOST_AUTO_TEST_CASE(unreadable_records_are_counted) {
  auto r = run("diff " + fy2025 + " " + ruleset + " --population " + examples + "/it-hojo-2026/malformed.jsonl --frame security --format json");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  BOOST_REQUIRE(!parser.parse(r.out).get(doc));
  auto frame = doc["behaviour"]["frames"].at(0);
  std::size_t records = count_lines(examples + "/it-hojo-2026/malformed.jsonl");
  BOOST_TEST(std::uint64_t(frame["applicants"]) == records);
  BOOST_TEST(std::uint64_t(frame["decided_both"]) + std::uint64_t(frame["undecided_both"]) +
                 std::uint64_t(frame["became_undecidable"]) + std::uint64_t(frame["became_decidable"]) == records);
  BOOST_TEST(std::uint64_t(frame["undecided_both"]) > 0u);
}

BOOST_AUTO_TEST_CASE(the_json_report_carries_structure_and_behaviour) {
  auto r = run("diff " + ruleset + "@2026-03-29 " + ruleset + "@2026-03-30 --format json --frame security --generate 5000 --seed 7");
  BOOST_TEST(r.status == 1);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  BOOST_REQUIRE(!parser.parse(r.out).get(doc));
  BOOST_TEST(std::string_view(doc["format"]) == "kijun-diff/1");
  BOOST_TEST(std::string_view(doc["before"]["on"]) == "2026-03-29");
  BOOST_TEST(std::string_view(doc["after"]["version"]) == "2026-03-30");
  auto change = doc["structure"]["changes"].at(0);
  BOOST_TEST(std::string_view(change["change"]) == "changed");
  BOOST_TEST(std::string_view(change["name"]) == "wage_raise_plan");
  BOOST_TEST(std::string_view(change["cite"]) == "2-1-1(2)(ツ)");
  BOOST_TEST(std::string_view(change["effective"]) == "2026-03-30");
  BOOST_TEST(std::string_view(change["parts"].at(0)["part"]) == "unless small_business");
  BOOST_TEST(change["parts"].at(0)["after"].is_null());
  BOOST_TEST(std::string_view(doc["behaviour"]["population"]["source"]) == "generated");
  BOOST_TEST(std::uint64_t(doc["behaviour"]["population"]["applicants_per_frame"]) == 5000u);
  auto frame = doc["behaviour"]["frames"].at(0);
  BOOST_TEST(std::string_view(frame["frame"]) == "security");
  BOOST_TEST(std::uint64_t(frame["applicants"]) == 5000u);
  std::uint64_t flipped = frame["became_ineligible"];
  BOOST_TEST(flipped > 0u);
  BOOST_TEST(std::uint64_t(frame["eligible"]["before"]) - std::uint64_t(frame["eligible"]["after"]) ==
             flipped - std::uint64_t(frame["became_eligible"]));
  // Groups by the rules that flipped them: the wage plan's, and the labour-law window's.
  std::uint64_t grouped = 0;
  simdjson::dom::element group;
  for (auto g : frame["changes"].get_array()) {
    if (std::string_view(g["kind"]) != "became_ineligible") continue;
    grouped += std::uint64_t(g["count"]);
    if (std::string_view(g["rules"].at(0)["id"]) == "wage_raise_plan") group = g;
  }
  BOOST_TEST(grouped == flipped);
  BOOST_REQUIRE(group.is_object());
  auto example = group["examples"].at(0);
  BOOST_TEST(example["before"]["eligible"].get_bool().value());
  BOOST_TEST(!example["after"]["eligible"].get_bool().value());
  // The example's record decides the same way when evaluated on its own.
  std::string record = simdjson::minify(example["record"]);
  auto eval = run("eval " + ruleset + " --frame security --as-of 2026-03-30", record + "\n");
  BOOST_TEST(eval.out.find("\"eligible\":false") != std::string::npos);
  BOOST_TEST(eval.out.find("\"rule\":\"wage_raise_plan\"") != std::string::npos);
  BOOST_TEST(doc["differs"].get_bool().value());
}

// The same seed gives the same report: an audit can be re-run.
BOOST_AUTO_TEST_CASE(a_generated_population_is_reproducible) {
  std::string args = "diff " + fy2025 + " " + ruleset + " --format json --generate 3000 --seed 11";
  auto a = run(args + " --threads 2"), b = run(args + " --threads 2"), c = run(args + " --threads 1");
  BOOST_TEST(a.out == b.out);
  BOOST_TEST(a.out == c.out);
  BOOST_TEST(a.out != run("diff " + fy2025 + " " + ruleset + " --format json --generate 3000 --seed 12").out);
}

// Layout and comments are not changes: a reformatted, recommented copy is equal.
BOOST_AUTO_TEST_CASE(layout_and_comments_show_nothing) {
  RulesetCopy copy;
  std::string s = copy.read("security.kj");
  const std::string moved = "\n  # moved\n   ";
  for (std::size_t at = 0; (at = s.find("\n  ", at)) != std::string::npos; at += moved.size()) s.replace(at, 3, moved);
  std::ofstream(copy.dir + "/security.kj") << s;
  BOOST_REQUIRE(run("check " + copy.dir).status == 0);
  auto r = run("diff " + ruleset + " " + copy.dir + " --generate 2000");
  BOOST_TEST(r.status == 0);
  BOOST_TEST(lines(r.out).back() == "0 rule changes; 0 frames where decisions differ");
}

// A decision table is compared row by row; the applicants its changed row admits are found
// through the unchanged rule that reads the table.
BOOST_AUTO_TEST_CASE(a_table_row_change_shows_as_that_row) {
  RulesetCopy copy;
  std::string s = copy.read("sme.kj");
  const std::string row = "| wholesale                              || 100_000_000 yen    | 100 ";
  auto at = s.find(row);
  BOOST_REQUIRE(at != std::string::npos);
  s.replace(at, row.size(), "| wholesale                              || 100_000_000 yen    | 120 ");
  std::ofstream(copy.dir + "/sme.kj") << s;
  auto r = run("diff " + ruleset + " " + copy.dir + " --frame security --generate 5000 --color never");
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out.find("\nRules: 1 change\n\n"
                        "changed  table sme.sme_limits  2-1-1(1)  業種区分ごとの中小企業者の上限  (effective 2026-02-27)\n"
                        "    - row wholesale: 100_000_000 yen | 100  cite \"2-1-1(1)②\"\n"
                        "    + row wholesale: 100_000_000 yen | 120  cite \"2-1-1(1)②\"\n\n") != std::string::npos);
  BOOST_TEST(r.out.find("  became ineligible   0\n") != std::string::npos);
  BOOST_TEST(r.out.find(" became eligible, no longer failing:\n"
                        "      requirement sme_definition  2-1-1(1)  中小企業者等の定義に該当する\n"
                        "      (these rules did not change; a definition, parameter or input they read did)\n") != std::string::npos);
  BOOST_TEST(r.out.find("        industry: manufacturing → wholesale\n") != std::string::npos);
}

// A ruleset against its own `kijun fmt` output: nothing to report, exit 0.
BOOST_AUTO_TEST_CASE(a_ruleset_against_its_formatted_self_is_equal) {
  RulesetCopy copy;
  std::string files;
  for (auto& f : std::filesystem::directory_iterator(copy.dir)) files += " " + f.path().string();
  BOOST_REQUIRE(run("fmt --write" + files).status == 0);
  auto r = run("diff " + ruleset + " " + copy.dir + " --format json --generate 2000");
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out.find("\"structure\":{\"changes\":[]}") != std::string::npos);
  BOOST_TEST(r.out.find("\"differs\":false") != std::string::npos);
}

// A built plugin is a version too, compared through what its IR carries: its description
// (nothing is compiled again: the structure is its sources', as written and on any day,
// also when they extend another ruleset), and its tests, which seed the population.
BOOST_AUTO_TEST_CASE(plugins_are_versions) {
  kijun::testing::ScratchDir dir("diff-plugins");
  auto p2025 = dir / "it-hojo-2025.so", p2026 = dir / "it-hojo-2026.so";
  BOOST_REQUIRE(run("build " + fy2025 + " -o " + p2025).status == 0);
  BOOST_REQUIRE(run("build " + ruleset + " -o " + p2026).status == 0);
  auto same = run("diff " + p2026 + " " + ruleset + " --generate 2000");
  BOOST_TEST(same.status == 0);
  BOOST_TEST(lines(same.out).back() == "0 rule changes; 0 frames where decisions differ");
  auto years = run("diff " + p2025 + " " + p2026 + " --structure-only --color never");
  BOOST_TEST(years.status == 1);
  BOOST_TEST(years.out.find("\nadded  requirement wage_raise_plan  2-1-1(2)(ツ)  ") != std::string::npos);
  BOOST_TEST(lines(years.out).back() == "14 rule changes");
  auto structure = [](const std::string& json) { return json.substr(json.find("\"structure\":")); };
  for (std::string on : {"", "@2026-03-29", "@2026-04-01"}) {
    std::string at2025 = on.empty() ? "" : "@2025-06-01", tail = " --structure-only --format json";
    auto plugins = run("diff " + p2025 + at2025 + " " + p2026 + on + tail);
    auto sources = run("diff " + fy2025 + at2025 + " " + ruleset + on + tail);
    BOOST_TEST(plugins.status == 1);
    BOOST_TEST(structure(plugins.out) == structure(sources.out), "on " << (on.empty() ? "every day" : on));
  }
  // Plugins decide as their sources do, and their embedded tests seed the same population.
  auto behaviour = [](const std::string& json) { return json.substr(json.find("\"behaviour\":")); };
  std::string options = " --format json --frame security --generate 3000";
  auto from_plugins = run("diff " + p2025 + " " + p2026 + options), from_sources = run("diff " + fy2025 + " " + ruleset + options);
  BOOST_TEST(from_plugins.status == 1);
  BOOST_TEST(from_plugins.out.find("\"kind\":\"became_ineligible\"") != std::string::npos);
  BOOST_TEST(behaviour(from_plugins.out) == behaviour(from_sources.out));
}

BOOST_AUTO_TEST_CASE(colour_only_when_asked_or_on_a_terminal) {
  std::string args = "diff " + ruleset + "@2026-03-29 " + ruleset + "@2026-03-30 --structure-only";
  BOOST_TEST(run(args + " --color always").out.find("\x1b[33mchanged\x1b[0m") != std::string::npos);
  BOOST_TEST(run(args).out.find('\x1b') == std::string::npos);  // a pipe is not a terminal
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  auto bad_date = run("diff " + ruleset + "@2026-02-30 " + ruleset);
  BOOST_TEST(bad_date.status == 2);
  BOOST_TEST(bad_date.err.find("`2026-02-30` after `@` is not a date YYYY-MM-DD") != std::string::npos);
  auto both = run("diff " + fy2025 + " " + ruleset + " --generate 10 --population x.jsonl");
  BOOST_TEST(both.status == 2);
  BOOST_TEST(both.err == "error: give --population or --generate, not both\n");
  auto frame = run("diff " + fy2025 + " " + ruleset + " --frame nosuch");
  BOOST_TEST(frame.status == 2);
  BOOST_TEST(frame.err == "error: --frame: frame `nosuch` is not in both versions\n");
  auto missing = run("diff " + fy2025 + " " + ruleset + " --population no-such-file.jsonl");
  BOOST_TEST(missing.status == 2);
  BOOST_TEST(missing.err == "error: --population: cannot open `no-such-file.jsonl`\n");
}

// The reports quoted in the docs are what kijun prints: every line of each quoted output
// (but "…") appears, in order, in the output of the command above it.
namespace {

void check_quoted_diffs(const std::string& doc) {
  std::size_t checked = 0;
  for (auto& q : quoted_runs(doc, "diff")) {
    if (q.command.find(" -o ") != std::string::npos) continue;  // writes a file: nothing printed to compare
    auto out = run(q.command + " --color never").out;
    if (out.empty()) continue;
    auto missing = first_unprinted(q.lines, out);
    BOOST_TEST(missing.empty(), doc << ": `" << q.command << "` does not print, where quoted: " << missing);
    checked += q.lines.size();
  }
  BOOST_TEST(checked > 10u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_docs_quote_real_reports) {
  std::filesystem::current_path(root);
  check_quoted_diffs("docs/auditing.md");
  check_quoted_diffs("README.md");
}
