// Unit tests of the compiler stage: exact arithmetic, the reference interpreter, lowering
// and sources held in memory. Ruleset images and the IR verifier: image_tests.cpp.
#define BOOST_TEST_MODULE compiler
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "compiler/ir/exact.hpp"
#include "compiler/ir/interpreter.hpp"
#include "compiler/pipeline.hpp"
#include "unit/compiler_support.hpp"
#include "unit/test_support.hpp"

using namespace kijun;
using ir::EvalError;
using ir::Value;
using testing::compiler_schema;
using testing::day;

namespace {

Value q(std::int64_t n, std::int64_t d) {
  Value v;
  BOOST_REQUIRE(ir::exact::make(n, d, v) == EvalError::none);
  return v;
}



// Compiles `frame f { … }` around `body` and evaluates it for `values` as of `as_of`.
struct Run {
  std::unique_ptr<compiler::Compilation> c;
  ir::Evaluation e;
  Run(const std::string& body, const std::map<std::string, Value>& values, const char* as_of = "2026-06-01") {
    c = testing::compile(compiler_schema + "frame f label \"f\" {\n" + body + "\n}\n");
    BOOST_REQUIRE_MESSAGE(c->ok(), dsl::render_all(c->diagnostics, c->sources));
    ir::Interpreter interp(c->ruleset);
    auto in = testing::inputs(c->ruleset, values);
    e = interp.evaluate(0, in.data(), day(as_of), true);
  }
  std::vector<std::string> failed() const {
    std::vector<std::string> out;
    for (auto r : e.failed) out.push_back(c->ruleset.rules[r].id);
    return out;
  }
};


}  // namespace

BOOST_AUTO_TEST_CASE(rationals_are_reduced_and_exact) {
  Value out;
  BOOST_TEST(ir::exact::add(q(1, 3), q(1, 6), out) == EvalError::none);
  BOOST_TEST((out == q(1, 2)));
  BOOST_TEST(out.num == 1);
  BOOST_TEST(out.den == 2);
  BOOST_TEST(ir::exact::mul(Value::of(600000), q(2, 3), out) == EvalError::none);
  BOOST_TEST(out.num == 400000);
  BOOST_TEST(out.den == 1);
  BOOST_TEST(ir::exact::make(3, -6, out) == EvalError::none);
  BOOST_TEST(out.num == -1);
  BOOST_TEST(out.den == 2);
}

BOOST_AUTO_TEST_CASE(overflow_and_division_by_zero_are_errors) {
  Value out;
  BOOST_TEST(ir::exact::add(Value::of(INT64_MAX), Value::of(1), out) == EvalError::overflow);
  BOOST_TEST(ir::exact::mul(Value::of(INT64_MAX / 2 + 1), Value::of(2), out) == EvalError::overflow);
  BOOST_TEST(ir::exact::neg(Value::of(INT64_MIN), out) == EvalError::overflow);
  BOOST_TEST(ir::exact::div(Value::of(1), Value::of(0), out) == EvalError::division_by_zero);
  // Large intermediates that reduce back into range are fine.
  BOOST_TEST(ir::exact::mul(q(INT64_MAX, 3), Value::of(3), out) == EvalError::none);
  BOOST_TEST(out.num == INT64_MAX);
}

BOOST_AUTO_TEST_CASE(comparison_and_rounding_are_exact) {
  BOOST_TEST(ir::exact::compare(q(1, 3), q(3334, 10000)) < 0);
  BOOST_TEST(ir::exact::compare(q(2, 3), q(666666667, 1000000000)) < 0);
  BOOST_TEST(ir::exact::compare(q(7, 200), q(35, 1000)) == 0);
  BOOST_TEST(ir::exact::floor(q(-7, 2)) == -4);
  BOOST_TEST(ir::exact::floor(q(7, 2)) == 3);
  BOOST_TEST(ir::exact::ceil(q(7, 2)) == 4);
  BOOST_TEST(ir::exact::ceil(q(-7, 2)) == -3);
}

