// Unit tests of ruleset images and the IR verifier: what the reader refuses, what it reads
// back, the depth bound, and the image fuzz target's seeds.
#include <boost/test/unit_test.hpp>

#include <pthread.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "compiler/ir/image.hpp"
#include "compiler/ir/interpreter.hpp"
#include "compiler/ir/verify.hpp"
#include "compiler/pipeline.hpp"
#include "dsl/support/calendar.hpp"
#include "unit/compiler_support.hpp"
#include "unit/test_support.hpp"

using namespace kijun;
using ir::EvalError;
using ir::Value;
using testing::compiler_schema;
using testing::day;

namespace {

// A ruleset with a table, a sum, a comparison and `and`, for images to corrupt.
const std::string typed = compiler_schema +
                          "table bands cite \"1\" label \"l\" {\n  | staff || cap: yen |\n  | 0..5 || 10 yen |\n  | >= 6 || 20 yen |\n}\n"
                          "def total: yen = cost_yen + bands.cap\n"
                          "frame f label \"f\" {\n  include t\n  amount cite \"1\" label \"a\" = total\n"
                          "  requirement r cite \"1\" label \"r\" = staff > 1 and total < 1_000 yen\n}\n";

ir::NodeId first_node(const ir::Ruleset& rs, ir::Op op) {
  for (ir::NodeId n = 0; n < rs.nodes.size(); ++n)
    if (rs.nodes[n].op == op) return n;
  BOOST_FAIL("no such node");
  return ir::no_node;
}

// The reader's error for `rs` written as an image; empty when it reads it.
std::string read_back(const ir::Ruleset& rs, const dsl::SourceSet& sources) {
  ir::Ruleset out;
  dsl::SourceSet read;
  std::string error;
  bool ok = ir::read_image(ir::write_image(rs, sources), out, read, error);
  BOOST_TEST(ok == error.empty());
  if (ok) {  // what the image holds reads back as written: the IR, its tests, its description
    BOOST_TEST(ir::dump(out) == ir::dump(rs));
    BOOST_REQUIRE(out.tests.size() == rs.tests.size());
    bool same = true;
    for (std::size_t i = 0; i < rs.tests.size(); ++i)
      for (std::size_t s = 0; s < rs.inputs.size(); ++s)
        same = same && out.tests[i].applicant[s].num == rs.tests[i].applicant[s].num &&
               out.tests[i].applicant[s].den == rs.tests[i].applicant[s].den;
    BOOST_TEST(same);
    BOOST_REQUIRE(out.description.size() == rs.description.size());
    for (std::size_t i = 0; i < rs.description.size(); ++i) {
      BOOST_TEST(out.description[i].name == rs.description[i].name);
      BOOST_TEST(out.description[i].forms.size() == rs.description[i].forms.size());
    }
  }
  return error;
}

// `floor(cost_yen)` with its input swapped for the optional `capital_yen`: an image the
// checker could not have made, but the reader accepts.
std::unique_ptr<compiler::Compilation> rounds_an_absent_value() {
  auto c = testing::compile(compiler_schema + "frame f label \"f\" {\n  amount cite \"1\" label \"a\" = floor(cost_yen)\n}\n");
  BOOST_REQUIRE_MESSAGE(c->ok(), dsl::render_all(c->diagnostics, c->sources));
  auto capital = static_cast<std::uint32_t>(c->ruleset.input_index("capital_yen"));
  c->ruleset.nodes[first_node(c->ruleset, ir::Op::input)].a = capital;
  // The frame must ask for what its code reads (the verifier checks it), as a source would.
  auto& inputs = c->ruleset.frames[0].inputs;
  if (std::find(inputs.begin(), inputs.end(), capital) == inputs.end())
    inputs.insert(std::upper_bound(inputs.begin(), inputs.end(), capital), capital);
  return c;
}

// The image fuzz target's seeds (tests/fuzz/corpus/image), made from sources.
std::map<std::string, std::string> seed_images() {
  auto from = [](const std::unique_ptr<compiler::Compilation>& c) {
    BOOST_REQUIRE_MESSAGE(c->ok(), dsl::render_all(c->diagnostics, c->sources));
    return ir::write_image(c->ruleset, c->sources);
  };
  std::string root = KIJUN_SOURCE_DIR;
  std::string tiered = "tiered(tiered(cost_yen, 500_000 yen, 3/4, 2/3), 1_000 yen, 1/2, 1/3)";
  return {
      {"fuzz.img", from(compiler::compile_path(root + "/tests/fuzz/fuzz.kj"))},
      {"features.img", from(compiler::compile_path(root + "/tests/golden/check/good/features.kj"))},
      {"floor-of-absent.img", from(rounds_an_absent_value())},
      {"tiered.img", from(testing::compile(compiler_schema + "frame f label \"f\" {\n  amount cite \"1\" label \"a\" = floor(" + tiered +
                                           ")\n  requirement r cite \"1\" label \"r\" = " + tiered + " > 100 yen\n}\n"))},
  };
}

// The stack evaluation may need at most; AddressSanitizer's redzones make every frame
// larger, so a sanitized build is given four times as much.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t promised_stack = std::size_t{4} << 20;
#else
constexpr std::size_t promised_stack = std::size_t{1} << 20;
#endif

// Runs `fn` on a thread of its own whose stack is `bytes`; false if no such thread could
// be made. (A deeper recursion than the stack allows ends the test program.)
template <typename Fn>
bool on_stack_of(std::size_t bytes, Fn fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, bytes);
  pthread_t thread;
  auto body = [](void* f) -> void* {
    (*static_cast<Fn*>(f))();
    return nullptr;
  };
  bool made = pthread_create(&thread, &attr, body, &fn) == 0;
  pthread_attr_destroy(&attr);
  return made && pthread_join(thread, nullptr) == 0;
}


}  // namespace

