// The JIT must agree with the interpreter, the semantic oracle, on every output of every
// row: eligibility, amount, rate, points, failed and scored rules, and — for faulting rows
// — the fault, the rule and the source position. Seeded generated applicants aim at the
// thresholds of the rules; each frame of each ruleset runs 200,000 of them at -O0 and -O2.
#define BOOST_TEST_MODULE differential
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "bench/generated_ruleset.hpp"
#include "compiler/backend/jit.hpp"
#include "compiler/pipeline.hpp"
#include "runtime/audit/generator.hpp"
#include "runtime/audit/test_runner.hpp"
#include "runtime/columns.hpp"
#include "scratch_dir.hpp"

using namespace kijun;

namespace {

constexpr std::size_t applicants_per_frame = 200'000;
constexpr std::size_t chunk = 4096;

std::string describe(const ir::Ruleset& rs, const ir::Evaluation& e) {
  std::ostringstream s;
  if (e.error != ir::EvalError::none) {
    s << "error " << ir::error_name(e.error) << " rule " << e.error_rule << " site " << e.error_site;
    return s.str();
  }
  s << "eligible " << e.eligible << " amount " << e.amount << " rate " << e.rate.num << "/" << e.rate.den << " points "
    << e.bonus_points << "-" << e.penalty_points << " failed";
  for (auto r : e.failed) s << " " << rs.rules[r].id;
  s << " bonus";
  for (auto r : e.bonus) s << " " << rs.rules[r].id;
  s << " penalty";
  for (auto r : e.penalty) s << " " << rs.rules[r].id;
  return s.str();
}

struct Totals {
  std::size_t rows = 0, errors = 0, eligible = 0, mismatches = 0;
};

Totals compare_frame(const runtime::Engine& engine, std::uint32_t frame, const jit::CompiledRuleset& compiled,
                     std::uint64_t seed, std::size_t applicants = applicants_per_frame) {
  Totals t;
  const auto& rs = engine.ruleset();
  runtime::ApplicantGenerator gen(rs, frame, seed, runtime::test_applicants(engine, frame));
  runtime::ColumnBatch batch(rs, frame);
  runtime::BatchResults results(rs, frame);
  auto interp = engine.interpreter();
  std::vector<ir::Value> values;
  std::int64_t as_of = 0;
  ir::Evaluation jit_eval;
  for (std::size_t done = 0; done < applicants; done += chunk) {
    batch.clear();
    for (std::size_t i = 0; i < chunk; ++i) {
      gen.next(values, as_of);
      batch.push(values.data(), as_of);
    }
    auto& out = results.view(batch.rows());
    compiled.frame(frame)(&batch.view(), &out, 0, static_cast<std::int64_t>(batch.rows()));
    for (std::size_t i = 0; i < batch.rows(); ++i) {
      batch.row(i, values);
      auto expected = describe(rs, interp.evaluate(frame, values.data(), batch.as_of(i)));
      results.evaluation(i, jit_eval);
      auto actual = describe(rs, jit_eval);
      ++t.rows;
      t.errors += jit_eval.error != ir::EvalError::none;
      t.eligible += jit_eval.eligible;
      if (expected != actual && t.mismatches++ < 5)
        BOOST_ERROR("frame " << rs.frames[frame].name << " row " << done + i << ": interpreter " << expected << " / jit " << actual);
    }
  }
  return t;
}

void run(const std::string& ruleset, int opt_level, const std::string& cache = "") {
  auto c = compiler::compile_path(std::string(KIJUN_SOURCE_DIR) + "/" + ruleset);
  BOOST_REQUIRE(c->ok());
  runtime::Engine engine(std::move(c));
  const auto& rs = engine.ruleset();
  std::string error;
  BOOST_REQUIRE_MESSAGE(engine.load_extensions({EXTENSION_DIR}, error), error);
  auto compiled = jit::CompiledRuleset::compile(rs, {opt_level, {}, cache, engine.extension_table(), std::nullopt}, error);
  BOOST_REQUIRE_MESSAGE(compiled, error);
  if (!cache.empty()) {
    // The second compile loads the object the first one stored.
    compiled = jit::CompiledRuleset::compile(rs, {opt_level, {}, cache, engine.extension_table(), std::nullopt}, error);
    BOOST_REQUIRE_MESSAGE(compiled, error);
    BOOST_TEST(compiled->from_cache());
  }
  for (std::uint32_t f = 0; f < rs.frames.size(); ++f) {
    // A frame with lists decides groups of up to 1,000 elements: a tenth as many rows hold
    // about as many elements, and keep the suite's time (and the sanitizer run's) in bounds.
    bool lists = std::any_of(rs.frames[f].inputs.begin(), rs.frames[f].inputs.end(),
                             [&](std::uint32_t s) { return rs.inputs[s].type.kind == dsl::Kind::list; });
    auto t = compare_frame(engine, f, *compiled, 20260401 + f, lists ? applicants_per_frame / 10 : applicants_per_frame);
    BOOST_TEST_MESSAGE(ruleset << " " << rs.frames[f].name << " -O" << opt_level << ": " << t.rows << " rows, "
                               << t.eligible << " eligible, " << t.errors << " faults, " << t.mismatches << " mismatches");
    BOOST_TEST(t.mismatches == 0u);
    // The generator must reach both outcomes and the fault paths, or the test proves little.
    BOOST_TEST(t.eligible > 0u);
    BOOST_TEST(t.eligible < t.rows);
    BOOST_TEST(t.errors > 0u);
  }
}


// A ruleset of long chains: sums and differences of int, yen, rate and exact yen fractions
// (one n-ary node each, ir.hpp), a rate sum whose first step adds an int to a rate, and
// `and`/`or` chains whose operands read absent optional inputs and sums that overflow, so
// the short-circuit decides whether a fault happens. `terms` sets the length of the sums;
// `and` and `or` chains count each operation towards the depth limit (K0011), so they stay
// at 400.
std::string long_chains(int terms) {
  auto chain_of = [](int length, const std::string& op, auto term) {
    std::string s = term(0);
    for (int i = 1; i < length; ++i) s += " " + op + " " + term(i);
    return s;
  };
  auto chain = [&](const std::string& op, auto term) {
    return chain_of(op == "and" || op == "or" ? std::min(terms, 400) : terms, op, term);
  };
  auto n = [](int i) { return std::to_string(i); };
  std::string src = R"(ruleset "chains" {
  fiscal_year 2026
  version 2026-01-01
}

module chains

input staff: int >= 0 label "従業員数"
input cost: yen >= 0 yen label "経費"
input share: rate label "割合"
input capital: yen? >= 0 yen label "資本金"
input founded: date? label "設立日"
input certified: bool label "認定"

)";
  src += "def heads: int = " + chain("+", [&](int i) { return i % 2 ? n(i) : std::string("staff"); }) + "\n";
  src += "def net: yen = " + chain("-", [&](int i) { return i % 2 ? n(i) + " yen" : std::string("cost"); }) + "\n";
  src += "def shares: rate = " + chain("+", [&](int i) { return i % 3 ? "1/" + n(2 + i % 3) : std::string("share"); }) + "\n";
  src += "def mixed: rate = staff + " + chain("-", [&](int i) { return i % 2 ? n(i % 7) : std::string("share"); }) + "\n";
  src += "def exact = " + chain("+", [&](int i) { return i % 2 ? "cost * 1/" + n(2 + i % 4) : std::string("cost * share"); }) + "\n";
  src += "\nframe main label \"m\" {\n";
  src += "  rate cite \"1\" label \"r\" = shares - share\n";
  src += "  amount cite \"1\" label \"a\" = clamp(floor(exact), 0 yen, 1_000_000 yen)\n";
  src += "  requirement all_of cite \"2\" label \"a\" = certified or " +
         chain("and", [&](int i) { return "staff != " + n(i + 1); }) + " and heads > 0\n";
  src += "  exclusion rich cite \"3\" label \"r\" = present(capital) and capital > 50_000_000 yen and " +
         chain("and", [&](int i) { return i % 200 ? "staff != " + n(i + 7) : std::string("heads > ") + n(i); }) + " and net < 0 yen\n";
  src += "  requirement any_of cite \"4\" label \"o\" = not present(founded) or founded > 2020-01-01 or " +
         chain("or", [&](int i) { return i == 50 ? std::string("mixed > ") + n(i) : "staff == " + n(i + 3); }) + " or heads < 10\n";
  src += "  bonus 2 many cite \"5\" label \"m\" = shares > 3 and mixed >= 2 and exact >= 1000 yen\n";
  src += "  penalty 1 few cite \"6\" label \"f\" = 1 + 2 + 3 == 6 and staff in { 1, 2, 3 }\n}\n";
  return src;
}

