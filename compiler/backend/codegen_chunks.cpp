// Large frames: the rules in chunk functions. LLVM's optimisation passes and its register
// allocator take time more than linear in the size of one function (a frame of 2,000
// rules took 8 times as long as one of 1,000), so a frame whose rules would make a large
// function has them emitted in private functions of a bounded size, which the row loop
// calls in order. The row's state — rule bits, points, the fault, the definitions
// memoised per row — is then one array in the frame function's stack, passed to each
// chunk; a chunk returns the number of the fault that stopped the row, or 0 (see
// codegen_faults.cpp). A frame of an ordinary size is one
// function, as before: the calls would only cost time.
#include <llvm/IR/MDBuilder.h>

#include "compiler/backend/codegen_emitter.hpp"

namespace kijun::jit::detail {

using ir::Op;
using llvm::BasicBlock;
using llvm::Value;

namespace {

// Budgets in IR nodes, the emitted size of a rule (see rule_size). A frame up to
// `single_function_nodes` stays one function; a larger one is cut into chunks of about
// `chunk_nodes` each.
constexpr std::size_t single_function_nodes = 8000;
constexpr std::size_t chunk_nodes = 1500;

}  // namespace

// The nodes of the trees under `roots`; a definition that is memoised is emitted again
// where it is used, so it counts its own size; one computed up front counts one.
std::size_t FrameEmitter::tree_size(std::vector<ir::NodeId> stack) {
  std::size_t size = 0;
  while (!stack.empty()) {
    const ir::Node& n = rs_.node(stack.back());
    stack.pop_back();
    ++size;
    if (n.op == Op::def && fallible_.def(n.a)) size += def_size(n.a);
    if (n.op == Op::table)
      for (auto k : rs_.tables[n.a].keys) stack.push_back(k);
    for (std::uint32_t i = 0; i < n.count; ++i) stack.push_back(rs_.child(n, i));
  }
  return size;
}

std::size_t FrameEmitter::def_size(std::uint32_t d) {
  if (def_size_.empty()) def_size_.assign(rs_.defs.size(), SIZE_MAX);
  if (def_size_[d] == SIZE_MAX) {
    def_size_[d] = 1;  // the checker refuses cycles; this only bounds a malformed image
    std::vector<ir::NodeId> roots;
    for (auto& a : rs_.defs[d].alts) roots.push_back(a.root);
    def_size_[d] = tree_size(std::move(roots));
  }
  return def_size_[d];
}

std::size_t FrameEmitter::rule_size(const ir::Rule& r) {
  std::vector<ir::NodeId> roots{r.body};
  if (r.as_of != ir::no_node) roots.push_back(r.as_of);
  if (r.applies != ir::no_node) roots.push_back(r.applies);
  for (auto& ex : r.exceptions) roots.push_back(ex.condition);
  return tree_size(std::move(roots)) + 1 + r.exceptions.size();
}

// Consecutive rules, [begin, end) positions, each range about `chunk_nodes` in size (a
// rule larger than that is a chunk of its own); none when the frame is small enough for one
// function.
std::vector<std::pair<std::uint32_t, std::uint32_t>> FrameEmitter::plan_chunks() {
  auto rules = static_cast<std::uint32_t>(f_.rules.size());
  std::vector<std::size_t> sizes;
  std::size_t total = 0;
  for (auto r : f_.rules) total += sizes.emplace_back(rule_size(rs_.rules[r]));
  // The rate and the amount stay in the frame function, but count towards its size.
  for (auto d : {f_.rate, f_.amount})
    if (d != UINT32_MAX) total += def_size(d);
  if (total <= single_function_nodes) return {};
  std::vector<std::pair<std::uint32_t, std::uint32_t>> chunks;
  std::uint32_t begin = 0;
  std::size_t size = 0;
  for (std::uint32_t p = 0; p < rules; ++p) {
    if (size > 0 && size + sizes[p] > chunk_nodes) {
      chunks.emplace_back(begin, p);
      begin = p;
      size = 0;
    }
    size += sizes[p];
  }
  chunks.emplace_back(begin, rules);
  return chunks;
}

// The row's state array, in i64 slots: failed words, scored words, bonus, penalty, then
// three slots (ready flag, num, den) per memoised definition.
std::uint32_t FrameEmitter::state_slots() const {
  return 2 * words_ + 2 + 3 * static_cast<std::uint32_t>(memo_slot_.size());
}

void FrameEmitter::bind_state(Value* state, const std::set<std::uint32_t>& defs) {
  auto slot = [&](std::uint32_t k) { return b_.CreateConstGEP1_32(i64(), state, k); };
  failed_ = slot(0);
  scored_ = slot(words_);
  bonus_ = slot(2 * words_);
  penalty_ = slot(2 * words_ + 1);
  for (auto d : defs)
    if (auto it = memo_slot_.find(d); it != memo_slot_.end()) {
      std::uint32_t base = 2 * words_ + 2 + 3 * it->second;
      memo_[d] = {slot(base), slot(base + 1), slot(base + 2)};
    }
}

// i32 chunk(const kijun_batch_in* in, i64 row, i64 as_of, i64* state): the rules at
// positions [begin, end) for one row; 0, or the number of the fault that stopped it.
llvm::Function* FrameEmitter::emit_chunk(const std::string& name, std::uint32_t begin, std::uint32_t end) {
  auto* ty = llvm::FunctionType::get(i32(), {ptr(), i64(), i64(), ptr()}, false);
  start_function(llvm::Function::Create(ty, llvm::Function::PrivateLinkage, name, m_));
  fn_->addFnAttr(llvm::Attribute::NoUnwind);
  // Called once, it would be inlined back into the frame function, undoing the split.
  fn_->addFnAttr(llvm::Attribute::NoInline);
  fn_->addParamAttr(0, llvm::Attribute::NoAlias);
  fn_->addParamAttr(3, llvm::Attribute::NoAlias);
  BasicBlock* entry = block("entry");
  BasicBlock* body = block("rules");
  start_fault_block(block("chunk.fault"));
  llvm::ReturnInst::Create(ctx_, fault_, error_bb_);
  b_.SetInsertPoint(entry);
  load_columns(fn_->getArg(0));
  row_ = fn_->getArg(1);
  as_of_ = fn_->getArg(2);
  used_ = reachable_defs(begin, end, false);
  bind_state(fn_->getArg(3), used_);
  auto shared = keep_sums_local(begin, end);
  inputs_at_ = b_.CreateBr(body);
  b_.SetInsertPoint(body);
  compute_eager_defs();
  for (std::uint32_t p = begin; p < end; ++p) emit_rule(p);
  write_sums_back(shared, begin, end);
  b_.CreateRet(b_.getInt32(0));
  return fn_;
}

// The words of the chunk's rule bits and the points are summed in locals the optimiser
// keeps in registers, read from the state at the start and written back at the end (a
// fault returns without: the row's error block writes no bits).
FrameEmitter::Sums FrameEmitter::keep_sums_local(std::uint32_t begin, std::uint32_t end) {
  Sums shared{failed_, scored_, bonus_, penalty_};
  failed_ = entry_alloca(i64(), words_);
  scored_ = entry_alloca(i64(), words_);
  bonus_ = entry_alloca(i64());
  penalty_ = entry_alloca(i64());
  auto copy = [&](Value* from, Value* to, std::uint32_t w) {
    b_.CreateStore(b_.CreateLoad(i64(), b_.CreateConstGEP1_32(i64(), from, w)), b_.CreateConstGEP1_32(i64(), to, w));
  };
  for (std::uint32_t w = begin / 64; w <= (end - 1) / 64; ++w) {
    copy(shared.failed, failed_, w);
    copy(shared.scored, scored_, w);
  }
  copy(shared.bonus, bonus_, 0);
  copy(shared.penalty, penalty_, 0);
  return shared;
}

void FrameEmitter::write_sums_back(const Sums& shared, std::uint32_t begin, std::uint32_t end) {
  auto copy = [&](Value* from, Value* to, std::uint32_t w) {
    b_.CreateStore(b_.CreateLoad(i64(), b_.CreateConstGEP1_32(i64(), from, w)), b_.CreateConstGEP1_32(i64(), to, w));
  };
  for (std::uint32_t w = begin / 64; w <= (end - 1) / 64; ++w) {
    copy(failed_, shared.failed, w);
    copy(scored_, shared.scored, w);
  }
  copy(bonus_, shared.bonus, 0);
  copy(penalty_, shared.penalty, 0);
}

// Calls a chunk; a fault goes to the frame function's fault block with its number.
void FrameEmitter::call_chunk(llvm::Function* chunk, Value* state) {
  Value* number = b_.CreateCall(chunk, {fn_->getArg(0), row_, as_of_, state});
  fault_to(b_.CreateICmpNE(number, b_.getInt32(0)), number);
}

}  // namespace kijun::jit::detail