BOOST_AUTO_TEST_CASE(an_image_with_a_definition_that_refers_to_itself_is_refused) {
  auto c = compiler::compile_sources({{"t.kj", "ruleset \"t\" {\n  fiscal_year 2026\n  version 2026-01-01\n}\n\nmodule t\n\n" + compiler_schema +
                                                   "def a: int = staff + 1\nframe f label \"f\" {\n  include t\n"
                                                   "  amount cite \"1\" label \"a\" = cost_yen\n  requirement r cite \"1\" label \"r\" = a > 1\n}\n"}});
  BOOST_REQUIRE_MESSAGE(c->ok(), dsl::render_all(c->diagnostics, c->sources));
  ir::Ruleset rs;
  dsl::SourceSet sources;
  std::string error;
  BOOST_REQUIRE(ir::read_image(ir::write_image(c->ruleset, c->sources), rs, sources, error));
  // Point the definition's value at a node that reads the definition.
  ir::Ruleset looped = c->ruleset;
  auto d = looped.nodes.size();
  looped.nodes.push_back({ir::Op::def, dsl::Kind::int_, 0, 0, 0, 0, {}, {}});
  looped.defs[0].alts[0].root = static_cast<ir::NodeId>(d);
  BOOST_TEST(!ir::read_image(ir::write_image(looped, c->sources), rs, sources, error));
  BOOST_TEST(error == "inconsistent definitions: one refers to itself");
}

// The verifier states what lowering makes: every ruleset of the repository passes it, and
// its image reads back.
BOOST_AUTO_TEST_CASE(every_ruleset_in_the_repository_lowers_to_ir_the_verifier_accepts) {
  namespace fs = std::filesystem;
  fs::path root(KIJUN_SOURCE_DIR);
  std::vector<fs::path> paths{root / "rulesets/it-hojo/2025", root / "rulesets/it-hojo/2026", root / "examples/extension",
                              root / "tests/fuzz/fuzz.kj"};
  for (auto& e : fs::directory_iterator(root / "tests/golden/check/good")) paths.push_back(e.path());
  for (auto& p : paths) {
    BOOST_TEST_CONTEXT(p.filename().string()) {
      auto c = compiler::compile_path(p.string());
      BOOST_REQUIRE_MESSAGE(c->ok(), dsl::render_all(c->diagnostics, c->sources));
      BOOST_TEST(ir::verify(c->ruleset) == "");
      BOOST_TEST(read_back(c->ruleset, c->sources) == "");
    }
  }
}

