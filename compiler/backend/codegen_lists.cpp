// Lists in generated code (docs/design/lists.md): a list operation is a loop over the
// row's elements, offsets[row] .. offsets[row + 1] - 1 (kijun/batch.h), with the element
// bound for its body and filter; a field read loads the element's entry of the field's
// column; a definition applied to an element is computed there, per element, never
// memoised. The steps, their order and their faults are the interpreter's
// (compiler/ir/interpreter_lists.cpp): elements in order, the filter before the body, a
// sum checked step by step, `all` and `any` stopping at the element that decides.
#include "compiler/backend/codegen_emitter.hpp"

namespace kijun::jit::detail {

using ir::Op;

void FrameEmitter::load_list_columns(Value* lists) {
  auto* list_ty = llvm::StructType::get(ctx_, {ptr(), ptr(), ptr()});
  field_col_.assign(rs_.inputs.size(), {});
  field_den_.assign(rs_.inputs.size(), {});
  field_valid_.assign(rs_.inputs.size(), {});
  for (auto slot : f_.inputs) {
    const auto& type = rs_.inputs[slot].type;
    if (type.kind != dsl::Kind::list) continue;
    Value* list = b_.CreateConstGEP1_64(list_ty, lists, slot);
    Value* values = b_.CreateLoad(ptr(), b_.CreateStructGEP(list_ty, list, 0));
    Value* denoms = b_.CreateLoad(ptr(), b_.CreateStructGEP(list_ty, list, 1));
    Value* validity = b_.CreateLoad(ptr(), b_.CreateStructGEP(list_ty, list, 2));
    const auto& fields = rs_.records[type.enum_id].fields;
    field_col_[slot].assign(fields.size(), nullptr);
    field_den_[slot].assign(fields.size(), nullptr);
    field_valid_[slot].assign(fields.size(), nullptr);
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (fields[f].type.kind == dsl::Kind::text) continue;
      field_col_[slot][f] = b_.CreateLoad(ptr(), b_.CreateConstGEP1_64(ptr(), values, f));
      if (fields[f].type.kind == dsl::Kind::rate)
        field_den_[slot][f] = b_.CreateLoad(ptr(), b_.CreateConstGEP1_64(ptr(), denoms, f));
      if (fields[f].type.optional) field_valid_[slot][f] = b_.CreateLoad(ptr(), b_.CreateConstGEP1_64(ptr(), validity, f));
    }
  }
}

const ir::Input& FrameEmitter::field_of(const ir::Node& n) const {
  const Bound& e = bound_[base_ + n.b];
  return rs_.records[rs_.inputs[e.slot].type.enum_id].fields[n.a];
}

// As load_input, with the element's index for the row.
CV FrameEmitter::field(const ir::Node& n) {
  const Bound& e = bound_[base_ + n.b];
  const ir::Input& in = field_of(n);
  Value* at = e.index;
  Value* num;
  Value* den = c64(1);
  if (in.type.kind == dsl::Kind::bool_) {
    num = b_.CreateZExt(b_.CreateLoad(i8(), b_.CreateGEP(i8(), field_col_[e.slot][n.a], at)), i64());
  } else {
    num = b_.CreateLoad(i64(), b_.CreateGEP(i64(), field_col_[e.slot][n.a], at));
    if (in.type.kind == dsl::Kind::rate) den = b_.CreateLoad(i64(), b_.CreateGEP(i64(), field_den_[e.slot][n.a], at));
  }
  if (!in.type.optional) return {num, den};
  Value* bitmap = field_valid_[e.slot][n.a];
  Value* no_bitmap = b_.CreateICmpEQ(bitmap, llvm::ConstantPointerNull::get(b_.getPtrTy()));
  Value* address = b_.CreateSelect(no_bitmap, all_present(), b_.CreateGEP(i8(), bitmap, b_.CreateLShr(at, c64(3))));
  Value* byte = b_.CreateLoad(i8(), address);
  Value* bit = b_.CreateAnd(b_.CreateLShr(byte, b_.CreateTrunc(b_.CreateAnd(at, c64(7)), i8())), b_.getInt8(1));
  Value* present = b_.CreateICmpNE(bit, b_.getInt8(0));
  return {b_.CreateSelect(present, num, c64(0)), b_.CreateSelect(present, den, c64(0))};
}

