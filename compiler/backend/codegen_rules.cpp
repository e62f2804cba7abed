// Rules: each sets its bit in the row's failed or scored words (and adds its points) as
// the interpreter decides it, branching like the interpreter, or — when nothing in it can
// fault — without branches. A fault goes to the function's fault block
// (codegen_faults.cpp).
#include <llvm/IR/MDBuilder.h>

#include "compiler/backend/codegen_emitter.hpp"

namespace kijun::jit::detail {

using ir::Op;
using llvm::BasicBlock;
using llvm::Value;

void FrameEmitter::set_bit(Value* words, std::uint32_t k) {
  Value* slot = b_.CreateConstGEP1_32(i64(), words, k / 64);
  b_.CreateStore(b_.CreateOr(b_.CreateLoad(i64(), slot), c64(static_cast<std::int64_t>(1ULL << (k % 64)))), slot);
}

void FrameEmitter::emit_rule(std::uint32_t position) {
  const ir::Rule& r = rs_.rules[f_.rules[position]];
  current_rule_ = static_cast<std::int32_t>(position);
  bool straight = speculation_.node(r.body) && (r.applies == ir::no_node || speculation_.node(r.applies));
  for (const auto& ex : r.exceptions) straight = straight && speculation_.node(ex.condition);
  // A rule judged as of another date: that date, worked out first, stands for the as-of date
  // in its periods and `as_of()` (its definitions do not depend on the date: the checker).
  Value* evaluation_day = as_of_;
  if (r.as_of != ir::no_node) as_of_ = node(r.as_of).num;
  if (straight) {
    emit_straight_rule(r, position);
    as_of_ = evaluation_day;
    return;
  }
  BasicBlock* done = block("rule.done");
  if (r.period.from || r.period.until) {
    BasicBlock* eval = block("rule.eval");
    b_.CreateCondBr(in_period(r.period), eval, done);
    b_.SetInsertPoint(eval);
  }
  if (r.applies != ir::no_node) {
    BasicBlock* applies = block("rule.applies");
    b_.CreateCondBr(truth(r.applies), applies, done);
    b_.SetInsertPoint(applies);
  }
  for (const auto& ex : r.exceptions) {
    BasicBlock* next = block("rule.next");
    if (ex.period.from || ex.period.until) {
      BasicBlock* check = block("rule.unless");
      b_.CreateCondBr(in_period(ex.period), check, next);
      b_.SetInsertPoint(check);
    }
    b_.CreateCondBr(truth(ex.condition), done, next);
    b_.SetInsertPoint(next);
  }
  Value* holds = truth(r.body);
  BasicBlock* effect = block("rule.effect");
  bool on_true = r.kind == dsl::RuleKind::exclusion || r.kind == dsl::RuleKind::bonus || r.kind == dsl::RuleKind::penalty;
  b_.CreateCondBr(on_true ? holds : b_.CreateNot(holds), effect, done);
  b_.SetInsertPoint(effect);
  switch (r.kind) {
    case dsl::RuleKind::requirement:
    case dsl::RuleKind::limit:
    case dsl::RuleKind::exclusion: set_bit(failed_, position); break;
    case dsl::RuleKind::bonus:
    case dsl::RuleKind::penalty: {
      set_bit(scored_, position);
      auto* sum = r.kind == dsl::RuleKind::bonus ? bonus_ : penalty_;
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64(), sum), c64(r.points)), sum);
      break;
    }
  }
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  as_of_ = evaluation_day;
}

// A rule that cannot fault: the same outcome as the branching form, computed without
// branches; the effect is a select on the rule's bit and points.
void FrameEmitter::emit_straight_rule(const ir::Rule& r, std::uint32_t position) {
  speculate_ = true;
  Value* evaluated = in_period(r.period);
  if (r.applies != ir::no_node) evaluated = b_.CreateAnd(evaluated, truth(r.applies));
  for (const auto& ex : r.exceptions) evaluated = b_.CreateAnd(evaluated, b_.CreateNot(b_.CreateAnd(in_period(ex.period), truth(ex.condition))));
  Value* holds = truth(r.body);
  bool on_true = r.kind == dsl::RuleKind::exclusion || r.kind == dsl::RuleKind::bonus || r.kind == dsl::RuleKind::penalty;
  Value* hit = b_.CreateAnd(evaluated, on_true ? holds : b_.CreateNot(holds));
  speculate_ = false;
  bool scored = r.kind == dsl::RuleKind::bonus || r.kind == dsl::RuleKind::penalty;
  auto* words = scored ? scored_ : failed_;
  Value* slot = b_.CreateConstGEP1_32(i64(), words, position / 64);
  Value* bit = b_.CreateShl(b_.CreateZExt(hit, i64()), c64(position % 64));
  b_.CreateStore(b_.CreateOr(b_.CreateLoad(i64(), slot), bit), slot);
  if (scored) {
    auto* sum = r.kind == dsl::RuleKind::bonus ? bonus_ : penalty_;
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64(), sum), b_.CreateSelect(hit, c64(r.points), c64(0))), sum);
  }
}

}  // namespace kijun::jit::detail