// The tests a ruleset's image carries are checked as its IR is: a plugin whose tests would
// hand the interpreter a value its input cannot hold, or read out of range, is refused.
BOOST_AUTO_TEST_CASE(an_image_whose_tests_do_not_fit_its_ruleset_is_refused) {
  auto c = compiler::compile_path(std::string(KIJUN_SOURCE_DIR) + "/rulesets/it-hojo/2026");
  BOOST_REQUIRE(c->ok());
  const ir::Ruleset& good = c->ruleset;
  BOOST_REQUIRE(good.tests.size() > 100u);
  BOOST_TEST(good.tests.front().applicant.size() > good.inputs.size());  // with its members after its inputs
  auto legal_form = static_cast<std::size_t>(good.input_index("legal_form"));
  auto refused = [&](auto corrupt) {
    ir::Ruleset rs = good;
    corrupt(rs.tests.front());
    return read_back(rs, c->sources);
  };
  BOOST_TEST(refused([&](ir::Test& t) { t.applicant[legal_form] = ir::Value::of(999); }).find("legal_form is an enum code out of range") !=
             std::string::npos);
  BOOST_TEST(refused([&](ir::Test& t) { t.frame = 99; }).find("frame out of range") != std::string::npos);
  // The image holds an applicant as its changes from the previous one, at least one per
  // input: a shorter one cannot be read at all.
  BOOST_TEST(refused([&](ir::Test& t) { t.applicant.resize(good.inputs.size() - 1); }) ==
             "the ruleset image's tests or description are truncated or corrupt");
  // A list's elements lie within the applicant and its length; each field holds its kind.
  auto members = static_cast<std::size_t>(good.input_index("members"));
  BOOST_TEST(refused([&](ir::Test& t) { t.applicant.pop_back(); }).find("members has elements outside the applicant") !=
             std::string::npos);
  BOOST_TEST(refused([&](ir::Test& t) { t.applicant[members].num = 1001; }).find("members has a length outside its declared range") !=
             std::string::npos);
  BOOST_TEST(refused([&](ir::Test& t) { t.applicant[members].den = 3; }).find("members has elements outside the applicant") !=
             std::string::npos);
  BOOST_TEST(refused([&](ir::Test& t) { t.applicant[static_cast<std::size_t>(t.applicant[members].den) + 1] = ir::Value::of(99); })
                 .find("members[0].legal_form is an enum code out of range") != std::string::npos);
  BOOST_TEST(refused([&](ir::Test& t) { t.expectations.push_back({ir::Expect::value, {}, "x", {}, 9999, -1, -1, -1}); })
                 .find("an expectation reads out of range") != std::string::npos);
  BOOST_TEST(refused([&](ir::Test& t) { t.as_of = INT64_MAX; }).find("its date is outside years 1..9999") != std::string::npos);
}

// Every date an image declares is a calendar day: a version, a period, a date constant, a
// test's date, a period of the description. None can reach the calendar's arithmetic
// outside the years it is defined for (and format_date says "day N" of any other).
BOOST_AUTO_TEST_CASE(an_image_with_a_date_outside_the_calendar_is_refused) {
  auto c = compiler::compile_path(std::string(KIJUN_SOURCE_DIR) + "/rulesets/it-hojo/2026");
  BOOST_REQUIRE(c->ok());
  auto refused = [&](auto corrupt) {
    ir::Ruleset rs = c->ruleset;
    corrupt(rs);
    return read_back(rs, c->sources);
  };
  BOOST_TEST(refused([](ir::Ruleset& rs) { rs.versions.front().date = -999'999'999; }).find("inconsistent dates") != std::string::npos);
  BOOST_TEST(refused([](ir::Ruleset& rs) { rs.rules.front().period.until = INT64_MAX; }).find("period is outside years") !=
             std::string::npos);
  BOOST_TEST(refused([](ir::Ruleset& rs) { rs.description.front().forms.front().period.from = INT64_MIN; })
                 .find("a period outside years 1..9999") != std::string::npos);
  BOOST_TEST(dsl::format_date(INT64_MAX) == "day 9223372036854775807");
  BOOST_TEST(dsl::format_date(dsl::max_day) == "9999-12-31");
}

// The tests' applicants are stored as changes from the previous one, so a few bytes can
// stand for many values: an image whose tests would hold more than the reader allows
// (2^22 values) is refused before they are made.
BOOST_AUTO_TEST_CASE(an_image_whose_tests_hold_too_many_values_is_refused) {
  auto c = testing::compile(typed);
  BOOST_REQUIRE(c->ok());
  ir::Ruleset rs = c->ruleset;
  BOOST_REQUIRE(!rs.inputs.empty());
  rs.inputs.resize(2049, rs.inputs.front());
  rs.tests.assign(2048, ir::Test{"t", {}, 0, std::nullopt, std::vector<ir::Value>(2049, ir::Value::absent()), "", {}});
  BOOST_TEST(read_back(rs, c->sources) == "the ruleset image's tests or description are truncated or corrupt");
  rs.tests.resize(2047);  // 4,194,303 values: within
  BOOST_TEST(read_back(rs, c->sources) == "");
}

