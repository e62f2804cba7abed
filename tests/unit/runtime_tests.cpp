// Unit tests of the runtime stage: exact field parsing, the readers, the output line.
#define BOOST_TEST_MODULE runtime
#include <boost/test/unit_test.hpp>

#include <sstream>

#include "runtime/audit/explain.hpp"
#include "runtime/engine.hpp"
#include "runtime/fields.hpp"
#include "runtime/output.hpp"
#include "unit/test_support.hpp"

using namespace kijun;
using ir::Value;

namespace {

const std::string schema =
    "enum kind {\n  small\n  large\n}\n"
    "input id: text label \"id\"\n"
    "input applied: date label \"d\"\n"
    "input staff: int >= 0 label \"s\"\n"
    "input fee_yen: yen >= 0 yen label \"f\"\n"
    "input share: rate label \"r\"\n"
    "input size: kind label \"k\"\n"
    "input capital_yen: yen? label \"c\"\n"
    "input listed: bool label \"b\"\n"
    "frame f label \"枠\" {\n"
    "  requirement listed cite \"2-2\" label \"掲載\" = listed\n"
    "  requirement counted cite \"2-2\" label \"人数\" = staff >= 0 or present(capital_yen)\n"
    "  bonus 1 big cite \"3-3\" label \"大\" = size == large\n"
    "  rate cite \"2-3\" label \"率\" = share\n"
    "  amount cite \"2-3\" label \"額\" = floor(fee_yen * rate)\n"
    "}\n"
    "frame g label \"別枠\" {\n"
    "  input extra_yen: yen >= 0 yen label \"e\"\n"
    "  requirement listed cite \"2-2\" label \"掲載\" = listed\n"
    "  rate cite \"2-3\" label \"率\" = share\n"
    "  amount cite \"2-3\" label \"額\" = floor(extra_yen * rate)\n"
    "}\n";

struct Fixture {
  std::unique_ptr<runtime::Engine> engine;
  Fixture() {
    auto text = "ruleset \"t\" {\n  fiscal_year 2026\n  as_of applied\n  version 2026-01-01\n}\n\nmodule t\n\n" + schema;
    auto c = compiler::compile_sources({{"t.kj", text}});
    BOOST_REQUIRE_MESSAGE(c->ok(), dsl::render_all(c->diagnostics, c->sources));
    engine = std::make_unique<runtime::Engine>(std::move(c));
  }
  // Frame f's output lines for `input`, the warnings given, and why the input was refused.
  struct Read {
    std::vector<std::string> lines, warnings;
    std::string refused;
    std::size_t blank = 0;
  };
  Read read(const std::string& input, bool csv = false, bool strict = false) {
    Read out;
    std::istringstream in(input);
    const auto& rs = engine->ruleset();
    runtime::KnownFields known({&rs}, {strict, [&out](const std::string& w) { out.warnings.push_back(w); }});
    auto reader = csv ? runtime::make_csv_reader(in, rs, rs.frames[0].inputs, known)
                      : runtime::make_jsonl_reader(in, rs, rs.frames[0].inputs, known);
    ir::Interpreter interp(rs);
    runtime::Record r;
    while (reader->next(r)) {
      bool error = false;
      out.lines.push_back(engine->line(interp, 0, r, std::nullopt, error));
    }
    out.refused = reader->input_error();
    out.blank = reader->blank_lines();
    return out;
  }
  std::vector<std::string> lines(const std::string& input, bool csv = false) { return read(input, csv).lines; }
};

// A good record of frame f, less its closing brace, for a test to add fields to.
const std::string good =
    R"({"id":"G1","applied":"2026-06-01","staff":3,"fee_yen":100,"share":"1/2","size":"small","listed":true)";

}  // namespace

