// Unit tests of the dsl stage: calendar, text, parser, diagnostics, checker, formatter.
#define BOOST_TEST_MODULE dsl
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "dsl/builtins.hpp"
#include "dsl/formatter.hpp"
#include "dsl/parser.hpp"
#include "dsl/support/calendar.hpp"
#include "dsl/support/text.hpp"
#include "dsl/table_search.hpp"
#include "unit/test_support.hpp"

using namespace kijun;
using namespace kijun::dsl;

namespace {

std::int64_t day(const char* text) { return *parse_date(text); }

struct Parsed {
  SourceSet sources;
  Ast ast;
  Diagnostics diags;
  ModuleFile module;
  explicit Parsed(const std::string& text) {
    auto f = sources.add("x.kj", text);
    module = parse_file(sources, f, ast, diags);
  }
};

std::string format(const std::string& text) {
  Parsed p(text);
  BOOST_REQUIRE(!p.diags.has_errors());
  return format_module(p.ast, p.sources, p.module);
}

const std::string inputs = "input staff: int >= 0 label \"s\"\ninput cost_yen: yen label \"c\"\ninput capital_yen: yen? label \"k\"\n";

// The first line of each error of compiling `body` (after `inputs` and an enum `size`),
// without its location.
std::vector<std::string> errors(const std::string& body) {
  std::istringstream out(testing::diagnostics(inputs + "enum kind {\n  small\n  medium\n  large\n}\ninput size: kind label \"z\"\n" + body));
  std::vector<std::string> lines;
  for (std::string line; std::getline(out, line);)
    if (auto at = line.find("error["); at != std::string::npos) lines.push_back(line.substr(at));
  return lines;
}

// What table_search::search must find, by testing every row against every combination
// of classes in order: the first gaps and overlaps, merged.
std::vector<table_search::Finding> every_combination(const table_search::Space& s) {
  auto covers = [&](std::size_t c, std::uint32_t row, std::uint32_t x) {
    for (auto [lo, hi] : s.cells[c][row])
      if (lo <= x && x <= hi) return true;
    return false;
  };
  std::vector<table_search::Finding> out;
  std::size_t gaps = 0, overlaps = 0;
  std::vector<std::uint32_t> at(s.classes.size(), 0);
  for (bool more = true; more;) {
    std::vector<std::uint32_t> hits;
    for (std::uint32_t r = 0; r < s.rows && hits.size() < 2; ++r) {
      bool all = true;
      for (std::size_t c = 0; c < at.size() && all; ++c) all = covers(c, r, at[c]);
      if (all) hits.push_back(r);
    }
    if (hits.empty() && gaps++ < table_search::max_findings) out.push_back({at, false, 0, 0});
    if (hits.size() > 1 && overlaps++ < table_search::max_findings) out.push_back({at, true, hits[0], hits[1]});
    more = false;
    for (std::size_t c = at.size(); c-- > 0 && !more;) more = ++at[c] < s.classes[c] || (at[c] = 0, false);
  }
  return out;
}

table_search::Space random_space(std::mt19937& rng) {
  auto below = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
  table_search::Space s;
  s.rows = below(9);
  for (std::uint32_t c = 0, columns = 1 + below(4); c < columns; ++c) {
    std::uint32_t classes = 1 + below(6);
    s.classes.push_back(classes);
    auto& cells = s.cells.emplace_back();
    for (std::uint32_t r = 0; r < s.rows; ++r) {
      auto& runs = cells.emplace_back();
      std::uint32_t kind = below(4);
      if (kind == 0) runs.push_back({0, UINT32_MAX});  // `-`
      for (std::uint32_t k = 0, n = kind == 1 ? below(3) : kind == 2 ? 1 : 0; k < n; ++k) {
        std::uint32_t lo = below(classes), hi = lo + below(classes - lo);  // a range, or runs of listed values
        runs.push_back({lo, hi});
      }
      if (kind == 3) runs.push_back({below(classes), 0}), runs.back().second = runs.back().first;
    }
  }
  return s;
}

}  // namespace