// An image whose nodes' kinds or child counts do not agree is refused with what is wrong,
// before anything evaluates it.
BOOST_AUTO_TEST_CASE(an_image_with_a_wrong_kind_or_child_count_is_refused) {
  auto c = testing::compile(typed);
  BOOST_REQUIRE_MESSAGE(c->ok(), dsl::render_all(c->diagnostics, c->sources));
  const ir::Ruleset& good = c->ruleset;
  BOOST_REQUIRE(read_back(good, c->sources) == "");
  auto gt = first_node(good, ir::Op::gt), and_ = first_node(good, ir::Op::and_), add = first_node(good, ir::Op::add);
  auto input = first_node(good, ir::Op::input), constant = good.child(good.node(gt), 1);  // `1` of `staff > 1`
  auto refused = [&](auto corrupt) {
    ir::Ruleset rs = good;
    corrupt(rs);
    return read_back(rs, c->sources);
  };
  auto at = [](ir::NodeId n, const char* op) { return "inconsistent kinds: node " + std::to_string(n) + " (" + op + ")"; };
  BOOST_TEST(refused([&](ir::Ruleset& rs) { rs.nodes[gt].kind = dsl::Kind::int_; }) == at(gt, "gt") + " is int, but gives bool");
  BOOST_TEST(refused([&](ir::Ruleset& rs) { rs.nodes[and_].count = 1; }) == at(and_, "and") + " has 1 child; it takes 2 or more");
  BOOST_TEST(refused([&](ir::Ruleset& rs) { rs.nodes[gt].count = 3; }) == at(gt, "gt") + " has 3 children; it takes 2");
  BOOST_TEST(refused([&](ir::Ruleset& rs) { rs.nodes[input].kind = dsl::Kind::date; }).starts_with(at(input, "input") + " is date, but gives"));
  BOOST_TEST(refused([&](ir::Ruleset& rs) { rs.children[rs.nodes[add].first + 1] = gt; }) ==
             at(add, "add") + " cannot combine children of yen, bool");
  BOOST_TEST(refused([&](ir::Ruleset& rs) { rs.nodes[constant].imm.den = 0; }) == at(constant, "const") + ": its value is not one of int");
  BOOST_TEST(refused([&](ir::Ruleset& rs) { rs.defs[0].kind = dsl::Kind::int_; }).find("(def) is yen, but gives int") != std::string::npos);
  BOOST_TEST(refused([&](ir::Ruleset& rs) { rs.rules[0].body = add; }) == "inconsistent kinds: rule `r` has a condition that is not bool");
  BOOST_TEST(refused([&](ir::Ruleset& rs) { rs.tables[0].rows[0].outputs[0] = Value{1, 3}; }) ==
             "inconsistent kinds: table `bands` gives `cap` a value that is not yen");
}

// `add`, `sub`, `and` and `or` may take more than two children (a chain as one node).
BOOST_AUTO_TEST_CASE(an_image_with_a_sum_of_three_is_read) {
  auto c = testing::compile(typed);
  BOOST_REQUIRE(c->ok());
  ir::Ruleset rs = c->ruleset;
  auto& add = rs.nodes[first_node(rs, ir::Op::add)];
  std::vector<ir::NodeId> kids{rs.children[add.first], rs.children[add.first + 1], rs.children[add.first]};
  add.first = static_cast<std::uint32_t>(rs.children.size());
  add.count = 3;
  rs.children.insert(rs.children.end(), kids.begin(), kids.end());
  BOOST_TEST(read_back(rs, c->sources) == "");
}

// The interpreter and explain recurse along the longest path of an image: one nested past
// max_ir_depth is refused (a hostile plugin could otherwise exhaust the stack).
BOOST_AUTO_TEST_CASE(an_image_nested_past_the_bound_is_refused) {
  auto c = testing::compile(typed);
  BOOST_REQUIRE(c->ok());
  auto nested = [&](std::size_t nots) {
    ir::Ruleset rs = c->ruleset;
    auto& rule = *std::find_if(rs.rules.begin(), rs.rules.end(), [](const ir::Rule& r) { return r.id == "r"; });
    for (std::size_t i = 0; i < nots; ++i) {
      ir::Node n = rs.node(rule.body);
      n.op = ir::Op::not_, n.first = static_cast<std::uint32_t>(rs.children.size()), n.count = 1;
      rs.children.push_back(rule.body);
      rs.nodes.push_back(n);
      rule.body = static_cast<ir::NodeId>(rs.nodes.size() - 1);
    }
    return read_back(rs, c->sources);
  };
  BOOST_TEST(nested(ir::max_ir_depth / 2) == "");
  auto refused = nested(ir::max_ir_depth);
  BOOST_TEST(refused.rfind("evaluation would nest ", 0) == 0u, refused);
  BOOST_TEST(refused.ends_with(" levels deep; at most " + std::to_string(ir::max_ir_depth) + " are read"), refused);
}