BOOST_AUTO_TEST_CASE(rates_parse_exactly_from_text) {
  BOOST_TEST((*runtime::parse_rate("0.035") == Value{7, 200}));
  BOOST_TEST((*runtime::parse_rate("3.5%") == Value{7, 200}));
  BOOST_TEST((*runtime::parse_rate("2/3") == Value{2, 3}));
  BOOST_TEST((*runtime::parse_rate("0.1") == Value{1, 10}));
  BOOST_TEST((*runtime::parse_rate("-0.5") == Value{-1, 2}));
  BOOST_TEST((*runtime::parse_rate("1") == Value{1, 1}));
  BOOST_TEST(!runtime::parse_rate("1e-3").has_value());
  BOOST_TEST(!runtime::parse_rate("0.1.2").has_value());
  BOOST_TEST(!runtime::parse_rate("1/0").has_value());
  BOOST_TEST(!runtime::parse_rate("").has_value());
}

BOOST_AUTO_TEST_CASE(integers_reject_fractions_and_overflow) {
  BOOST_TEST(*runtime::parse_integer("-12") == -12);
  BOOST_TEST(!runtime::parse_integer("12.0").has_value());
  BOOST_TEST(!runtime::parse_integer("9223372036854775808").has_value());
}

BOOST_AUTO_TEST_CASE(a_good_record_gives_the_product_output_line) {
  Fixture fx;
  auto out = fx.lines(
      R"({"id":"A1","applied":"2026-06-01","staff":3,"fee_yen":100001,"share":"0.5","size":"large","listed":true,"other":[1,2]})"
      "\n");
  BOOST_REQUIRE(out.size() == 1u);
  BOOST_TEST(out[0] ==
             "{\"id\":\"A1\",\"frame\":\"f\",\"ruleset\":\"t\",\"fiscal_year\":2026,\"version\":\"2026-01-01\","
             "\"ruleset_hash\":\"" + fx.engine->content_hash() + "\",\"as_of\":\"2026-06-01\",\"eligible\":true,"
             "\"amount_yen\":50000,\"rate\":\"1/2\",\"bonus_points\":1,\"penalty_points\":0,\"score\":1,\"failed\":[],"
             "\"bonus\":[{\"rule\":\"big\",\"cite\":\"3-3\",\"points\":1}],\"penalty\":[]}");
}

BOOST_AUTO_TEST_CASE(an_ineligible_applicant_gets_zero_and_its_reasons) {
  Fixture fx;
  auto out = fx.lines(R"({"id":7,"applied":"2026-06-01","staff":3,"fee_yen":10,"share":0.5,"size":"small","listed":false})" "\n");
  BOOST_REQUIRE(out.size() == 1u);
  BOOST_TEST(out[0].find("\"id\":\"7\"") != std::string::npos);
  BOOST_TEST(out[0].find("\"eligible\":false,\"amount_yen\":0,") != std::string::npos);
  BOOST_TEST(out[0].find("\"failed\":[{\"rule\":\"listed\",\"kind\":\"requirement\",\"cite\":\"2-2\",\"label\":\"掲載\"}]") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_records_give_error_lines_and_the_batch_goes_on) {
  Fixture fx;
  auto out = fx.lines(
      "{\"id\":\"B1\",\"applied\":\"2026-06-01\",\"staff\":-3,\"fee_yen\":1,\"share\":\"1/2\",\"size\":\"small\",\"listed\":true}\n"
      "\n"
      "{\"id\":\"B2\",\"applied\":\"2026-06-01\",\"staff\":1,\"fee_yen\":1.5,\"share\":\"1/2\",\"size\":\"small\",\"listed\":true}\n"
      "{\"id\":\"B3\",\"applied\":\"2026-06-01\",\"staff\":1,\"fee_yen\":1,\"share\":1e-3,\"size\":\"small\",\"listed\":true}\n"
      "{\"id\":\"B4\",\"applied\":\"2026-06-01\",\"staff\":1,\"fee_yen\":1,\"share\":\"1/2\",\"size\":\"huge\",\"listed\":true}\n"
      "{\"id\":\"B5\",\"applied\":\"2026-06-01\",\"staff\":1,\"share\":\"1/2\",\"size\":\"small\",\"listed\":\"yes\"}\n"
      "[1,2]\n"
      "{\"id\":\"B7\",\"applied\":\"2025-12-31\",\"staff\":1,\"fee_yen\":1,\"share\":\"1/2\",\"size\":\"small\",\"listed\":true}\n"
      "{\"staff\":1}\n");
  BOOST_REQUIRE(out.size() == 8u);
  BOOST_TEST(out[0] == R"({"id":"B1","line":1,"error":"staff: expected an integer ≥ 0, got -3"})");
  BOOST_TEST(out[1] == R"({"id":"B2","line":3,"error":"fee_yen: expected whole yen ≥ 0, got 1.5"})");
  BOOST_TEST(out[2] == R"({"id":"B3","line":4,"error":"share: expected an exact rate such as 0.035, 3.5% or 2/3, got 1e-3"})");
  BOOST_TEST(out[3] == R"({"id":"B4","line":5,"error":"size: expected one of small, large; got \"huge\""})");
  BOOST_TEST(out[4] == R"({"id":"B5","line":6,"error":"listed: expected true or false, got \"yes\""})");
  BOOST_TEST(out[5] == R"({"id":null,"line":7,"error":"record: not a JSON object"})");
  BOOST_TEST(out[6] == R"({"id":"B7","line":8,"error":"as_of: 2025-12-31 is before the ruleset's first version 2026-01-01"})");
  BOOST_TEST(out[7] == R"({"id":null,"line":9,"error":"id: required field is missing"})");
}

