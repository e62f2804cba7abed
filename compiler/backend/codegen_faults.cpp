// Faults. Every place that can fault gets a number in the frame's fault table, which holds
// its code, rule and site; a fault branches straight to the function's fault block with its
// number, which a phi there collects. The frame function's error block writes the table's
// entry for the number; a chunk function returns the number to the frame function, whose
// error block does the same. A branch per fault site with nothing in between keeps LLVM's
// CFG simplification linear: fault blocks that stored three fields each and jumped to one
// error block became empty blocks it merged one at a time, each time updating phis with an
// entry per fault site.
#include <llvm/IR/MDBuilder.h>

#include "compiler/backend/codegen_emitter.hpp"

namespace kijun::jit::detail {

using llvm::BasicBlock;
using llvm::Value;

void FrameEmitter::start_fault_block(BasicBlock* block) {
  error_bb_ = block;
  fault_ = llvm::PHINode::Create(i32(), 0, "fault", error_bb_);
}

void FrameEmitter::fail_if(Value* bad, ir::EvalError code, std::uint32_t site) {
  faults_.push_back({code, current_rule_, site});
  fault_to(bad, b_.getInt32(static_cast<std::uint32_t>(faults_.size())));
}

// Branches to the fault block with `number` when `bad`; continues in a new block.
void FrameEmitter::fault_to(Value* bad, Value* number) {
  BasicBlock* ok = block("ok");
  b_.CreateCondBr(bad, error_bb_, ok, llvm::MDBuilder(ctx_).createBranchWeights(1, 1 << 20));
  fault_->addIncoming(number, b_.GetInsertBlock());
  b_.SetInsertPoint(ok);
}

// The frame's fault table: code, rule and site of fault k + 1 at index k.
void FrameEmitter::make_fault_tables(const std::string& name) {
  std::vector<llvm::Constant*> codes, rules, sites;
  for (auto& f : faults_) {
    codes.push_back(b_.getInt8(static_cast<std::uint8_t>(f.code)));
    rules.push_back(b_.getInt32(static_cast<std::uint32_t>(f.rule)));
    sites.push_back(b_.getInt32(f.site));
  }
  auto table = [&](llvm::Type* t, std::vector<llvm::Constant*>& elems, const char* what) {
    auto* ty = llvm::ArrayType::get(t, elems.size());
    return new llvm::GlobalVariable(m_, ty, true, llvm::GlobalValue::PrivateLinkage, llvm::ConstantArray::get(ty, elems),
                                    name + ".faults." + what);
  };
  fault_code_ = table(i8(), codes, "code");
  fault_rule_ = table(i32(), rules, "rule");
  fault_site_ = table(i32(), sites, "site");
}

// The row's outputs for a fault: not eligible, nothing computed, no rule bits, and the
// fault's code, rule and site from the table.
void FrameEmitter::emit_error_block(const std::string& name) {
  make_fault_tables(name);
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
  Value* k = b_.CreateZExt(b_.CreateSub(fault_, b_.getInt32(1)), i64());
  auto entry = [&](llvm::GlobalVariable* table, llvm::Type* t) {
    return b_.CreateLoad(t, b_.CreateGEP(table->getValueType(), table, {c64(0), k}));
  };
  b_.CreateStore(entry(fault_code_, i8()), at(8, i8()));
  b_.CreateStore(entry(fault_rule_, i32()), at(9, i32()));
  b_.CreateStore(entry(fault_site_, i32()), at(10, i32()));
  b_.CreateBr(row_end_);
}

}  // namespace kijun::jit::detail
