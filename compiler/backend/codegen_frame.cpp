// The frame function: a loop over the rows of a batch; per row, the rules in evaluation
// order set their bits and points (codegen_rules.cpp), then the outputs are written; any
// fault jumps to the row's error block, which writes the fault instead. A frame too large
// for one function has its rules emitted in chunk functions the row loop calls in order
// (see plan_chunks).
#include "compiler/backend/codegen_emitter.hpp"

namespace kijun::jit::detail {

using ir::Op;
using llvm::BasicBlock;
using llvm::Value;

void FrameEmitter::load_columns(Value* in) {
  auto* in_ty = llvm::StructType::get(ctx_, {i64(), ptr(), ptr(), ptr(), ptr(), i64(), ptr()});
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
  load_list_columns(b_.CreateLoad(ptr(), b_.CreateStructGEP(in_ty, in, 6)));
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
  compute_eager_defs();
}

// Definitions that cannot fault are computed up front, once per row and function.
void FrameEmitter::compute_eager_defs() {
  for (auto d : used_) {
    if (memo_.count(d) || eager_.count(d)) continue;
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

// The definitions the rules at positions [begin, end) can reach, through other definitions
// and table keys; with `outputs`, those the rate and the amount reach too. An explicit
// stack: an expression may be deep.
std::set<std::uint32_t> FrameEmitter::reachable_defs(std::uint32_t begin, std::uint32_t end, bool outputs) const {
  std::set<std::uint32_t> used;
  std::vector<ir::NodeId> stack;
  // An element definition is computed where it is read, per element (codegen_lists.cpp):
  // it is walked for the definitions it reads, but not kept as a row's definition.
  std::set<std::uint32_t> walked;
  auto visit = [&](std::uint32_t d) {
    bool fresh = rs_.defs[d].record < 0 ? used.insert(d).second : walked.insert(d).second;
    if (fresh)
      for (auto& a : rs_.defs[d].alts) stack.push_back(a.root);
  };
  for (std::uint32_t p = begin; p < end; ++p) {
    const auto& rule = rs_.rules[f_.rules[p]];
    if (rule.as_of != ir::no_node) stack.push_back(rule.as_of);
    if (rule.applies != ir::no_node) stack.push_back(rule.applies);
    for (auto& ex : rule.exceptions) stack.push_back(ex.condition);
    stack.push_back(rule.body);
  }
  if (outputs)
    for (auto d : {f_.rate, f_.amount})
      if (d != UINT32_MAX) visit(d);
  while (!stack.empty()) {
    const ir::Node& n = rs_.node(stack.back());
    stack.pop_back();
    if (n.op == Op::def) visit(n.a);
    if (n.op == Op::table)
      for (auto k : rs_.tables[n.a].keys) stack.push_back(k);
    for (std::uint32_t i = 0; i < n.count; ++i) stack.push_back(rs_.child(n, i));
  }
  return used;
}

// A row's state lives in the entry block's allocas: the rule bitsets, the points, and a
// ready flag and value for each definition that must be lazy (one that can fault is
// computed only where the interpreter would first need it).
void FrameEmitter::allocate_row_state() {
  failed_ = b_.CreateAlloca(i64(), b_.getInt32(words_), "failed");
  scored_ = b_.CreateAlloca(i64(), b_.getInt32(words_), "scored");
  bonus_ = b_.CreateAlloca(i64(), nullptr, "bonus");
  penalty_ = b_.CreateAlloca(i64(), nullptr, "penalty");
  for (auto d : used_)
    if (fallible_.def(d)) memo_[d] = {b_.CreateAlloca(i1()), b_.CreateAlloca(i64()), b_.CreateAlloca(i64())};
}

// Per function: what was emitted for another function cannot be used in this one.
void FrameEmitter::start_function(llvm::Function* fn) {
  fn_ = fn;
  args_ = nullptr;
  ext_fault_ = nullptr;
  memo_.clear();
  eager_.clear();
  used_.clear();
  bound_.clear();
  base_ = 0;
  element_memo_.clear();
  current_rule_ = -1;
  speculate_ = false;
  inputs_at_ = nullptr;
  input_cache_.clear();
  rational_num_ = rational_den_ = nullptr;
}

llvm::Function* FrameEmitter::emit(const std::string& name) {
  words_ = ir::bitset_words(f_.rules.size());
  std::set<std::uint32_t> used = reachable_defs(0, static_cast<std::uint32_t>(f_.rules.size()), true);
  auto chunks = plan_chunks();
  std::vector<llvm::Function*> chunk_fns;
  if (!chunks.empty()) {
    chunked_ = true;
    for (auto d : used)
      if (fallible_.def(d)) memo_slot_.emplace(d, static_cast<std::uint32_t>(memo_slot_.size()));
    for (std::size_t k = 0; k < chunks.size(); ++k)
      chunk_fns.push_back(emit_chunk(name + ".rules." + std::to_string(k), chunks[k].first, chunks[k].second));
  }

  auto* ty = llvm::FunctionType::get(b_.getVoidTy(), {ptr(), ptr(), i64(), i64()}, false);
  start_function(llvm::Function::Create(ty, llvm::Function::ExternalLinkage, name, m_));
  fn_->addFnAttr(llvm::Attribute::NoUnwind);
  for (unsigned i = 0; i < 2; ++i) fn_->addParamAttr(i, llvm::Attribute::NoAlias);

  BasicBlock* entry = block("entry");
  b_.SetInsertPoint(entry);
  load_columns(fn_->getArg(0));
  load_outputs(fn_->getArg(1));
  Value* state = nullptr;
  if (chunk_fns.empty()) {
    used_ = std::move(used);
    allocate_row_state();
  } else {
    // The chunks share the row's state through memory; this function itself computes
    // only what the rate and the amount need.
    state = b_.CreateAlloca(i64(), b_.getInt32(state_slots()), "row.state");
    bind_state(state, used);
    used_ = reachable_defs(0, 0, true);
  }

  BasicBlock* header = block("row.header");
  BasicBlock* body = block("row");
  BasicBlock* exit = block("exit");
  start_fault_block(block("row.error"));
  row_end_ = block("row.end");
  b_.CreateBr(header);

  b_.SetInsertPoint(header);
  auto* i = b_.CreatePHI(i64(), 2, "i");
  i->addIncoming(fn_->getArg(2), entry);
  b_.CreateCondBr(b_.CreateICmpSLT(i, fn_->getArg(3)), body, exit);
  row_ = i;

  b_.SetInsertPoint(body);
  begin_row();
  if (chunk_fns.empty()) {
    for (std::uint32_t p = 0; p < f_.rules.size(); ++p) emit_rule(p);
  } else {
    for (auto* chunk : chunk_fns) call_chunk(chunk, state);
  }
  finish_row();
  emit_error_block(name);

  b_.SetInsertPoint(row_end_);
  Value* next = b_.CreateAdd(i, c64(1));
  i->addIncoming(next, row_end_);
  b_.CreateBr(header);

  b_.SetInsertPoint(exit);
  b_.CreateRetVoid();
  return fn_;
}

}  // namespace kijun::jit::detail