BOOST_AUTO_TEST_CASE(csv_records_read_like_json_records) {
  Fixture fx;
  auto json = fx.lines(R"({"id":"C1","applied":"2026-06-01","staff":3,"fee_yen":100001,"share":"0.5","size":"large","listed":true})" "\n");
  auto csv = fx.lines(
      "id,applied,staff,fee_yen,share,size,listed,capital_yen,note\n"
      "C1,2026-06-01,3,100001,0.5,large,true,,\"a, quoted \"\"note\"\"\"\n"
      "C2,2026-06-01,3\n",
      true);
  BOOST_REQUIRE(csv.size() == 2u);
  BOOST_TEST(csv[0] == json[0]);
  BOOST_TEST(csv[1] == R"({"id":"C2","line":3,"error":"record: 3 cells where the header has 9"})");
}

// Records in = lines out: a line holding more than one object is one error line (with the
// first object's id), never one result and a record dropped without a word.
BOOST_AUTO_TEST_CASE(jsonl_text_after_the_object_makes_the_line_an_error) {
  Fixture fx;
  std::string g2 = R"({"id":"G2","applied":"2026-06-01","staff":3,"fee_yen":100,"share":"1/2","size":"small","listed":true})";
  auto out = fx.lines(good + "}" + g2 + "\n" + good + "}}\n" + good + "} x\n" + good + "}  \n");
  BOOST_REQUIRE(out.size() == 4u);
  auto at = [&](std::size_t extra) { return std::to_string(good.size() + 2 + extra); };
  BOOST_TEST(out[0] == R"({"id":"G1","line":1,"error":"record: the line goes on after the JSON object (column )" + at(0) +
                           R"(); one record per line"})");
  BOOST_TEST(out[1] == R"({"id":"G1","line":2,"error":"record: the line goes on after the JSON object (column )" + at(0) +
                           R"(); one record per line"})");
  BOOST_TEST(out[2] == R"({"id":"G1","line":3,"error":"record: the line goes on after the JSON object (column )" + at(1) +
                           R"(); one record per line"})");
  BOOST_TEST(out[3].find(R"("eligible":true)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(jsonl_blank_lines_are_skipped_and_counted) {
  Fixture fx;
  auto out = fx.read("\n  \n" + good + "}\n\t\r\n" + good + "}");
  BOOST_TEST(out.lines.size() == 2u);
  BOOST_TEST(out.blank == 3u);
  BOOST_TEST(out.lines[1].find(R"("eligible":true)") != std::string::npos);
  auto csv = fx.read("id,applied,staff,fee_yen,share,size,listed\n\n \r\nG1,2026-06-01,3,100,1/2,small,true\n\"\"\n", true);
  BOOST_TEST(csv.blank == 2u);
  BOOST_REQUIRE(csv.lines.size() == 2u);
  BOOST_TEST(csv.lines[1] == R"({"id":null,"line":5,"error":"record: 1 cells where the header has 7"})");
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_is_not_part_of_the_first_record) {
  Fixture fx;
  auto json = fx.lines("\xEF\xBB\xBF" + good + "}\n");
  BOOST_REQUIRE(json.size() == 1u);
  BOOST_TEST(json[0] == fx.lines(good + "}\n")[0]);
  auto csv = fx.read("\xEF\xBB\xBFid,applied,staff,fee_yen,share,size,listed\nG1,2026-06-01,3,100,1/2,small,true\n", true);
  BOOST_TEST(csv.refused == "");
  BOOST_REQUIRE(csv.lines.size() == 1u);
  BOOST_TEST(csv.lines[0] == json[0]);
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_utf8_make_an_error_line_naming_the_field) {
  Fixture fx;
  auto out = fx.lines(good + ",\"note\":\"caf\xff\"}\n" + "{\"id\":\"G\xc3\"," + good.substr(11) + "}\n" + good +
                      ",\"no\xe9te\":1}\n");
  BOOST_REQUIRE(out.size() == 3u);
  BOOST_TEST(out[0] == R"({"id":"G1","line":1,"error":"note: not valid UTF-8"})");
  BOOST_TEST(out[1] == R"({"id":null,"line":2,"error":"id: not valid UTF-8"})");
  BOOST_TEST(out[2] == "{\"id\":\"G1\",\"line\":3,\"error\":\"no\xEF\xBF\xBDte: the field name is not valid UTF-8\"}");
  auto csv = fx.lines("id,applied,staff,fee_yen,share,size,listed,note\nG1,2026-06-01,3,100,1/2,small,true,caf\xff\n", true);
  BOOST_REQUIRE(csv.size() == 1u);
  BOOST_TEST(csv[0] == R"({"id":"G1","line":2,"error":"note: not valid UTF-8"})");
}

namespace {
const std::string csv_header = "id,applied,staff,fee_yen,share,size,listed,note\n";
}  // namespace

// A quoted cell may hold a line break: the record is one record, named by its first line.
BOOST_AUTO_TEST_CASE(csv_a_quoted_line_break_stays_in_one_record) {
  Fixture fx;
  auto out = fx.lines(csv_header + "G1,2026-06-01,3,100,1/2,small,true,\"two\nlines, \"\"quoted\"\"\"\nG2,2026-06-01,-1,100,1/2,small,true,\n", true);
  BOOST_REQUIRE(out.size() == 2u);
  BOOST_TEST(out[0] == fx.lines(good + "}\n")[0]);
  BOOST_TEST(out[1] == R"({"id":"G2","line":4,"error":"staff: expected an integer ≥ 0, got \"-1\""})");
}