BOOST_AUTO_TEST_CASE(requirements_exclusions_and_the_amount) {
  Run r(
      "requirement enough cite \"1\" label \"l\" = staff >= 2\n"
      "exclusion rich cite \"2\" label \"l\" applies if present(capital_yen) = capital_yen > 100 yen\n"
      "amount cite \"3\" label \"l\" = floor(cost_yen * 2/3)\n",
      {{"staff", Value::of(1)}, {"cost_yen", Value::of(1000)}, {"capital_yen", Value::of(101)}});
  BOOST_TEST(r.e.error == EvalError::none);
  BOOST_TEST(!r.e.eligible);
  BOOST_TEST(r.failed() == (std::vector<std::string>{"enough", "rich"}));
  BOOST_TEST(r.e.amount == 666);
  BOOST_TEST(r.e.amount_yen() == 0);
}

BOOST_AUTO_TEST_CASE(and_or_short_circuit_so_absent_optionals_are_never_read) {
  Run r("requirement ok cite \"1\" label \"l\" = not present(capital_yen) or capital_yen / cost_yen > 1/2\n"
        "amount cite \"3\" label \"l\" = cost_yen\n",
        {{"staff", Value::of(1)}, {"cost_yen", Value::of(0)}});
  BOOST_TEST(r.e.error == EvalError::none);
  BOOST_TEST(r.e.eligible);
}

BOOST_AUTO_TEST_CASE(runtime_faults_are_defined_errors) {
  Run div("requirement ok cite \"1\" label \"l\" = cost_yen / staff > 1 yen\namount cite \"3\" label \"l\" = cost_yen\n",
          {{"staff", Value::of(0)}, {"cost_yen", Value::of(5)}});
  BOOST_TEST(div.e.error == EvalError::division_by_zero);
  BOOST_TEST(div.c->ruleset.rules[static_cast<std::size_t>(div.e.error_rule)].id == "ok");
  Run over("amount cite \"3\" label \"l\" = cost_yen * 4 * 1_000_000_000_000_000_000\n",
           {{"staff", Value::of(0)}, {"cost_yen", Value::of(5)}});
  BOOST_TEST(over.e.error == EvalError::overflow);
  Run far("requirement ok cite \"1\" label \"l\" applies if present(since) = since + 9_000 years > as_of()\n"
          "amount cite \"3\" label \"l\" = cost_yen\n",
          {{"staff", Value::of(0)}, {"cost_yen", Value::of(5)}, {"since", Value::of(day("2026-01-01"))}});
  BOOST_TEST(far.e.error == EvalError::date_out_of_range);
}

BOOST_AUTO_TEST_CASE(dates_and_versions_follow_the_as_of_date) {
  std::string body =
      "param cap: yen\n"
      "  = 100 yen effective until 2026-03-31\n"
      "  = 200 yen effective from 2026-04-01\n"
      "requirement recent cite \"1\" label \"l\" applies if present(since) = since > as_of() - 1 year\n"
      "bonus 1 new_rule cite \"2\" label \"l\" effective from 2026-04-01 = true\n"
      "amount cite \"3\" label \"l\" = min(cost_yen, cap)\n";
  std::map<std::string, Value> in{{"staff", Value::of(0)}, {"cost_yen", Value::of(150)}, {"since", Value::of(day("2025-03-31"))}};
  Run before(body, in, "2026-03-31");
  BOOST_TEST(before.e.amount == 100);
  BOOST_TEST(before.e.bonus_points == 0);
  BOOST_TEST(!before.e.eligible);  // 2025-03-31 is not after 2025-03-31
  Run after(body, in, "2026-04-01");
  BOOST_TEST(after.e.amount == 150);
  BOOST_TEST(after.e.bonus_points == 1);
  BOOST_TEST(!after.e.eligible);
  Run leap(body, {{"staff", Value::of(0)}, {"cost_yen", Value::of(1)}, {"since", Value::of(day("2027-02-28"))}}, "2028-02-29");
  BOOST_TEST(!leap.e.eligible);  // 2028-02-29 − 1 year = 2027-02-28
}

