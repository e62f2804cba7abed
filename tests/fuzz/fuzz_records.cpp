// The record readers on any bytes, against one small ruleset (tests/fuzz/fuzz.kj): every
// JSON Lines line is one record or one blank line (records in = lines out), a record is
// read or names why not, and every record read is decided alike by the interpreter and the
// compiled frame. Built twice: FUZZ_CSV reads CSV, otherwise JSON Lines.
#include <memory>
#include <sstream>

#include "compiler/backend/jit.hpp"
#include "compiler/ir/interpreter.hpp"
#include "compiler/ir/verify.hpp"
#include "compiler/pipeline.hpp"
#include "fuzz/fuzz_target.hpp"
#include "runtime/columns.hpp"
#include "runtime/reader.hpp"

namespace {

using namespace kijun;

struct Fixture {
  std::unique_ptr<compiler::Compilation> c;
  std::unique_ptr<jit::CompiledRuleset> compiled;
  Fixture() {
    c = compiler::compile_path(KIJUN_FUZZ_RULESET);
    KIJUN_FUZZ_CHECK(c->ok());
    std::string error;
    compiled = jit::CompiledRuleset::compile(c->ruleset, {2, {}, "", nullptr, std::nullopt}, error);
    KIJUN_FUZZ_CHECK(compiled != nullptr);
  }
};

bool same(const ir::Ruleset& rs, const ir::Evaluation& a, const ir::Evaluation& b) {
  if (a.error != ir::EvalError::none || b.error != ir::EvalError::none) return a.error == b.error && a.error_rule == b.error_rule;
  (void)rs;
  return a.eligible == b.eligible && a.amount == b.amount && a.rate == b.rate && a.bonus_points == b.bonus_points &&
         a.penalty_points == b.penalty_points && a.failed == b.failed && a.bonus == b.bonus && a.penalty == b.penalty;
}

[[maybe_unused]] std::size_t lines_of(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n + (!s.empty() && s.back() != '\n');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fx;
  const auto& rs = fx.c->ruleset;
  auto bytes = fuzz::text(data, size);
  std::istringstream in{std::string(bytes)};
  runtime::KnownFields known({&rs});
#ifdef FUZZ_CSV
  constexpr std::uint32_t frame = 0;
#else
  constexpr std::uint32_t frame = 1;  // with a list (fuzz.kj)
#endif
  const auto& slots = rs.frames[frame].inputs;
#ifdef FUZZ_CSV
  auto reader = runtime::make_csv_reader(in, rs, slots, known);
#else
  auto reader = runtime::make_jsonl_reader(in, rs, slots, known);
#endif
  runtime::ColumnBatch batch(rs, frame);
  runtime::BatchResults results(rs, frame);
  ir::Interpreter interp(rs);
  std::vector<ir::Evaluation> expected;
  std::size_t records = 0;
  runtime::Record r;
  while (reader->next(r)) {
    ++records;
    KIJUN_FUZZ_CHECK(r.values.size() >= rs.inputs.size());
    if (!r.error.empty()) continue;
    KIJUN_FUZZ_CHECK(ir::check_applicant(rs, r.values.data(), r.values.size()).empty());
    auto as_of = r.values[rs.as_of_input];
    if (!as_of.present() || !rs.version_on(as_of.num)) continue;
    batch.push(r.values.data(), as_of.num);
    expected.push_back(interp.evaluate(frame, r.values.data(), as_of.num));
  }
#ifndef FUZZ_CSV
  KIJUN_FUZZ_CHECK(records + reader->blank_lines() == lines_of(bytes));
#endif
  if (batch.rows() == 0) return 0;
  auto& out = results.view(batch.rows());
  fx.compiled->frame(frame)(&batch.view(), &out, 0, static_cast<std::int64_t>(batch.rows()));
  ir::Evaluation got;
  for (std::size_t i = 0; i < batch.rows(); ++i) {
    results.evaluation(i, got);
    KIJUN_FUZZ_CHECK(same(rs, expected[i], got));
  }
  return 0;
}