BOOST_AUTO_TEST_CASE(csv_crlf_line_ends_read_like_lf) {
  Fixture fx;
  std::string rows = "G1,2026-06-01,3,100,1/2,small,true,\"a\r\nb\"\nG2,2026-06-01,x,100,1/2,small,true,\n";
  auto lf = fx.lines(csv_header + rows, true);
  std::string crlf = csv_header + rows;
  for (std::size_t at = crlf.find('\n'); at != std::string::npos; at = crlf.find('\n', at + 2)) crlf.insert(at, "\r");
  auto out = fx.lines(crlf, true);
  BOOST_REQUIRE(out.size() == 2u);
  BOOST_TEST(out == lf, boost::test_tools::per_element());
  BOOST_TEST(out[1] == R"({"id":"G2","line":4,"error":"staff: expected an integer ≥ 0, got \"x\""})");
}

BOOST_AUTO_TEST_CASE(csv_a_header_without_a_required_column_refuses_the_file) {
  Fixture fx;
  auto out = fx.read("id,applied,fee_yen,share,size,note\nG1,2026-06-01,100,1/2,small,\n", true);
  BOOST_TEST(out.refused == "the CSV header lacks the required columns `staff` and `listed`");
  BOOST_TEST(out.lines.empty());
  auto one = fx.read("applied,staff,fee_yen,share,size,listed,capital_yen\n", true);
  BOOST_TEST(one.refused == "the CSV header lacks the required column `id`");
}