// Compiles frame 0 at OPT_LEVEL and compares it with the interpreter on ROWS generated
// applicants: no mismatch, and a population that reaches both decisions and some faults
// (else the comparison proves little).
void agrees_on_a_varied_population(const runtime::Engine& engine, int opt_level, std::uint64_t seed, std::size_t rows,
                                   const std::string& what) {
  std::string error;
  auto compiled = jit::CompiledRuleset::compile(engine.ruleset(), {opt_level, {}, "", nullptr, std::nullopt}, error);
  BOOST_REQUIRE_MESSAGE(compiled, error);
  auto t = compare_frame(engine, 0, *compiled, seed, rows);
  BOOST_TEST_MESSAGE(what << " -O" << opt_level << ": " << t.rows << " rows, " << t.eligible << " eligible, " << t.errors
                          << " faults, " << t.mismatches << " mismatches");
  BOOST_TEST(t.mismatches == 0u);
  BOOST_TEST(t.eligible > 0u);
  BOOST_TEST(t.eligible < t.rows);
  BOOST_TEST(t.errors > 0u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(jit_at_O2_agrees_with_the_interpreter) { run("rulesets/it-hojo/2026", 2); }
BOOST_AUTO_TEST_CASE(jit_at_O0_agrees_with_the_interpreter) { run("rulesets/it-hojo/2026", 0); }
BOOST_AUTO_TEST_CASE(jit_agrees_on_the_2025_ruleset) { run("rulesets/it-hojo/2025", 2); }
BOOST_AUTO_TEST_CASE(jit_agrees_on_every_construct) { run("tests/golden/check/good/features.kj", 2); }
BOOST_AUTO_TEST_CASE(jit_agrees_on_extension_calls) { run("examples/extension", 2); }
// Lists of 0 to 1,000 elements (9, 10 and 11 among the generator's edges), absent optional
// fields, and faults inside an element (a sum that overflows, a division by a field).
BOOST_AUTO_TEST_CASE(jit_agrees_on_lists) { run("tests/golden/check/good/lists.kj", 2); }
BOOST_AUTO_TEST_CASE(jit_agrees_on_lists_at_O0) { run("tests/golden/check/good/lists.kj", 0); }

// Callers may pass no validity bitmap for an optional column whose every row is present.
BOOST_AUTO_TEST_CASE(optional_columns_without_a_bitmap_are_present) {
  auto c = compiler::compile_path(std::string(KIJUN_SOURCE_DIR) + "/rulesets/it-hojo/2026");
  BOOST_REQUIRE(c->ok());
  runtime::Engine engine(std::move(c));
  const auto& rs = engine.ruleset();
  std::string error;
  auto compiled = jit::CompiledRuleset::compile(rs, {2, {}, "", nullptr, std::nullopt}, error);
  BOOST_REQUIRE_MESSAGE(compiled, error);
  runtime::ApplicantGenerator gen(rs, 0, 99, runtime::test_applicants(engine, 0));
  runtime::ColumnBatch batch(rs, 0);
  std::vector<ir::Value> values;
  std::int64_t as_of;
  for (int i = 0; i < 20'000; ++i) {
    gen.next(values, as_of);
    for (auto s : rs.frames[0].inputs)
      if (!values[s].present() && rs.inputs[s].type.kind != dsl::Kind::text)
        values[s] = rs.inputs[s].type.kind == dsl::Kind::rate ? ir::Value{1, 3} : ir::Value::of(1);
    batch.push(values.data(), as_of);
  }
  kijun_batch_in in = batch.view();
  std::vector<const std::uint8_t*> no_bitmaps(rs.inputs.size(), nullptr);
  in.validity = no_bitmaps.data();
  runtime::BatchResults results(rs, 0);
  auto& out = results.view(batch.rows());
  compiled->frame(0)(&in, &out, 0, static_cast<std::int64_t>(batch.rows()));
  ir::Interpreter interp(rs);
  ir::Evaluation got;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < batch.rows(); ++i) {
    batch.row(i, values);
    results.evaluation(i, got);
    bad += describe(rs, interp.evaluate(0, values.data(), batch.as_of(i))) != describe(rs, got);
  }
  BOOST_TEST(bad == 0u);
}

// A frame too large for one function has its rules in chunk functions that share the
// row's state (compiler/backend/codegen_chunks.cpp), compiled by the quick pipeline: the bits of
// every word, the points, the definitions memoised across chunks (the amount) and the
// faults with their rule and site must still be the interpreter's.
BOOST_AUTO_TEST_CASE(a_frame_split_into_chunk_functions_agrees) {
  auto c = compiler::compile_sources({{"scale.kj", bench::generated_ruleset(1500)}});
  BOOST_REQUIRE(c->ok());
  runtime::Engine engine(std::move(c));
  const auto& rs = engine.ruleset();
  std::string error;
  auto text = jit::optimised_llvm(rs, 0, error);
  BOOST_REQUIRE_MESSAGE(error.empty(), error);
  BOOST_TEST(text.find("@kijun_frame_scale.rules.3(") != std::string::npos);
  for (int opt_level : {0, 2})
    agrees_on_a_varied_population(engine, opt_level, 20261500 + static_cast<std::uint64_t>(opt_level), 16'384, "1,500 rules");
}

// n-ary add, sub, and, or (ir.hpp): sums of a hundred operands keep the frame one function
// (O2), of over a thousand cut it into chunks (the quick pipeline); both must fold, check
// and short-circuit exactly as the interpreter.
BOOST_AUTO_TEST_CASE(long_chains_agree) {
  for (int terms : {100, 1200}) {
    auto c = compiler::compile_sources({{"chains.kj", long_chains(terms)}});
    BOOST_REQUIRE_MESSAGE(c->ok(), dsl::render_all(c->diagnostics, c->sources).substr(0, 1000));
    runtime::Engine engine(std::move(c));
    const auto& rs = engine.ruleset();
    std::string error;
    bool chunked = jit::optimised_llvm(rs, 0, error).find("@kijun_frame_main.rules.0(") != std::string::npos;
    BOOST_TEST(chunked == (terms > 1000));
    for (int opt_level : {0, 2}) {
      if (terms > 1000 && opt_level == 0) continue;  // the interpreter's time: one run is enough
      agrees_on_a_varied_population(engine, opt_level, 20261600 + static_cast<std::uint64_t>(terms + opt_level), 2048,
                                    std::to_string(terms) + " terms");
    }
  }
}

BOOST_AUTO_TEST_CASE(an_object_loaded_from_the_cache_agrees_too) {
  testing::ScratchDir dir("test-cache");
  run("rulesets/it-hojo/2026", 2, dir.path().string());
}

// A damaged cached object is never run: it is found out by its digest, compiled again and
// replaced; a truncated one likewise.
BOOST_AUTO_TEST_CASE(a_damaged_cached_object_is_compiled_again_and_replaced) {
  testing::ScratchDir dir("test-damaged-cache");
  auto c = compiler::compile_path(std::string(KIJUN_SOURCE_DIR) + "/tests/golden/check/good/features.kj");
  BOOST_REQUIRE(c->ok());
  runtime::Engine engine(std::move(c));
  const auto& rs = engine.ruleset();
  std::vector<std::string> warnings;
  jit::JitOptions options{2, [&](LogLevel level, std::string_view m) { if (level == LogLevel::warn) warnings.emplace_back(m); },
                          dir.path().string(), engine.extension_table(), std::nullopt};
  std::string error;
  BOOST_REQUIRE(jit::CompiledRuleset::compile(rs, options, error));
  for (int damage = 0; damage < 2; ++damage) {
    std::vector<std::filesystem::path> objects;
    for (auto& e : std::filesystem::directory_iterator(dir.path())) objects.push_back(e.path());
    BOOST_REQUIRE(objects.size() == 1u);
    auto size = std::filesystem::file_size(objects[0]);
    if (damage == 0) {
      std::fstream f(objects[0], std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(size / 2));
      f.put('\x5a');
    } else {
      std::filesystem::resize_file(objects[0], size / 3);
    }
    warnings.clear();
    auto again = jit::CompiledRuleset::compile(rs, options, error);
    BOOST_REQUIRE_MESSAGE(again, error);
    BOOST_TEST(!again->from_cache());
    BOOST_TEST(warnings.size() == 1u);
    BOOST_TEST(!warnings.empty());
    if (!warnings.empty()) BOOST_TEST(warnings.front().find("is damaged; compiling again") != std::string::npos);
    auto t = compare_frame(engine, 0, *again, 7);
    BOOST_TEST(t.mismatches == 0u);
    auto replaced = jit::CompiledRuleset::compile(rs, options, error);
    BOOST_REQUIRE(replaced);
    BOOST_TEST(replaced->from_cache());
  }
}

// Only the frames asked for are compiled at once, each into an object of its own; another
// frame is compiled the first time it is asked for (once, whichever of several threads asks
// first) and agrees with the interpreter all the same; a frame's object is found again in
// the cache by a JIT that asks for that frame alone.
BOOST_AUTO_TEST_CASE(frames_are_compiled_when_first_asked_for) {
  testing::ScratchDir dir("test-lazy-frames");
  auto c = compiler::compile_path(std::string(KIJUN_SOURCE_DIR) + "/rulesets/it-hojo/2026");
  BOOST_REQUIRE(c->ok());
  runtime::Engine engine(std::move(c));
  const auto& rs = engine.ruleset();
  auto security = *engine.frame("security"), normal = *engine.frame("normal");
  auto objects = [&] {
    std::size_t n = 0;
    for (auto& e : std::filesystem::directory_iterator(dir.path())) n += e.path().extension() == ".o";
    return n;
  };
  std::string error;
  jit::JitOptions options{2, {}, dir.path().string(), engine.extension_table(), std::vector<std::uint32_t>{security}};
  auto compiled = jit::CompiledRuleset::compile(rs, options, error);
  BOOST_REQUIRE_MESSAGE(compiled, error);
  BOOST_TEST(objects() == 1u);
  BOOST_TEST(!compiled->from_cache());
  std::vector<kijun_frame_fn> got(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t) threads.emplace_back([&, t] { got[t] = compiled->frame(normal); });
  for (auto& t : threads) t.join();
  BOOST_TEST(got[0] != nullptr);
  for (auto fn : got) BOOST_TEST((fn == got[0]));
  BOOST_TEST(objects() == 2u);
  BOOST_TEST(compare_frame(engine, normal, *compiled, 20261201, 2000).mismatches == 0u);
  BOOST_TEST(compare_frame(engine, security, *compiled, 20261202, 2000).mismatches == 0u);
  BOOST_TEST(compiled->frame(static_cast<std::uint32_t>(rs.frames.size())) == nullptr);
  options.frames = std::vector<std::uint32_t>{normal};
  auto again = jit::CompiledRuleset::compile(rs, options, error);
  BOOST_REQUIRE_MESSAGE(again, error);
  BOOST_TEST(again->from_cache());
  BOOST_TEST(compare_frame(engine, normal, *again, 20261203, 2000).mismatches == 0u);
}

// Arithmetic on constants is worked out by the code generator: a rate chosen among constant
// fractions is stored as it is, without reducing it by its gcd row by row (a loop of
// remainders), and a fraction written `2/3` is no division at run time. The decisions are
// the interpreter's all the same (the tests above run the it-hojo frames, whose rates are
// such choices).
BOOST_AUTO_TEST_CASE(constant_fractions_are_folded) {
  auto c = compiler::compile_sources({{"fold.kj", R"(ruleset "fold" {
  fiscal_year 2026
  as_of applied
  version 2026-01-01
}

module fold

input applied: date label "申請日"
input small: bool label "小規模"

frame main label "本枠" {
  rate cite "1" label "補助率" = if small then 2/3 else 1/2 + 1/4 - 1/4
  amount cite "1" label "補助額" = 1 yen
}
)"}});
  BOOST_REQUIRE(c->ok());
  std::string error;
  for (int opt_level : {0, 2}) {
    auto text = jit::optimised_llvm(c->ruleset, opt_level, error);
    BOOST_REQUIRE_MESSAGE(!text.empty(), error);
    auto begin = text.find("define void @kijun_frame_main(");
    BOOST_REQUIRE(begin != std::string::npos);
    auto body = text.substr(begin, text.find("\n}\n", begin) - begin);
    BOOST_TEST(body.find("kijun_make_rational") == std::string::npos);
    BOOST_TEST(body.find("rem ") == std::string::npos);
    BOOST_TEST(body.find("div ") == std::string::npos);
  }
}