BOOST_AUTO_TEST_CASE(a_definition_outside_its_periods_has_no_value) {
  Run r("param cap: yen = 100 yen effective from 2026-04-01\namount cite \"3\" label \"l\" = min(cost_yen, cap)\n",
        {{"staff", Value::of(0)}, {"cost_yen", Value::of(150)}}, "2026-03-01");
  BOOST_TEST(r.e.error == EvalError::no_value_in_force);
}

BOOST_AUTO_TEST_CASE(exceptions_exempt_and_are_traced) {
  Run r("requirement big cite \"1\" label \"l\" unless staff == 0 cite \"ただし書\" = staff > 5\n"
        "amount cite \"3\" label \"l\" = cost_yen\n",
        {{"staff", Value::of(0)}, {"cost_yen", Value::of(1)}});
  BOOST_TEST(r.e.eligible);
  BOOST_REQUIRE(r.e.trace.size() == 1u);
  BOOST_TEST(static_cast<int>(r.e.trace[0].outcome) == static_cast<int>(ir::RuleOutcome::exempted));
  BOOST_TEST(r.e.trace[0].exception == 0);
  BOOST_TEST(r.e.trace[0].inputs == (std::vector<std::uint32_t>{0}));
}

BOOST_AUTO_TEST_CASE(decision_tables_pick_the_matching_row) {
  std::string body =
      "table bands cite \"1\" label \"l\" {\n"
      "  | staff || cap: yen |\n"
      "  | 0..5  || 10 yen   |\n"
      "  | >= 6  || 20 yen   |\n"
      "}\n"
      "amount cite \"3\" label \"l\" = bands.cap\n";
  BOOST_TEST(Run(body, {{"staff", Value::of(5)}, {"cost_yen", Value::of(1)}}).e.amount == 10);
  BOOST_TEST(Run(body, {{"staff", Value::of(6)}, {"cost_yen", Value::of(1)}}).e.amount == 20);
}

// `> 9223372036854775807` has no value after it: the row matches nothing (no overflow).
BOOST_AUTO_TEST_CASE(a_range_beyond_the_largest_int_matches_nothing) {
  std::string body =
      "table bands cite \"1\" label \"l\" {\n"
      "  | staff                 || cap: yen |\n"
      "  | > 9223372036854775807 || 10 yen   |\n"
      "  | >= 0                  || 20 yen   |\n"
      "}\n"
      "amount cite \"3\" label \"l\" = bands.cap\n";
  Run r(body, {{"staff", Value::of(9223372036854775807)}, {"cost_yen", Value::of(1)}});
  BOOST_TEST(r.e.amount == 20);
  BOOST_TEST(r.c->ruleset.tables[0].rows[0].keys[0].lo > r.c->ruleset.tables[0].rows[0].keys[0].hi);
}

// An image comes from a file: one whose definition refers to itself is refused on reading,
// not evaluated for ever.
BOOST_AUTO_TEST_CASE(sources_held_in_memory_compile_as_on_disk) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(KIJUN_SOURCE_DIR) / "rulesets/it-hojo";
  std::map<std::string, std::string> files;
  for (const char* year : {"2025", "2026"})
    for (auto& e : fs::directory_iterator(root / year)) {
      std::ifstream in(e.path(), std::ios::binary);
      files["/memory/it-hojo/" + std::string(year) + "/" + e.path().filename().string()] =
          std::string(std::istreambuf_iterator<char>(in), {});
    }
  compiler::CompileOptions options;
  options.files = &files;
  auto memory = compiler::compile_path("/memory/it-hojo/2025", options);
  auto disk = compiler::compile_path((root / "2025").string());
  BOOST_REQUIRE_MESSAGE(memory->ok(), dsl::render_all(memory->diagnostics, memory->sources));
  BOOST_TEST(memory->content_hash == disk->content_hash);
  BOOST_TEST(ir::dump(memory->ruleset) == ir::dump(disk->ruleset));
  files.erase("/memory/it-hojo/2026/common.kj");
  BOOST_TEST(!compiler::compile_path("/memory/it-hojo/2025", options)->ok());
}