BOOST_AUTO_TEST_CASE(csv_a_quote_open_at_the_end_is_an_error_line) {
  Fixture fx;
  auto out = fx.lines(csv_header + "G1,2026-06-01,3,100,1/2,small,true,\nG3,2026-06-01,3,100,1/2,small,true,\"open\nstill\n", true);
  BOOST_REQUIRE(out.size() == 2u);
  BOOST_TEST(out[0].find(R"("eligible":true)") != std::string::npos);
  BOOST_TEST(out[1] == R"({"id":"G3","line":3,"error":"record: a quoted cell is still open at the end of the input"})");
}

namespace {

// One failing requirement per kind of literal, each compared with an input.
const std::string comparisons =
    "input applied: date label \"d\"\n"
    "input fee_yen: yen label \"f\"\n"
    "input share: rate label \"r\"\n"
    "input part: int? label \"p\"\n"
    "frame f label \"枠\" {\n"
    "  requirement yen_lit cite \"1\" label \"a\" = fee_yen >= 1_500 yen\n"
    "  requirement percent_lit cite \"2\" label \"b\" = share >= 3.5%\n"
    "  requirement decimal_lit cite \"3\" label \"c\" = share >= 0.035\n"
    "  requirement date_lit cite \"4\" label \"d\" = applied >= 2026-03-30\n"
    "  requirement half cite \"5\" label \"e\" = share >= 1/2\n"
    "  requirement eighth cite \"6\" label \"f\" = share >= 1/8\n"
    "  requirement paren cite \"7\" label \"g\" = (part ?? 0) / 4 >= 1/2\n"
    "  amount cite \"8\" label \"h\" = fee_yen\n"
    "}\n";

struct Explained {
  std::unique_ptr<runtime::Engine> engine;
  runtime::Explanation x;
  explicit Explained(runtime::Lang lang) {
    auto text = "ruleset \"t\" {\n  fiscal_year 2026\n  as_of applied\n  version 2026-01-01\n}\n\nmodule t\n\n" + comparisons;
    auto c = compiler::compile_sources({{"t.kj", text}});
    BOOST_REQUIRE_MESSAGE(c->ok(), dsl::render_all(c->diagnostics, c->sources));
    engine = std::make_unique<runtime::Engine>(std::move(c));
    std::istringstream in(R"({"id":"x","applied":"2026-03-01","fee_yen":1000,"share":"2%","part":1})" "\n");
    const auto& rs = engine->ruleset();
    runtime::Record r;
    runtime::KnownFields known({&rs});
    BOOST_REQUIRE(runtime::make_jsonl_reader(in, rs, rs.frames[0].inputs, known)->next(r));
    auto interp = engine->interpreter();
    auto d = engine->decide(interp, 0, r.values, std::nullopt, true);
    BOOST_REQUIRE(d.ok);
    x = runtime::explain(*engine, 0, r, d, lang);
  }
  // The one line of why the rule `id` failed.
  const runtime::Reason& reason(const std::string& id) const {
    for (auto& n : x.rules)
      if (engine->ruleset().rules[n.rule].id == id && n.reasons.size() == 1) return n.reasons[0];
    BOOST_FAIL("no single reason for " + id);
    return x.rules[0].reasons[0];
  }
};

}  // namespace

// A comparison says each side once: a literal by its value, anything else by its text and
// then its value unless the two read the same ("1/2", not "1/2 1/2").
BOOST_AUTO_TEST_CASE(explained_comparisons_say_each_side_once) {
  Explained en(runtime::Lang::en);
  BOOST_TEST(en.reason("yen_lit").text == "fee_yen 1,000 yen < 1,500 yen");
  BOOST_TEST(en.reason("percent_lit").text == "share 2% < 3.5%");
  BOOST_TEST(en.reason("decimal_lit").text == "share 2% < 3.5%");
  BOOST_TEST(en.reason("date_lit").text == "applied 2026-03-01 < 2026-03-30");
  BOOST_TEST(en.reason("half").text == "share 2% < 1/2");
  BOOST_TEST(en.reason("eighth").text == "share 2% < 1/8 12.5%");
  BOOST_TEST(en.reason("paren").text == "(part ?? 0) / 4 1/4 < 1/2");
  Explained ja(runtime::Lang::ja);
  BOOST_TEST(ja.reason("yen_lit").text == "fee_yen 1,000円 < 1,500円");
}

