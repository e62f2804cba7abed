// The frame function: a loop over the rows of a batch; per row, the rules in evaluation
// order set their bits and points, then the outputs are written; any fault jumps to the
// row's error block, which writes the fault instead.
#include <llvm/IR/MDBuilder.h>

#include "compiler/codegen_emitter.hpp"

namespace kijun::jit::detail {

using ir::Op;
using llvm::BasicBlock;
using llvm::Value;

void FrameEmitter::fail_if(Value* bad, ir::EvalError code, std::uint32_t site) {
  BasicBlock* err = block("fault");
  BasicBlock* ok = block("ok");
  b_.CreateCondBr(bad, err, ok, llvm::MDBuilder(ctx_).createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(err);
  b_.CreateStore(b_.getInt8(static_cast<std::uint8_t>(code)), err_code_);
  b_.CreateStore(b_.getInt32(static_cast<std::uint32_t>(current_rule_)), err_rule_);
  b_.CreateStore(b_.getInt32(site), err_site_);
  b_.CreateBr(error_bb_);
  b_.SetInsertPoint(ok);
}

void FrameEmitter::set_bit(llvm::AllocaInst* words, std::uint32_t k) {
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
  BasicBlock* eval = block("rule.eval");
  b_.CreateCondBr(in_period(r.period), eval, done);
  b_.SetInsertPoint(eval);
  if (r.applies != ir::no_node) {
    BasicBlock* applies = block("rule.applies");
    b_.CreateCondBr(truth(r.applies), applies, done);
    b_.SetInsertPoint(applies);
  }
  for (const auto& ex : r.exceptions) {
    BasicBlock* check = block("rule.unless");
    BasicBlock* next = block("rule.next");
    b_.CreateCondBr(in_period(ex.period), check, next);
    b_.SetInsertPoint(check);
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

void FrameEmitter::load_columns(Value* in) {
  auto* in_ty = llvm::StructType::get(ctx_, {i64(), ptr(), ptr(), ptr(), ptr(), i64()});
  Value* values = b_.CreateLoad(ptr(), b_.CreateStructGEP(in_ty, in, 1));
  Value* denoms = b_.CreateLoad(ptr(), b_.CreateStructGEP(in_ty, in, 2));
  Value* validity = b_.CreateLoad(ptr(), b_.CreateStructGEP(in_ty, in, 3));
  as_of_col_ = b_.CreateLoad(ptr(), b_.CreateStructGEP(in_ty, in, 4));
  as_of_day_ = b_.CreateLoad(i64(), b_.CreateStructGEP(in_ty, in, 5));
  col_.assign(rs_.inputs.size(), nullptr);
  den_.assign(rs_.inputs.size(), nullptr);
  valid_.assign(rs_.inputs.size(), nullptr);
  for (auto slot : f_.inputs) {
    const auto& type = rs_.inputs[slot].type;
    if (type.kind == dsl::Kind::text) continue;
    col_[slot] = b_.CreateLoad(ptr(), b_.CreateConstGEP1_64(ptr(), values, slot));
    if (type.kind == dsl::Kind::rate) den_[slot] = b_.CreateLoad(ptr(), b_.CreateConstGEP1_64(ptr(), denoms, slot));
    if (type.optional) valid_[slot] = b_.CreateLoad(ptr(), b_.CreateConstGEP1_64(ptr(), validity, slot));
  }
}

void FrameEmitter::load_outputs(Value* out) {
  std::vector<llvm::Type*> fields(11, ptr());
  auto* out_ty = llvm::StructType::get(ctx_, fields);
  outs_.clear();
  for (unsigned i = 0; i < 11; ++i) outs_.push_back(b_.CreateLoad(ptr(), b_.CreateStructGEP(out_ty, out, i)));
}

void FrameEmitter::begin_row() {
  for (std::uint32_t w = 0; w < words_; ++w) {
    b_.CreateStore(c64(0), b_.CreateConstGEP1_32(i64(), failed_, w));
    b_.CreateStore(c64(0), b_.CreateConstGEP1_32(i64(), scored_, w));
  }
  b_.CreateStore(c64(0), bonus_);
  b_.CreateStore(c64(0), penalty_);
  for (auto& [d, slots] : memo_) b_.CreateStore(b_.getFalse(), slots[0]);
  Value* has_col = b_.CreateICmpNE(as_of_col_, llvm::ConstantPointerNull::get(b_.getPtrTy()));
  BasicBlock* from_col = block("asof.column");
  BasicBlock* join = block("asof");
  BasicBlock* here = b_.GetInsertBlock();
  b_.CreateCondBr(has_col, from_col, join);
  b_.SetInsertPoint(from_col);
  Value* v = b_.CreateLoad(i64(), b_.CreateGEP(i64(), as_of_col_, row_));
  b_.CreateBr(join);
  b_.SetInsertPoint(join);
  auto* phi = b_.CreatePHI(i64(), 2);
  phi->addIncoming(as_of_day_, here);
  phi->addIncoming(v, from_col);
  as_of_ = phi;
  current_rule_ = -1;
  // Definitions that cannot fault are computed up front, once.
  for (std::uint32_t d = 0; d < rs_.defs.size(); ++d) {
    if (memo_.count(d) || eager_.count(d) || !used_.count(d)) continue;
    bool safe = true;
    for (auto& a : rs_.defs[d].alts) safe = safe && speculation_.node(a.root);
    speculate_ = safe;
    eager_[d] = def_body(d);
    speculate_ = false;
  }
}

void FrameEmitter::finish_row() {
  auto at = [&](unsigned field, llvm::Type* t) { return b_.CreateGEP(t, outs_[field], row_); };
  Value* any_failed = b_.getFalse();
  for (std::uint32_t w = 0; w < words_; ++w) {
    Value* fw = b_.CreateLoad(i64(), b_.CreateConstGEP1_32(i64(), failed_, w));
    Value* sw = b_.CreateLoad(i64(), b_.CreateConstGEP1_32(i64(), scored_, w));
    any_failed = b_.CreateOr(any_failed, b_.CreateICmpNE(fw, c64(0)));
    Value* idx = b_.CreateAdd(b_.CreateMul(row_, c64(words_)), c64(w));
    b_.CreateStore(fw, b_.CreateGEP(i64(), outs_[6], idx));
    b_.CreateStore(sw, b_.CreateGEP(i64(), outs_[7], idx));
  }
  current_rule_ = -1;
  CV rate{c64(0), c64(1)};
  if (f_.rate != UINT32_MAX) {
    rate = def(f_.rate);
    bool already = true;
    for (auto& a : rs_.defs[f_.rate].alts) already = already && reduced(a.root);
    if (!already) rate = canonical(rate);
  }
  CV amount{c64(0), c64(1)};
  if (f_.amount != UINT32_MAX) amount = def(f_.amount);
  b_.CreateStore(b_.CreateZExt(b_.CreateNot(any_failed), i8()), at(0, i8()));
  b_.CreateStore(amount.num, at(1, i64()));
  b_.CreateStore(rate.num, at(2, i64()));
  b_.CreateStore(rate.den, at(3, i64()));
  b_.CreateStore(b_.CreateLoad(i64(), bonus_), at(4, i64()));
  b_.CreateStore(b_.CreateLoad(i64(), penalty_), at(5, i64()));
  b_.CreateStore(b_.getInt8(0), at(8, i8()));
  b_.CreateStore(b_.getInt32(static_cast<std::uint32_t>(-1)), at(9, i32()));
  b_.CreateStore(b_.getInt32(0), at(10, i32()));
  b_.CreateBr(row_end_);
}

void FrameEmitter::emit_error_block() {
  b_.SetInsertPoint(error_bb_);
  auto at = [&](unsigned field, llvm::Type* t) { return b_.CreateGEP(t, outs_[field], row_); };
  b_.CreateStore(b_.getInt8(0), at(0, i8()));
  for (unsigned field : {1u, 2u, 4u, 5u}) b_.CreateStore(c64(0), at(field, i64()));
  b_.CreateStore(c64(1), at(3, i64()));
  for (std::uint32_t w = 0; w < words_; ++w) {
    Value* idx = b_.CreateAdd(b_.CreateMul(row_, c64(words_)), c64(w));
    b_.CreateStore(c64(0), b_.CreateGEP(i64(), outs_[6], idx));
    b_.CreateStore(c64(0), b_.CreateGEP(i64(), outs_[7], idx));
  }
  b_.CreateStore(b_.CreateLoad(i8(), err_code_), at(8, i8()));
  b_.CreateStore(b_.CreateLoad(i32(), err_rule_), at(9, i32()));
  b_.CreateStore(b_.CreateLoad(i32(), err_site_), at(10, i32()));
  b_.CreateBr(row_end_);
}


// Which definitions the frame can reach (the others are not emitted), from its rules and
// its rate and amount.
void FrameEmitter::find_used_defs() {
  std::function<void(ir::NodeId)> reach = [&](ir::NodeId id) {
    const ir::Node& n = rs_.node(id);
    if (n.op == Op::def && used_.insert(n.a).second)
      for (auto& a : rs_.defs[n.a].alts) reach(a.root);
    if (n.op == Op::table)
      for (auto k : rs_.tables[n.a].keys) reach(k);
    for (std::uint32_t i = 0; i < n.count; ++i) reach(rs_.child(n, i));
  };
  for (auto r : f_.rules) {
    const auto& rule = rs_.rules[r];
    if (rule.as_of != ir::no_node) reach(rule.as_of);
    if (rule.applies != ir::no_node) reach(rule.applies);
    for (auto& ex : rule.exceptions) reach(ex.condition);
    reach(rule.body);
  }
  for (auto d : {f_.rate, f_.amount})
    if (d != UINT32_MAX && used_.insert(d).second)
      for (auto& a : rs_.defs[d].alts) reach(a.root);
}

// A row's state lives in the entry block's allocas: the rule bitsets, the points, the
// fault being reported, and a ready flag and value for each definition that must be lazy
// (one that can fault is computed only where the interpreter would first need it).
void FrameEmitter::allocate_row_state() {
  failed_ = b_.CreateAlloca(i64(), b_.getInt32(words_), "failed");
  scored_ = b_.CreateAlloca(i64(), b_.getInt32(words_), "scored");
  bonus_ = b_.CreateAlloca(i64(), nullptr, "bonus");
  penalty_ = b_.CreateAlloca(i64(), nullptr, "penalty");
  err_code_ = b_.CreateAlloca(i8(), nullptr, "err.code");
  err_rule_ = b_.CreateAlloca(i32(), nullptr, "err.rule");
  err_site_ = b_.CreateAlloca(i32(), nullptr, "err.site");
  for (auto d : used_)
    if (fallible_.def(d)) memo_[d] = {b_.CreateAlloca(i1()), b_.CreateAlloca(i64()), b_.CreateAlloca(i64())};
}

llvm::Function* FrameEmitter::emit(const std::string& name) {
  auto* ty = llvm::FunctionType::get(b_.getVoidTy(), {ptr(), ptr(), i64(), i64()}, false);
  fn_ = llvm::Function::Create(ty, llvm::Function::ExternalLinkage, name, m_);
  fn_->addFnAttr(llvm::Attribute::NoUnwind);
  for (unsigned i = 0; i < 2; ++i) fn_->addParamAttr(i, llvm::Attribute::NoAlias);
  words_ = ir::bitset_words(f_.rules.size());
  find_used_defs();

  BasicBlock* entry = block("entry");
  b_.SetInsertPoint(entry);
  load_columns(fn_->getArg(0));
  load_outputs(fn_->getArg(1));
  allocate_row_state();

  BasicBlock* header = block("row.header");
  BasicBlock* body = block("row");
  BasicBlock* exit = block("exit");
  error_bb_ = block("row.error");
  row_end_ = block("row.end");
  b_.CreateBr(header);

  b_.SetInsertPoint(header);
  auto* i = b_.CreatePHI(i64(), 2, "i");
  i->addIncoming(fn_->getArg(2), entry);
  b_.CreateCondBr(b_.CreateICmpSLT(i, fn_->getArg(3)), body, exit);
  row_ = i;

  b_.SetInsertPoint(body);
  begin_row();
  for (std::uint32_t p = 0; p < f_.rules.size(); ++p) emit_rule(p);
  finish_row();
  emit_error_block();

  b_.SetInsertPoint(row_end_);
  Value* next = b_.CreateAdd(i, c64(1));
  i->addIncoming(next, row_end_);
  b_.CreateBr(header);

  b_.SetInsertPoint(exit);
  b_.CreateRetVoid();
  return fn_;
}

}  // namespace kijun::jit::detail