// Every program the checker accepts lowers within max_ir_depth: K0012 counts a level per
// operation of the source, and lowering makes at most two of one — the reading of a
// definition (its node and the definition), `not in` (`not` and `in`). Chains of those
// pairs, as long as K0012 allows, must still pass the verifier.
BOOST_AUTO_TEST_CASE(the_deepest_programs_the_checker_accepts_lower_within_the_bound) {
  for (std::string step : {"d{p}", "d{p} not in { false }"}) {
    auto source = [&](int n) {
      std::string body = "def d0: bool = staff > 1\n";
      for (int i = 1; i < n; ++i) {
        std::string value = step;
        value.replace(value.find("{p}"), 3, std::to_string(i - 1));
        body += "def d" + std::to_string(i) + ": bool = " + value + "\n";
      }
      return compiler_schema + body + "frame f label \"f\" {\n  requirement r cite \"1\" label \"r\" = d" + std::to_string(n - 1) +
             " not in { false }\n  amount cite \"1\" label \"a\" = 0 yen\n}\n";
    };
    auto too_deep = [&](int n) {
      auto c = testing::compile(source(n));
      bool k0012 = false;
      for (auto& d : c->diagnostics.all()) k0012 = k0012 || d.code == dsl::Diag::reading_too_deep;
      BOOST_TEST((k0012 || c->ok()), dsl::render_all(c->diagnostics, c->sources).substr(0, 500));
      return k0012;
    };
    int lo = 1, hi = static_cast<int>(dsl::max_evaluation_depth) + 1;  // lo is accepted, hi is not
    BOOST_REQUIRE(too_deep(hi));
    while (hi - lo > 1) (too_deep((lo + hi) / 2) ? hi : lo) = (lo + hi) / 2;
    BOOST_TEST_MESSAGE(step << ": " << lo << " definitions deep is the deepest accepted");
    BOOST_TEST(lo > 300);
    // That deep, evaluation (traced, as explain runs it) needs under the 1 MiB of stack
    // docs/trust-and-limits.md promises a calling thread.
    auto c = testing::compile(source(lo));
    BOOST_REQUIRE(c->ok());
    auto values = testing::inputs(c->ruleset, {{"staff", Value::of(2)}, {"cost_yen", Value::of(1)}});
    ir::Evaluation e;
    BOOST_REQUIRE(on_stack_of(promised_stack, [&] { e = ir::Interpreter(c->ruleset).evaluate(0, values.data(), day("2026-06-01"), true); }));
    BOOST_TEST(e.error == EvalError::none);
    BOOST_TEST(e.eligible);
  }
}

// The checker lets no absent optional reach `floor`; an image can, and its evaluation
// then faults as a missing value rather than dividing by the absent value's zero.
BOOST_AUTO_TEST_CASE(an_image_that_rounds_an_absent_value_faults) {
  auto c = rounds_an_absent_value();
  const ir::Ruleset& rs = c->ruleset;
  BOOST_REQUIRE(read_back(rs, c->sources) == "");
  auto values = testing::inputs(rs, {{"cost_yen", Value::of(1)}});
  ir::Interpreter interp(rs);
  BOOST_TEST(interp.evaluate(0, values.data(), day("2026-06-01")).error == EvalError::missing_value);
}

// The image fuzz target's seeds are images the reader accepts, so that what the fuzzer
// makes of them reaches past the reader's checks into evaluation. They are made from
// sources (seed_images): after an intended change to the IR or the image format,
//   KIJUN_UPDATE_GOLDEN=1 build/tests/compiler_tests --run_test=the_image_fuzz_seeds_are_read
// writes them again.
BOOST_AUTO_TEST_CASE(the_image_fuzz_seeds_are_read) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(KIJUN_SOURCE_DIR) / "tests/fuzz/corpus/image";
  if (std::getenv("KIJUN_UPDATE_GOLDEN"))
    for (auto& [name, bytes] : seed_images()) std::ofstream(dir / name, std::ios::binary) << bytes;
  int seeds = 0;
  for (auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ir::Ruleset rs;
    dsl::SourceSet sources;
    std::string error;
    BOOST_TEST(ir::read_image(bytes, rs, sources, error), e.path().filename().string() << ": " << error);
    ++seeds;
  }
  BOOST_TEST(seeds >= 4);
}

// Sources held in memory compile as the same files on disk do, `extends` followed among
// them: what an editor's unsaved buffers need.