// The same comparison as data: each side's source text and value, the operator as written.
BOOST_AUTO_TEST_CASE(explained_comparisons_come_as_data_in_json) {
  Explained en(runtime::Lang::en);
  const auto& c = en.reason("paren").comparison;
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->op == ">=");
  BOOST_TEST(!c->holds);
  BOOST_TEST(c->left.expr == "(part ?? 0) / 4");
  BOOST_TEST(c->right.value == "1/2");
  auto json = runtime::explain_json(*en.engine, en.x);
  BOOST_TEST(json.find(R"({"depth":0,"text":"(part ?? 0) / 4 1/4 < 1/2","left":{"expr":"(part ?? 0) / 4","value":"1/4","cite":""},)"
                       R"("op":">=","right":{"expr":"1/2","value":"1/2","cite":""},"holds":false})") != std::string::npos);
  BOOST_TEST(json.find(R"("right":{"expr":"1_500 yen","value":"1,500 yen","cite":""})") != std::string::npos);
  BOOST_TEST(json.find(R"("right":{"expr":"0.035","value":"3.5%","cite":""})") != std::string::npos);
}

// The record is ambiguous, whichever key is repeated: read by the frame or not, known to the
// ruleset or not, `id`, or spelt with an escape. The repetition is reported before a bad value.
BOOST_AUTO_TEST_CASE(a_field_given_twice_makes_its_record_an_error_line) {
  Fixture fx;
  auto out = fx.read(good + R"(,"staff":30})" "\n" +
                     R"({"id":"D2","id":"D3"})" "\n" +
                     good + R"(,"note":1,"note":2})" "\n" +
                     good + R"(,"extra_yen":1,"extra_yen":2})" "\n" +
                     R"({"id":"D5","staff":-1,"staff":3})" "\n" +
                     good + R"(,"st\u0061ff":3})" "\n" +
                     good + "}\n");
  BOOST_REQUIRE(out.lines.size() == 7u);
  BOOST_TEST(out.lines[0] == R"({"id":"G1","line":1,"error":"staff: the field is given twice"})");
  BOOST_TEST(out.lines[1] == R"({"id":"D2","line":2,"error":"id: the field is given twice"})");
  BOOST_TEST(out.lines[2] == R"({"id":"G1","line":3,"error":"note: the field is given twice"})");
  BOOST_TEST(out.lines[3] == R"({"id":"G1","line":4,"error":"extra_yen: the field is given twice"})");
  BOOST_TEST(out.lines[4] == R"({"id":"D5","line":5,"error":"staff: the field is given twice"})");
  BOOST_TEST(out.lines[5] == R"({"id":"G1","line":6,"error":"staff: the field is given twice"})");
  BOOST_TEST(out.lines[6].find(R"("eligible":true,"amount_yen":50,)") != std::string::npos);
  BOOST_TEST(out.warnings == std::vector<std::string>{"`note` is not an input of t 2026"}, boost::test_tools::per_element());
}

