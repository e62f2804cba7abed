// Checked i64 arithmetic and exact rationals in generated code, bit for bit as
// compiler/ir/exact.hpp: a fault branches to the row's error block with the node as its site.
#include <llvm/IR/MDBuilder.h>

#include "compiler/backend/codegen_emitter.hpp"
#include "compiler/ir/exact.hpp"

namespace kijun::jit::detail {

using ir::Op;
using llvm::BasicBlock;
using llvm::Value;

Value* FrameEmitter::checked(llvm::Intrinsic::ID op, Value* a, Value* b, std::uint32_t site) {
  auto* f = llvm::Intrinsic::getDeclaration(&m_, op, {i64()});
  Value* r = b_.CreateCall(f, {a, b});
  fail_if(b_.CreateExtractValue(r, 1), ir::EvalError::overflow, site);
  return b_.CreateExtractValue(r, 0);
}

// (num, den) from 128-bit parts: the parts as they are when they fit in 64 bits, unreduced
// (codegen_emitter.hpp says why the bits that leave the function are the interpreter's
// all the same), else reduced by kernels::make_rational — the function exact::make calls —
// through the helper compiled from it (codegen_helpers.cpp), which decides overflow.
// With `pending`, an overflow is not branched on here but or-ed into *pending, for the
// caller to check later (see sum).
CV FrameEmitter::make_rational(Value* num128, Value* den128, std::uint32_t site, Value** pending) {
  auto k128 = [&](std::int64_t v) { return llvm::ConstantInt::getSigned(i128(), v); };
  Value* neg = b_.CreateICmpSLT(den128, k128(0));
  Value* num = b_.CreateSelect(neg, b_.CreateNeg(num128), num128);
  Value* den = b_.CreateSelect(neg, b_.CreateNeg(den128), den128);
  Value* fits = b_.CreateAnd(b_.CreateAnd(b_.CreateICmpSGT(num, k128(INT64_MIN)), b_.CreateICmpSLE(num, k128(INT64_MAX))),
                             b_.CreateICmpSLE(den, k128(INT64_MAX)));
  Value* n64 = b_.CreateTrunc(num, i64());
  Value* d64 = b_.CreateTrunc(den, i64());
  BasicBlock* here = b_.GetInsertBlock();
  BasicBlock* reduce = block("rational.reduce");
  BasicBlock* join = block("rational");
  b_.CreateCondBr(fits, join, reduce, llvm::MDBuilder(ctx_).createBranchWeights(1 << 20, 1));
  b_.SetInsertPoint(reduce);
  auto [outn, outd] = rational_out();
  Value* ok = call_make_rational(num, den);
  if (!pending) fail_if(b_.CreateNot(ok), ir::EvalError::overflow, site);
  Value* rn = b_.CreateLoad(i64(), outn);
  Value* rd = b_.CreateLoad(i64(), outd);
  BasicBlock* reduced = b_.GetInsertBlock();
  b_.CreateBr(join);
  b_.SetInsertPoint(join);
  auto* pn = b_.CreatePHI(i64(), 2);
  auto* pd = b_.CreatePHI(i64(), 2);
  pn->addIncoming(n64, here);
  pd->addIncoming(d64, here);
  pn->addIncoming(rn, reduced);
  pd->addIncoming(rd, reduced);
  if (pending) {
    auto* fine = b_.CreatePHI(i1(), 2);
    fine->addIncoming(b_.getTrue(), here);
    fine->addIncoming(ok, reduced);
    *pending = b_.CreateOr(*pending, b_.CreateNot(fine));
  }
  return {pn, pd};
}

// Where make_rational writes its result: read at once after each call, so one pair of
// slots serves the whole function.
std::pair<llvm::AllocaInst*, llvm::AllocaInst*> FrameEmitter::rational_out() {
  if (!rational_num_) {
    rational_num_ = entry_alloca(i64());
    rational_den_ = entry_alloca(i64());
  }
  return {rational_num_, rational_den_};
}

// The canonical form of a fraction whose parts fit in 64 bits (it cannot overflow).
CV FrameEmitter::canonical(CV v) {
  auto [outn, outd] = rational_out();
  call_make_rational(b_.CreateSExt(v.num, i128()), b_.CreateSExt(v.den, i128()));
  return {b_.CreateLoad(i64(), outn), b_.CreateLoad(i64(), outd)};
}

std::optional<ir::Value> FrameEmitter::folded(ir::NodeId id) {
  if (auto it = folded_.find(id); it != folded_.end()) return it->second;
  const ir::Node& n = rs_.node(id);
  std::optional<ir::Value> out;
  auto operand = [&](std::uint32_t i) { return folded(rs_.child(n, i)); };
  switch (n.op) {
    case Op::constant:
      if (n.imm.den != 0) out = n.imm;
      break;
    case Op::neg:
      if (auto a = operand(0); a && ir::exact::neg(*a, out.emplace()) != ir::EvalError::none) out.reset();
      break;
    case Op::add: case Op::sub: case Op::mul: case Op::div: {
      // Left to right, as the interpreter folds an operation of several operands.
      auto acc = operand(0);
      for (std::uint32_t i = 1; acc && i < n.count; ++i) {
        auto b = operand(i);
        ir::Value r;
        auto e = !b ? ir::EvalError::overflow
                : n.op == Op::add ? ir::exact::add(*acc, *b, r)
                : n.op == Op::sub ? ir::exact::sub(*acc, *b, r)
                : n.op == Op::mul ? ir::exact::mul(*acc, *b, r)
                                  : ir::exact::div(*acc, *b, r);
        if (e == ir::EvalError::none) acc = r;
        else acc.reset();
      }
      out = acc;
      break;
    }
    default: break;
  }
  folded_[id] = out;
  return out;
}

// Is the node's value reduced by construction (constants, inputs, choices among them)?
bool FrameEmitter::reduced(ir::NodeId id) {
  const ir::Node& n = rs_.node(id);
  switch (n.op) {
    case Op::add: case Op::sub: case Op::mul: case Op::div: return integral(n.kind) || folded(id).has_value();
    case Op::tiered: return false;
    case Op::neg: return reduced(rs_.child(n, 0));
    case Op::def:
      for (auto& a : rs_.defs[n.a].alts)
        if (!reduced(a.root)) return false;
      return true;
    case Op::if_:
      return reduced(rs_.child(n, 1)) && reduced(rs_.child(n, 2));
    case Op::coalesce: case Op::min: case Op::max: case Op::clamp:
      for (std::uint32_t i = 0; i < n.count; ++i)
        if (!reduced(rs_.child(n, i))) return false;
      return true;
    default: return true;
  }
}

}  // namespace kijun::jit::detail