// The catalog is what the checker and lowering read; the language guide must name each
// builtin with its catalog summary, so the two cannot drift apart.
BOOST_AUTO_TEST_CASE(every_builtin_is_in_the_catalog_and_the_language_guide) {
  std::ifstream in(std::string(KIJUN_SOURCE_DIR) + "/docs/language.md");
  std::stringstream guide;
  guide << in.rdbuf();
  for (const auto& b : builtins()) {
    BOOST_TEST_CONTEXT(b.name) {
      BOOST_TEST((find_builtin(b.name) == b.id));
      BOOST_TEST(&builtin_info(b.id) == &b);
      BOOST_TEST(b.fewest <= b.most);
      BOOST_TEST(guide.str().find("| `" + std::string(b.name) + "(") != std::string::npos);
      BOOST_TEST(guide.str().find(std::string(b.summary)) != std::string::npos);
    }
  }
  BOOST_TEST(!find_builtin("flor"));
}

BOOST_AUTO_TEST_CASE(calendar_day_numbers) {
  BOOST_TEST(days_from_civil({1970, 1, 1}) == 0);
  BOOST_TEST(day("2026-03-30") - day("2026-03-29") == 1);
  BOOST_TEST(format_date(day("2026-05-15")) == "2026-05-15");
  BOOST_TEST(!parse_date("2026-02-29").has_value());
  BOOST_TEST(parse_date("2028-02-29").has_value());
  BOOST_TEST(!parse_date("2026-13-01").has_value());
  BOOST_TEST(!parse_date("26-01-01").has_value());
}

BOOST_AUTO_TEST_CASE(calendar_month_arithmetic_clamps_to_month_end) {
  BOOST_TEST(format_date(*add_months(day("2028-02-29"), 12)) == "2029-02-28");
  BOOST_TEST(format_date(*add_months(day("2026-03-31"), -1)) == "2026-02-28");
  BOOST_TEST(format_date(*add_months(day("2026-06-01"), -12)) == "2025-06-01");
  BOOST_TEST(!add_months(day("9999-12-01"), 1).has_value());
}