// Any frame's input is known (extra_yen is frame g's), and so is `id`; other names warn once.
BOOST_AUTO_TEST_CASE(a_field_no_input_knows_warns_once_per_name) {
  Fixture fx;
  auto out = fx.read(good + R"(,"capital_yn":1,"extra_yen":5})" "\n" + good + R"(,"capital_yn":2,"zzz":null})" "\n" +
                     good + R"(,"zzz":1})" "\n");
  BOOST_REQUIRE(out.lines.size() == 3u);
  for (auto& line : out.lines) BOOST_TEST(line.find(R"("eligible":true)") != std::string::npos);
  BOOST_TEST(out.warnings ==
                 (std::vector<std::string>{"`capital_yn` is not an input of t 2026; did you mean `capital_yen`?",
                                           "`zzz` is not an input of t 2026"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(strict_fields_make_each_record_with_an_unknown_field_an_error_line) {
  Fixture fx;
  auto out = fx.read(good + R"(,"capital_yn":1})" "\n" + good + R"(,"extra_yen":5})" "\n" +
                     R"({"id":"S3","staff":-1,"capital_yn":1})" "\n", false, true);
  BOOST_REQUIRE(out.lines.size() == 3u);
  BOOST_TEST(out.lines[0] == R"({"id":"G1","line":1,"error":"capital_yn: not an input of t 2026; did you mean `capital_yen`?"})");
  BOOST_TEST(out.lines[1].find(R"("eligible":true)") != std::string::npos);
  BOOST_TEST(out.lines[2] == R"({"id":"S3","line":3,"error":"staff: expected an integer ≥ 0, got -1"})");
  BOOST_TEST(out.warnings.empty());
}

// The header speaks for every record: a column named twice refuses the input, once.
BOOST_AUTO_TEST_CASE(a_csv_header_naming_a_column_twice_refuses_the_whole_input) {
  Fixture fx;
  const std::pair<std::string, std::string> cases[] = {
      {"id,applied,staff,fee_yen,share,size,listed,staff", "`staff` twice (columns 3 and 8)"},
      {"id,applied,staff,fee_yen,share,size,listed,id", "`id` twice (columns 1 and 8)"},
      {"id,applied,staff,fee_yen,share,size,listed,note,note", "`note` twice (columns 8 and 9)"}};
  for (const auto& [header, twice] : cases) {
    BOOST_TEST_CONTEXT(header) {
      auto out = fx.read(header + "\nC1,2026-06-01,3,100,0.5,small,true,1,2\nC2,2026-06-01,3,100,0.5,small,true,1,2\n", true);
      BOOST_TEST(out.lines.empty());
      BOOST_TEST(out.refused == "the CSV header names " + twice);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_csv_column_no_input_knows_warns_once_or_refuses_the_input_under_strict_fields) {
  Fixture fx;
  std::string csv = "id,applied,staff,fee_yen,share,size,listed,capital_yn,extra_yen\n"
                    "C1,2026-06-01,3,100,0.5,small,true,1,2\nC2,2026-06-01,3,100,0.5,small,true,1,2\n";
  auto lenient = fx.read(csv, true);
  BOOST_TEST(lenient.lines.size() == 2u);
  BOOST_TEST(lenient.refused == "");
  BOOST_TEST(lenient.warnings == std::vector<std::string>{"`capital_yn` is not an input of t 2026; did you mean `capital_yen`?"},
             boost::test_tools::per_element());
  auto strict = fx.read(csv, true, true);
  BOOST_TEST(strict.lines.empty());
  BOOST_TEST(strict.refused ==
             "the CSV header names `capital_yn` (column 8), which is not an input of t 2026; did you mean `capital_yen`?");
  BOOST_TEST(strict.warnings.empty());
}

// A diff's two versions: a name either knows is known; both are named in what is said.
BOOST_AUTO_TEST_CASE(known_fields_of_two_rulesets_know_either_ones_inputs) {
  auto a = testing::compile("input staff: int label \"s\"\n");
  auto b = compiler::compile_sources(
      {{"u.kj", "ruleset \"u\" {\n  fiscal_year 2027\n  version 2027-01-01\n}\n\nmodule u\n\ninput founded: date label \"f\"\n"}});
  BOOST_REQUIRE(a->ok());
  BOOST_REQUIRE(b->ok());
  std::vector<std::string> warnings;
  runtime::KnownFields known({&a->ruleset, &b->ruleset}, {false, [&](const std::string& w) { warnings.push_back(w); }});
  BOOST_TEST(known.find("id") == runtime::KnownFields::id);
  BOOST_TEST(known.find("staff") != runtime::KnownFields::npos);
  BOOST_TEST(known.find("founded") != runtime::KnownFields::npos);
  BOOST_TEST(known.unknown("foundd") == "not an input of t 2026 or u 2027; did you mean `founded`?");
  known.unknown("foundd");
  BOOST_TEST(warnings == std::vector<std::string>{"`foundd` is not an input of t 2026 or u 2027; did you mean `founded`?"},
             boost::test_tools::per_element());
}