// The definition with the element of level b as its only binding (its level 0), computed
// the first time an element's turn needs it and kept for the rest of that turn, as the
// interpreter keeps it per element.
CV FrameEmitter::element_def(const ir::Node& n) {
  Bound e = bound_[base_ + n.b];
  auto key = std::make_pair(n.a, e.start);
  auto memo = element_memo_.find(key);
  if (memo == element_memo_.end()) {
    std::array<llvm::AllocaInst*, 3> slots{entry_alloca(i1()), entry_alloca(i64()), entry_alloca(i64())};
    llvm::IRBuilder<> at(e.start, e.start->getFirstInsertionPt());
    at.CreateStore(b_.getFalse(), slots[0]);
    memo = element_memo_.emplace(key, slots).first;
  }
  const auto& slots = memo->second;
  return memoised({slots[0], slots[1], slots[2]}, [&] {
    std::size_t outer = base_;
    base_ = bound_.size();
    bound_.push_back(e);
    CV v = def_body(n.a);
    bound_.pop_back();
    base_ = outer;
    return v;
  });
}

// The loop keeps its index and accumulator in entry-block slots, which the optimiser
// turns into registers: simpler than phis across the blocks a body may branch through.
CV FrameEmitter::list(const ir::Node& n, ir::NodeId id) {
  const std::uint32_t slot = n.a;
  const bool filtered = n.b & 1u;
  const ir::NodeId filter = filtered ? rs_.child(n, n.count - 1) : ir::no_node;
  const ir::NodeId body = n.op == Op::list_count ? ir::no_node : rs_.child(n, 0);
  const dsl::Kind kind = n.kind;
  const bool speculating = speculate_;

  Value* offsets = col_[slot];
  Value* first = b_.CreateLoad(i64(), b_.CreateGEP(i64(), offsets, row_));
  Value* end = b_.CreateLoad(i64(), b_.CreateGEP(i64(), offsets, b_.CreateAdd(row_, c64(1))));
  auto* index = entry_alloca(i64());
  auto* acc_num = entry_alloca(i64());
  auto* acc_den = entry_alloca(i64());
  b_.CreateStore(first, index);
  bool extremum = n.op == Op::list_min || n.op == Op::list_max;
  b_.CreateStore(c64(n.op == Op::list_all ? 1 : 0), acc_num);
  b_.CreateStore(c64(extremum ? 0 : 1), acc_den);  // min and max of none: absent

  BasicBlock* header = block("list.header");
  BasicBlock* element = block("list.element");
  BasicBlock* next = block("list.next");
  BasicBlock* done = block("list.done");
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  Value* i = b_.CreateLoad(i64(), index);
  b_.CreateCondBr(b_.CreateICmpSLT(i, end), element, done);
  b_.SetInsertPoint(element);
  bound_.push_back({slot, i, element});
  if (filter != ir::no_node) {
    BasicBlock* chosen = block("list.chosen");
    b_.CreateCondBr(truth(filter), chosen, next);
    b_.SetInsertPoint(chosen);
  }
  CV acc{b_.CreateLoad(i64(), acc_num), b_.CreateLoad(i64(), acc_den)};
  switch (n.op) {
    case Op::list_count: b_.CreateStore(b_.CreateAdd(acc.num, c64(1)), acc_num); break;
    case Op::list_sum: {
      dsl::Kind body_kind = rs_.node(body).kind;
      CV v = node(body);
      CV sum = arith_step(Op::add, acc, kind, v, body_kind, id);
      b_.CreateStore(sum.num, acc_num);
      b_.CreateStore(sum.den, acc_den);
      break;
    }
    case Op::list_all:
    case Op::list_any: {
      // The element that decides ends the loop with the answer.
      Value* t = truth(body);
      bool decided = n.op == Op::list_any;
      BasicBlock* decide = block("list.decided");
      b_.CreateCondBr(decided ? t : b_.CreateNot(t), decide, next);
      b_.SetInsertPoint(decide);
      b_.CreateStore(c64(decided ? 1 : 0), acc_num);
      b_.CreateBr(done);
      b_.SetInsertPoint(next);
      break;
    }
    case Op::list_min:
    case Op::list_max: {
      CV v = node(body);
      auto pred = n.op == Op::list_min ? llvm::CmpInst::ICMP_SLT : llvm::CmpInst::ICMP_SGT;
      Value* none = b_.CreateICmpEQ(acc.den, c64(0));
      Value* better = b_.CreateOr(none, compare(v, kind, {acc.num, b_.CreateSelect(none, c64(1), acc.den)}, kind, pred));
      b_.CreateStore(b_.CreateSelect(better, v.num, acc.num), acc_num);
      b_.CreateStore(b_.CreateSelect(better, v.den, acc.den), acc_den);
      break;
    }
    default: break;
  }
  bound_.pop_back();
  if (b_.GetInsertBlock() != next) b_.CreateBr(next);
  b_.SetInsertPoint(next);
  b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64(), index), c64(1)), index);
  b_.CreateBr(header);
  b_.SetInsertPoint(done);
  speculate_ = speculating;
  return {b_.CreateLoad(i64(), acc_num), b_.CreateLoad(i64(), acc_den)};
}

}  // namespace kijun::jit::detail