BOOST_AUTO_TEST_CASE(text_width_and_json) {
  BOOST_TEST(display_width("小規模a") == 7u);
  BOOST_TEST(json_string("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"");
  BOOST_TEST(json_string("円") == "\"円\"");
  // Malformed and overlong bytes come out as one code point each, as decoded: U+FFFD, or
  // the character an overlong form stands for; control characters escaped.
  BOOST_TEST(json_string("a\xff\xc1\x81\x01\xe5\x86\x86") == "\"a\xef\xbf\xbd" "A\\u0001円\"");
  BOOST_TEST(json_string("\xc0\xa2") == "\"\\\"\"");  // an overlong quotation mark is escaped
  BOOST_TEST(json_string("\xe5\x86") == "\"\xef\xbf\xbd\xef\xbf\xbd\"");  // a sequence cut short
}

BOOST_AUTO_TEST_CASE(parser_reads_a_rule_with_every_clause) {
  Parsed p(
      "bonus 2 b cite \"3-3(2)\" label \"加点\" effective from 2026-03-30 until 2026-05-14\n"
      "  applies if staff > 1\n"
      "  unless staff > 9 cite \"ただし書\" effective until 2026-04-01\n"
      "  = staff < 5\n");
  BOOST_REQUIRE(!p.diags.has_errors());
  BOOST_REQUIRE(p.module.items.size() == 1u);
  auto& r = std::get<RuleDecl>(p.module.items[0]);
  BOOST_TEST(static_cast<int>(r.kind) == static_cast<int>(RuleKind::bonus));
  BOOST_TEST(r.id.name == "b");
  BOOST_TEST(r.points == 2);
  BOOST_TEST(r.cite.value == "3-3(2)");
  BOOST_TEST(r.label.value == "加点");
  BOOST_TEST(*r.effective.from == day("2026-03-30"));
  BOOST_TEST(*r.effective.until == day("2026-05-14"));
  BOOST_TEST(r.applies != no_expr);
  BOOST_REQUIRE(r.exceptions.size() == 1u);
  BOOST_TEST(r.exceptions[0].cite.value == "ただし書");
  BOOST_TEST(*r.exceptions[0].effective.until == day("2026-04-01"));
}

BOOST_AUTO_TEST_CASE(parser_reads_exact_literals) {
  Parsed p("def a = 3.5%\ndef b = 0.035\ndef c = 1_500_000 yen\ndef d = 2 years\n");
  BOOST_REQUIRE(p.module.items.size() == 4u);
  auto lit = [&](int i) { return p.ast.at(std::get<DefDecl>(p.module.items[i]).alts[0].value).node; };
  auto a = std::get<RateLit>(lit(0));
  BOOST_TEST(a.num == 35);
  BOOST_TEST(a.den == 1000);
  BOOST_TEST(a.percent);
  auto b = std::get<RateLit>(lit(1));
  BOOST_TEST(b.num == 35);
  BOOST_TEST(b.den == 1000);
  BOOST_TEST(std::get<YenLit>(lit(2)).value == 1500000);
  BOOST_TEST(std::get<DurationLit>(lit(3)).count == 2);
}

// Parentheses make no node, but the expression inside spans them, so every span built from
// it starts and ends where the reader sees it (explanations quote these spans).
BOOST_AUTO_TEST_CASE(parser_spans_cover_parentheses) {
  Parsed p("def a = (part ?? 0) / total >= 1/2\ndef b = staff * (staff + 1)\ndef c = ((staff))\n");
  BOOST_REQUIRE(!p.diags.has_errors());
  BOOST_REQUIRE(p.module.items.size() == 3u);
  auto root = [&](int i) { return std::get<DefDecl>(p.module.items[i]).alts[0].value; };
  auto text = [&](ExprId e) { return std::string(p.sources.text(p.ast.at(e).span)); };
  auto& compare = std::get<Binary>(p.ast.at(root(0)).node);
  BOOST_TEST(text(root(0)) == "(part ?? 0) / total >= 1/2");
  BOOST_TEST(text(compare.lhs) == "(part ?? 0) / total");
  BOOST_TEST(text(std::get<Binary>(p.ast.at(compare.lhs).node).lhs) == "(part ?? 0)");
  BOOST_TEST(text(compare.rhs) == "1/2");
  BOOST_TEST(text(root(1)) == "staff * (staff + 1)");
  BOOST_TEST(text(std::get<Binary>(p.ast.at(root(1)).node).rhs) == "(staff + 1)");
  BOOST_TEST(text(root(2)) == "((staff))");
  BOOST_TEST(std::holds_alternative<NameRef>(p.ast.at(root(2)).node));
}

BOOST_AUTO_TEST_CASE(parser_recovers_and_reports_several_errors) {
  Parsed p("requirement a = \nrequirement b cite \"x\" = true\nrequirement c = )\n");
  BOOST_TEST(p.diags.error_count() == 2u);
  BOOST_TEST(p.module.items.size() == 1u);
}

BOOST_AUTO_TEST_CASE(diagnostic_caret_counts_wide_characters) {
  auto out = testing::diagnostics(inputs + "requirement 小規模 cite \"x\" label \"y\" = 従業員 > 3\n");
  BOOST_TEST(out ==
             "t.kj:11:41: error[K0101]: unknown name `従業員`\n"
             " 11 | requirement 小規模 cite \"x\" label \"y\" = 従業員 > 3\n"
             "    |                                         ^~~~~~\n");
}

BOOST_AUTO_TEST_CASE(did_you_mean_uses_edit_distance) {
  BOOST_TEST(nearest("employes", {"employees", "size"}) == "employees");
  BOOST_TEST(nearest("x", {"abcdef"}) == "");
  BOOST_TEST(nearest("小規模事業", {"小規模事業者", "中小企業"}) == "小規模事業者");
}

BOOST_AUTO_TEST_CASE(optional_narrowing_is_accepted_where_presence_is_known) {
  BOOST_TEST(testing::diagnostics(inputs +
                                  "def a = present(capital_yen) and capital_yen > 0 yen\n"
                                  "def b = not present(capital_yen) or capital_yen > 0 yen\n"
                                  "def c: yen = if present(capital_yen) then capital_yen else 0 yen\n"
                                  "def d: yen = capital_yen ?? 0 yen\n"
                                  "requirement r cite \"x\" label \"y\"\n"
                                  "  applies if present(capital_yen)\n"
                                  "  = capital_yen > 0 yen\n") == "");
}

BOOST_AUTO_TEST_CASE(unit_rules_of_the_type_checker) {
  auto code_of = [](const std::string& body) {
    auto out = testing::diagnostics(inputs + body);
    auto at = out.find("error[");
    return at == std::string::npos ? std::string("none") : out.substr(at + 6, 5);
  };
  BOOST_TEST(code_of("def a: yen = floor(cost_yen * 2/3)\n") == "none");
  BOOST_TEST(code_of("def a: rate = cost_yen / cost_yen\n") == "none");
  BOOST_TEST(code_of("def a: rate = staff / 3\n") == "none");
  BOOST_TEST(code_of("def a = cost_yen * 3 > 1 yen\n") == "none");
  BOOST_TEST(code_of("def a = cost_yen * 1/3 >= 1 yen\n") == "none");
  BOOST_TEST(code_of("def a: yen = cost_yen * 2/3\n") == "K0205");
  BOOST_TEST(code_of("def a = cost_yen + 1/2\n") == "K0202");
  BOOST_TEST(code_of("def a = cost_yen > 3\n") == "K0203");
  BOOST_TEST(code_of("def a = capital_yen > 3 yen\n") == "K0204");
  BOOST_TEST(code_of("def a = staff ?? 1\n") == "K0207");
}

BOOST_AUTO_TEST_CASE(formatter_prints_the_canonical_layout) {
  BOOST_TEST(format("requirement   r cite \"x\"   label \"y\"\n= a and(b or c)and not d\n") ==
             "requirement r\n  cite \"x\"\n  label \"y\"\n  = a and (b or c) and not d\n");
  BOOST_TEST(format("def x=1500000 yen*2/3\n") == "def x = 1_500_000 yen * 2/3\n");
  BOOST_TEST(format("def y = (a - b) - (c - d)\n") == "def y = a - b - (c - d)\n");
  BOOST_TEST(format("# note\n\ndef z=3.50%   # trailing\n") == "# note\n\n# trailing\ndef z = 3.50%\n");
}

// Records and list inputs (docs/design/lists.md): one field per line, the list's length
// after its record; formatting them twice changes nothing.
BOOST_AUTO_TEST_CASE(formatter_lays_out_records_and_list_inputs) {
  std::string text =
      "record member   cite \"4.\" label \"m\" {\n"
      "  member_id : text label \"id\"\n"
      "  # the SME test reads these\n"
      "  capital_yen: yen? >= 0 yen\n"
      "  employees: int in 0..100000}\n"
      "input members :list of member ,length 1..1_000 label \"ms\"\n";
  std::string want =
      "record member cite \"4.\" label \"m\" {\n"
      "  member_id: text label \"id\"\n"
      "  # the SME test reads these\n"
      "  capital_yen: yen? >= 0 yen\n"
      "  employees: int in 0..100_000\n"
      "}\n"
      "\n"
      "input members: list of member, length 1..1000 label \"ms\"\n";
  BOOST_TEST(format(text) == want);
  BOOST_TEST(format(want) == want);
  Parsed p("input members: list of member\n");
  BOOST_TEST(p.diags.has_errors());
}

// A list names a declared record and a length from 0 or more up to at least 1 and at most
// 1,000,000; a record's fields are named once.
BOOST_AUTO_TEST_CASE(list_inputs_name_a_record_and_a_bounded_length) {
  std::string member = "record member label \"m\" {\n  member_id: text label \"i\"\n  employees: int >= 0 label \"e\"\n}\n";
  auto unknown = errors(member + "input ms: list of membr, length 1..10 label \"l\"\n");
  BOOST_REQUIRE(unknown.size() == 1u);
  BOOST_TEST(unknown[0] == "error[K0119]: unknown record type `membr`");
  BOOST_TEST(testing::diagnostics(member + "input ms: list of membr, length 1..10 label \"l\"\n").find("did you mean `member`?") !=
             std::string::npos);
  BOOST_TEST(errors(member + "input ms: list of member, length 5..1 label \"l\"\n") ==
             (std::vector<std::string>{"error[K0220]: the length of list `ms` must be a range from 0 or more up to at least that"}));
  BOOST_TEST(errors(member + "input ms: list of member, length 0..2_000_000 label \"l\"\n") ==
             (std::vector<std::string>{"error[K0220]: the length of list `ms` must be at most 1 to 1,000,000 elements"}));
  // A text field names the element in messages; as a text input, no rule decides on it.
  BOOST_TEST(errors(member + "input ms: list of member, length 0..10 label \"l\"\n"
                             "def t = count(m in ms where m.employees > 0 and m.member_id == m.member_id)\n") ==
             (std::vector<std::string>{"error[K0201]: expected a value a rule can decide on, found text (an identifier)",
                                       "error[K0201]: expected a value a rule can decide on, found text (an identifier)"}));
  BOOST_TEST(errors("record r label \"r\" {\n  a: int label \"a\"\n  a: yen label \"b\"\n}\n") ==
             std::vector<std::string>{"error[K0102]: `a` is already declared"});
  BOOST_TEST(errors("record r label \"r\" {\n  a: intt label \"a\"\n}\n") ==
             std::vector<std::string>{"error[K0107]: unknown type `intt`"});
}

// count, sum, all, any, min and max over a list: the element is named in the filter and
// the body, read through its fields; each form takes what it needs (K0221), min and max are
// optional, and a list is needed where one is counted.
BOOST_AUTO_TEST_CASE(operations_over_a_list_are_typed) {
  std::string lists = "record member label \"m\" {\n  employees: int >= 0 label \"e\"\n  capital_yen: yen? label \"c\"\n}\n"
                      "input ms: list of member, length 0..100 label \"l\"\n";
  auto only = [&](const std::string& body, std::vector<std::string> more = {}) {
    BOOST_TEST(errors(lists + body) == more, body);
  };
  only("def a: int = count(m in ms where m.employees > 5) + count(ms2 in ms)\n");
  only("def b: yen = sum(m in ms where present(m.capital_yen): m.capital_yen ?? 0 yen)\n");
  only("def c: bool = all(m in ms: m.employees <= 300) and any(m in ms: m.employees > 0)\n");
  only("def d: int = max(m in ms: m.employees) ?? 0\n");
  only("def e = sum(m in ms: m.employes)\n", {"error[K0128]: a `member` has no field `employes`"});
  only("def f = count(m in ms: m.employees)\n",
       {"error[K0221]: `count` over a list counts elements: give a condition with `where`, not a value"});
  only("def g = all(m in ms)\n", {"error[K0221]: `all` over a list needs a condition: `all(m in list: C)`"});
  only("def h = min(m in ms: m.employees) > 3\n", {"error[K0204]: `min(m in ms: m.employees)` may be absent and is used without a check"});
  only("def i = count(m in staff)\n", {"error[K0201]: expected a list, found int"});
  only("def j = sum(m in ms: m)\n", {"error[K0117]: `m` is a list element, not a value"});
  only("def k = ms\n", {"error[K0222]: `ms` is a list, where a single value is needed"});
  only("def l = count(ms) > 0 and ms == ms\n",
       {"error[K0222]: `ms` is a list, where a single value is needed", "error[K0222]: `ms` is a list, where a single value is needed"});
  // A definition applies to an element when all it reads is a field of the same name and type.
  std::string with_cost = "record member label \"m\" {\n  employees: int >= 0 label \"e\"\n  capital_yen: yen? label \"c\"\n"
                          "  cost_yen: int label \"k\"\n}\ninput ms: list of member, length 0..100 label \"l\"\n";
  auto applied = [&](const std::string& body, std::vector<std::string> more = {}) {
    BOOST_TEST(errors(with_cost + body) == more, body);
  };
  applied("def rich = (capital_yen ?? 0 yen) > 0 yen\ndef l: int = count(m in ms where m.rich)\n");
  applied("def many = staff > 5\ndef l = count(m in ms where m.many)\n",
          {"error[K0230]: `many` cannot be applied to a `member`: it reads `staff`, which a `member` has not"});
  applied("def pricey = cost_yen > 5 yen\ndef l = count(m in ms where m.pricey)\n",
          {"error[K0230]: `pricey` cannot be applied to a `member`: it reads `cost_yen`, which a `member` has as int, not yen"});
  BOOST_TEST(format("def k=sum( m in ms where m.employees>5 : m.employees*2 )\n") ==
             "def k = sum(m in ms where m.employees > 5: m.employees * 2)\n");
}

BOOST_AUTO_TEST_CASE(formatting_is_idempotent_on_every_source_in_the_repository) {
  namespace fs = std::filesystem;
  int files = 0;
  for (auto dir : {"rulesets", "tests/golden/check/good"}) {
    for (auto& e : fs::recursive_directory_iterator(fs::path(KIJUN_SOURCE_DIR) / dir)) {
      if (e.path().extension() != ".kj") continue;
      std::ifstream in(e.path());
      std::stringstream text;
      text << in.rdbuf();
      BOOST_TEST_CONTEXT(e.path().filename().string()) {
        std::string once = format(text.str());
        BOOST_TEST(format(once) == once);
        BOOST_TEST(once == text.str(), "not in canonical layout: run kijun fmt --write");
      }
      ++files;
    }
  }
  BOOST_TEST(files >= 8);
}

BOOST_AUTO_TEST_CASE(table_search_finds_what_testing_every_combination_finds) {
  std::mt19937 rng(20260401);
  int complete = 0, many = 0;  // the spaces drawn must include both
  for (int n = 0; n < 3000; ++n) {
    auto space = random_space(rng);
    auto want = every_combination(space);
    complete += want.empty();
    many += want.size() > table_search::max_findings;
    auto got = table_search::search(space);
    BOOST_TEST_CONTEXT("space " << n) {
      BOOST_REQUIRE(!got.exhausted);
      BOOST_REQUIRE(got.findings.size() == want.size());
      for (std::size_t i = 0; i < want.size(); ++i) {
        BOOST_TEST(got.findings[i].at == want[i].at);
        BOOST_TEST(got.findings[i].overlap == want[i].overlap);
        BOOST_TEST(got.findings[i].first == want[i].first);
        BOOST_TEST(got.findings[i].second == want[i].second);
      }
    }
  }
  BOOST_TEST(complete > 50);
  BOOST_TEST(many > 100);
}

// A complete table of three columns whose rows cross in the first two: rows `| i | >= h |`
// and `| - | i |` for each i < h (and `| >= h | >= h |`), each `-` carried into every
// segment of the first column. The search stops at its budget and says so.
BOOST_AUTO_TEST_CASE(table_search_stops_at_its_budget) {
  const std::uint32_t h = 200;
  table_search::Space s;
  s.rows = 2 * h + 1;
  s.classes = {h + 1, h + 1, 1};
  s.cells.resize(3);
  for (std::uint32_t i = 0; i <= h; ++i) {
    s.cells[0].push_back({{i, i == h ? h : i}});
    s.cells[1].push_back({{h, h}});
  }
  for (std::uint32_t i = 0; i < h; ++i) {
    s.cells[0].push_back({{0, UINT32_MAX}});
    s.cells[1].push_back({{i, i}});
  }
  s.cells[2].assign(s.rows, {{0, 0}});
  BOOST_TEST(table_search::search(s, 10'000).exhausted);
  auto unbounded = table_search::search(s, UINT64_MAX);
  BOOST_TEST(!unbounded.exhausted);
  BOOST_TEST(unbounded.findings.empty());
}

BOOST_AUTO_TEST_CASE(table_gaps_at_the_edges_of_ranges) {
  BOOST_TEST(errors("table a cite \"1\" label \"l\" {\n  | staff || v: int |\n  | <= 4 || 1 |\n  | 6..9 || 2 |\n}\n") ==
             (std::vector<std::string>{"error[K0301]: table `a` has no row for staff = 5",
                                       "error[K0301]: table `a` has no row for staff = ≥ 10"}));
  BOOST_TEST(errors("table b cite \"1\" label \"l\" {\n  | staff || v: int |\n  | 0..9 || 1 |\n  | > 10 || 2 |\n}\n") ==
             (std::vector<std::string>{"error[K0301]: table `b` has no row for staff = 10"}));
  // `staff` is declared >= 0: its domain starts at 0.
  BOOST_TEST(errors("table c cite \"1\" label \"l\" {\n  | staff || v: int |\n  | 1..9 || 1 |\n  | >= 10 || 2 |\n}\n") ==
             (std::vector<std::string>{"error[K0301]: table `c` has no row for staff = 0"}));
  BOOST_TEST(errors("table d cite \"1\" label \"l\" {\n  | staff || v: int |\n  | < 5 || 1 |\n  | 5 || 2 |\n  | > 5 || 3 |\n}\n").empty());
}

BOOST_AUTO_TEST_CASE(table_gaps_at_the_ends_of_64_bit_keys) {
  // `cost_yen` has no declared range: its domain is every 64-bit amount.
  BOOST_TEST(errors("table a cite \"1\" label \"l\" {\n  | cost_yen || v: int |\n  | < 0 yen || 1 |\n"
                    "  | 0 yen..9223372036854775806 yen || 2 |\n}\n") ==
             (std::vector<std::string>{"error[K0301]: table `a` has no row for cost_yen = 9223372036854775807 yen"}));
  BOOST_TEST(errors("table b cite \"1\" label \"l\" {\n  | cost_yen || v: int |\n  | <= 0 yen || 1 |\n  | > 0 yen || 2 |\n"
                    "  | 9223372036854775807 yen || 3 |\n}\n") ==
             (std::vector<std::string>{"error[K0302]: rows 2 and 3 of table `b` both match cost_yen = 9223372036854775807 yen"}));
  BOOST_TEST(errors("table c cite \"1\" label \"l\" {\n  | cost_yen || v: int |\n  | >= 1 yen || 1 |\n}\n") ==
             (std::vector<std::string>{"error[K0301]: table `c` has no row for cost_yen = ≤ 0 yen"}));
  BOOST_TEST(errors("table d cite \"1\" label \"l\" {\n  | cost_yen || v: int |\n  | < 9223372036854775807 yen || 1 |\n"
                    "  | 9223372036854775807 yen || 2 |\n}\n").empty());
}

// A minus before a number in a range is part of the bound, not an expression to type.
BOOST_AUTO_TEST_CASE(table_ranges_with_negative_bounds) {
  BOOST_TEST(errors("table a cite \"1\" label \"l\" {\n  | cost_yen || v: int |\n  | < -5 yen || 1 |\n  | -5 yen..3 yen || 2 |\n"
                    "  | > 3 yen || 3 |\n}\n").empty());
  BOOST_TEST(errors("table b cite \"1\" label \"l\" {\n  | cost_yen || v: int |\n  | < -5 yen || 1 |\n  | > -5 yen || 2 |\n}\n") ==
             (std::vector<std::string>{"error[K0301]: table `b` has no row for cost_yen = -5 yen"}));
  BOOST_TEST(errors("table c cite \"1\" label \"l\" {\n  | cost_yen || v: int |\n  | >= -9223372036854775807 yen || 1 |\n}\n") ==
             (std::vector<std::string>{"error[K0301]: table `c` has no row for cost_yen = -9223372036854775808 yen"}));
}

// Each overlap names the two rows of lowest number that match it.
BOOST_AUTO_TEST_CASE(table_overlaps_of_rows_for_any_value) {
  BOOST_TEST(errors("table a cite \"1\" label \"l\" {\n  | size || v: int |\n  | small || 1 |\n  | - || 2 |\n  | - || 3 |\n}\n") ==
             (std::vector<std::string>{"error[K0302]: rows 1 and 2 of table `a` both match size = small",
                                       "error[K0302]: rows 2 and 3 of table `a` both match size = large",
                                       "error[K0302]: rows 2 and 3 of table `a` both match size = medium"}));
}

// The first three gaps and the first three overlaps in the order of the keys' values, the
// first key slowest.
BOOST_AUTO_TEST_CASE(table_findings_over_several_keys) {
  std::string table =
      "table a cite \"1\" label \"l\" {\n"
      "  | size          | staff || v: int |\n"
      "  | small, large  | <= 5  || 1      |\n"
      "  | small         | >= 7  || 2      |\n"
      "  | medium        | -     || 3      |\n"
      "  | large         | 7..20 || 4      |\n"
      "  | large, medium | >= 20 || 5      |\n"
      "}\n";
  BOOST_TEST(errors(table) == (std::vector<std::string>{
                                  "error[K0301]: table `a` has no row for size = large, staff = 6",
                                  "error[K0301]: table `a` has no row for size = small, staff = 6",
                                  "error[K0302]: rows 3 and 5 of table `a` both match size = medium, staff = 20",
                                  "error[K0302]: rows 3 and 5 of table `a` both match size = medium, staff = ≥ 21",
                                  "error[K0302]: rows 4 and 5 of table `a` both match size = large, staff = 20",
                              }));
}
