// Expressions: each IR node becomes instructions that compute its (num, den) in the
// current block, faulting where the interpreter faults and evaluating only what it would
// evaluate (or, when speculating, what cannot be told apart).
#include <llvm/IR/MDBuilder.h>

#include <algorithm>

#include "compiler/backend/codegen.hpp"
#include "compiler/backend/codegen_emitter.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::jit::detail {

using ir::Op;
using llvm::BasicBlock;
using llvm::Value;

// A boolean's truth: the comparison itself when the value is one widened to i64.
Value* FrameEmitter::truth(ir::NodeId id) {
  Value* v = node(id).num;
  if (auto* widened = llvm::dyn_cast<llvm::ZExtInst>(v); widened && widened->getSrcTy()->isIntegerTy(1))
    return widened->getOperand(0);
  return b_.CreateICmpNE(v, c64(0));
}

Value* FrameEmitter::in_period(const ir::Period& p) {
  Value* ok = b_.getTrue();
  if (p.from) ok = b_.CreateAnd(ok, b_.CreateICmpSGE(as_of_, c64(*p.from)));
  if (p.until) ok = b_.CreateAnd(ok, b_.CreateICmpSLE(as_of_, c64(*p.until)));
  return ok;
}

CV FrameEmitter::branch(Value* cond, const std::function<CV()>& yes, const std::function<CV()>& no) {
  if (speculate_) {
    CV a = yes();
    CV c = no();
    return {b_.CreateSelect(cond, a.num, c.num), b_.CreateSelect(cond, a.den, c.den)};
  }
  BasicBlock* t = block("then");
  BasicBlock* e = block("else");
  BasicBlock* join = block("join");
  b_.CreateCondBr(cond, t, e);
  b_.SetInsertPoint(t);
  CV a = yes();
  BasicBlock* t_end = b_.GetInsertBlock();
  b_.CreateBr(join);
  b_.SetInsertPoint(e);
  CV c = no();
  BasicBlock* e_end = b_.GetInsertBlock();
  b_.CreateBr(join);
  b_.SetInsertPoint(join);
  auto* num = b_.CreatePHI(i64(), 2);
  auto* den = b_.CreatePHI(i64(), 2);
  num->addIncoming(a.num, t_end);
  num->addIncoming(c.num, e_end);
  den->addIncoming(a.den, t_end);
  den->addIncoming(c.den, e_end);
  return {num, den};
}

// In a chunk function each input is read once, at the start: the chunk is called for one
// row, every column it reads exists, and reading cannot fault.
CV FrameEmitter::input(const ir::Node& n) {
  if (!inputs_at_) return load_input(n);
  if (input_cache_.empty()) input_cache_.assign(rs_.inputs.size(), CV{nullptr, nullptr});
  CV& cached = input_cache_[n.a];
  if (!cached.num) {
    auto here = b_.saveIP();
    b_.SetInsertPoint(inputs_at_);
    cached = load_input(n);
    b_.restoreIP(here);
  }
  return cached;
}

CV FrameEmitter::load_input(const ir::Node& n) {
  std::uint32_t slot = n.a;
  const ir::Input& in = rs_.inputs[slot];
  Value* num;
  Value* den = c64(1);
  if (in.type.kind == dsl::Kind::bool_) {
    num = b_.CreateZExt(b_.CreateLoad(i8(), b_.CreateGEP(i8(), col_[slot], row_)), i64());
  } else {
    num = b_.CreateLoad(i64(), b_.CreateGEP(i64(), col_[slot], row_));
    if (in.type.kind == dsl::Kind::rate) den = b_.CreateLoad(i64(), b_.CreateGEP(i64(), den_[slot], row_));
  }
  if (!in.type.optional) return {num, den};
  // Absent is (0, 0), as the readers give it to the interpreter. A null bitmap means every
  // row is present: read a byte of ones instead, so no null pointer is ever dereferenced.
  Value* no_bitmap = b_.CreateICmpEQ(valid_[slot], llvm::ConstantPointerNull::get(b_.getPtrTy()));
  Value* address = b_.CreateSelect(no_bitmap, all_present(), b_.CreateGEP(i8(), valid_[slot], b_.CreateLShr(row_, c64(3))));
  Value* byte = b_.CreateLoad(i8(), address);
  Value* bit = b_.CreateAnd(b_.CreateLShr(byte, b_.CreateTrunc(b_.CreateAnd(row_, c64(7)), i8())), b_.getInt8(1));
  Value* present = b_.CreateICmpNE(bit, b_.getInt8(0));
  return {b_.CreateSelect(present, num, c64(0)), b_.CreateSelect(present, den, c64(0))};
}

CV FrameEmitter::def_body(std::uint32_t d) {
  const ir::Def& def = rs_.defs[d];
  // An applicant's definition binds its own list operations from level 0 (as the interpreter).
  const std::size_t outer_base = base_;
  if (def.record < 0) base_ = bound_.size();
  struct Restore {
    std::size_t& at;
    std::size_t to;
    ~Restore() { at = to; }
  } restore{base_, outer_base};
  // The first alternative in force on the as-of date; none is a fault.
  std::function<CV(std::size_t)> alt = [&](std::size_t i) -> CV {
    if (i == def.alts.size()) {
      fail_if(b_.getTrue(), ir::EvalError::no_value_in_force, d | ir::def_site_flag);
      return {c64(0), c64(1)};
    }
    const auto& a = def.alts[i];
    if (!a.period.from && !a.period.until) return node(a.root);
    return branch(in_period(a.period), [&] { return node(a.root); }, [&] { return alt(i + 1); });
  };
  return alt(0);
}

CV FrameEmitter::def(std::uint32_t d) {
  if (auto it = eager_.find(d); it != eager_.end()) return it->second;
  if (!memo_.count(d)) {
    // Only reached while the row starts: an infallible definition needed by another one.
    CV v = def_body(d);
    eager_[d] = v;
    return v;
  }
  return memoised(memo_.at(d), [&] { return def_body(d); });
}

// A value computed where it is first needed and kept in `slots` (ready flag, num, den).
CV FrameEmitter::memoised(const std::array<Value*, 3>& slots, const std::function<CV()>& compute) {
  BasicBlock* computing = block("memo.compute");
  BasicBlock* have = block("memo.have");
  b_.CreateCondBr(b_.CreateLoad(i1(), slots[0]), have, computing);
  b_.SetInsertPoint(computing);
  CV v = compute();
  b_.CreateStore(v.num, slots[1]);
  b_.CreateStore(v.den, slots[2]);
  b_.CreateStore(b_.getTrue(), slots[0]);
  b_.CreateBr(have);
  b_.SetInsertPoint(have);
  return {b_.CreateLoad(i64(), slots[1]), b_.CreateLoad(i64(), slots[2])};
}

// A table keyed by one enum is an array: the output of the first row matching each
// value, indexed by the value; codes outside the enum fault as "no row matched".
CV FrameEmitter::enum_table(const ir::Node& n, ir::NodeId id, Value* key, std::size_t values) {
  const ir::Table& t = rs_.tables[n.a];
  std::vector<llvm::Constant*> nums, dens;
  std::vector<bool> matched(values, false);
  for (std::size_t v = 0; v < values; ++v) {
    ir::Value out{0, 1};
    for (auto& row : t.rows) {
      const auto& cell = row.keys[0];
      bool hit = cell.kind == ir::TableCell::Kind::any ||
                 (cell.kind == ir::TableCell::Kind::values &&
                  std::find(cell.values.begin(), cell.values.end(), static_cast<std::int64_t>(v)) != cell.values.end()) ||
                 (cell.kind == ir::TableCell::Kind::range && static_cast<std::int64_t>(v) >= cell.lo && static_cast<std::int64_t>(v) <= cell.hi);
      if (hit) {
        out = row.outputs[n.b];
        matched[v] = true;
        break;
      }
    }
    nums.push_back(llvm::ConstantInt::getSigned(i64(), out.num));
    dens.push_back(llvm::ConstantInt::getSigned(i64(), matched[v] ? out.den : 0));
  }
  auto array = [&](std::vector<llvm::Constant*>& elems, const char* name) {
    auto* ty = llvm::ArrayType::get(i64(), elems.size());
    return new llvm::GlobalVariable(m_, ty, true, llvm::GlobalValue::PrivateLinkage, llvm::ConstantArray::get(ty, elems), name);
  };
  auto* num_table = array(nums, "table.num");
  auto* den_table = array(dens, "table.den");
  Value* in_range = b_.CreateICmpULT(key, c64(static_cast<std::int64_t>(values)));
  Value* index = b_.CreateSelect(in_range, key, c64(0));
  Value* num = b_.CreateLoad(i64(), b_.CreateGEP(num_table->getValueType(), num_table, {c64(0), index}));
  Value* den = b_.CreateLoad(i64(), b_.CreateGEP(den_table->getValueType(), den_table, {c64(0), index}));
  Value* ok = b_.CreateAnd(in_range, b_.CreateICmpNE(den, c64(0)));
  if (speculate_) return {b_.CreateSelect(ok, num, c64(0)), b_.CreateSelect(ok, den, c64(1))};
  fail_if(b_.CreateNot(ok), ir::EvalError::table_no_match, id);
  return {num, den};
}

CV FrameEmitter::table(const ir::Node& n, ir::NodeId id) {
  const ir::Table& t = rs_.tables[n.a];
  std::vector<Value*> keys;
  const std::size_t outer_base = base_;
  if (t.record < 0) base_ = bound_.size();  // as def_body: an applicant table's keys bind from level 0
  for (auto k : t.keys) keys.push_back(node(k).num);
  base_ = outer_base;
  if (t.keys.size() == 1 && rs_.node(t.keys[0]).kind == dsl::Kind::enumeration) {
    const ir::Node& key = rs_.node(t.keys[0]);
    std::size_t values = key.op == Op::input   ? rs_.enums[rs_.inputs[key.a].type.enum_id].values.size()
                         : key.op == Op::field ? rs_.enums[field_of(key).type.enum_id].values.size()
                                               : 0;
    if (values > 0) return enum_table(n, id, keys[0], values);
  }
  // First matching row wins: fold the rows from the last to the first.
  Value* num = c64(0);
  Value* den = c64(1);
  Value* any = b_.getFalse();
  for (std::size_t r = t.rows.size(); r-- > 0;) {
    const ir::TableRow& row = t.rows[r];
    Value* match = b_.getTrue();
    for (std::size_t c = 0; c < keys.size(); ++c) {
      const ir::TableCell& cell = row.keys[c];
      Value* ok = b_.getTrue();
      if (cell.kind == ir::TableCell::Kind::values) {
        ok = b_.getFalse();
        for (auto v : cell.values) ok = b_.CreateOr(ok, b_.CreateICmpEQ(keys[c], c64(v)));
      } else if (cell.kind == ir::TableCell::Kind::range) {
        ok = b_.CreateAnd(b_.CreateICmpSGE(keys[c], c64(cell.lo)), b_.CreateICmpSLE(keys[c], c64(cell.hi)));
      }
      match = b_.CreateAnd(match, ok);
    }
    const ir::Value& out = row.outputs[n.b];
    num = b_.CreateSelect(match, c64(out.num), num);
    den = b_.CreateSelect(match, c64(out.den), den);
    any = b_.CreateOr(any, match);
  }
  fail_if(b_.CreateNot(any), ir::EvalError::table_no_match, id);
  return {num, den};
}

// A choice (`and`, `or`, `implies`, `if`, `??`) whose operands can all be evaluated in
// advance is computed without branches, as a straight rule is: the interpreter's
// short-circuit cannot tell the difference, and fewer blocks are less for LLVM to work on.
CV FrameEmitter::node(ir::NodeId id) {
  if (speculate_) return node_value(id);
  switch (rs_.node(id).op) {
    case Op::and_: case Op::or_: case Op::implies: case Op::if_: case Op::coalesce:
      if (speculation_.node(id)) {
        speculate_ = true;
        CV v = node_value(id);
        speculate_ = false;
        return v;
      }
      break;
    default: break;
  }
  return node_value(id);
}

CV FrameEmitter::node_value(ir::NodeId id) {
  const ir::Node& n = rs_.node(id);
  auto kid = [&](std::uint32_t i) { return node(rs_.child(n, i)); };
  auto boolean = [&](Value* v) { return integer(b_.CreateZExt(v, i64())); };
  using P = llvm::CmpInst::Predicate;
  switch (n.op) {
    case Op::constant: return {c64(n.imm.num), c64(n.imm.den)};
    case Op::input: return input(n);
    case Op::def: return rs_.defs[n.a].record >= 0 ? element_def(n) : def(n.a);
    case Op::field: return field(n);
    case Op::list_count: case Op::list_sum: case Op::list_all: case Op::list_any: case Op::list_min: case Op::list_max:
      return list(n, id);
    case Op::table: return table(n, id);
    case Op::as_of: return integer(as_of_);
    case Op::frame: return integer(c64(frame_));
    case Op::present: return boolean(b_.CreateICmpNE(kid(0).den, c64(0)));
    case Op::not_: return boolean(b_.CreateICmpEQ(kid(0).num, c64(0)));
    case Op::and_: case Op::or_: return logic(n);
    case Op::implies:
      return branch(truth(rs_.child(n, 0)), [&] { return boolean(truth(rs_.child(n, 1))); }, [&] { return integer(c64(1)); });
    case Op::if_: return branch(truth(rs_.child(n, 0)), [&] { return kid(1); }, [&] { return kid(2); });
    case Op::coalesce: {
      CV v = kid(0);
      return branch(b_.CreateICmpNE(v.den, c64(0)), [&] { return v; }, [&] { return kid(1); });
    }
    case Op::neg: case Op::add: case Op::sub: case Op::mul: case Op::div:
      if (auto c = folded(id)) return {c64(c->num), c64(c->den)};
      return arith(n, id);
    case Op::tiered: return tiered(n, id);
    case Op::eq: { CV a = kid(0), c = kid(1); return boolean(compare(n, a, c, P::ICMP_EQ)); }
    case Op::ne: { CV a = kid(0), c = kid(1); return boolean(compare(n, a, c, P::ICMP_NE)); }
    case Op::lt: { CV a = kid(0), c = kid(1); return boolean(compare(n, a, c, P::ICMP_SLT)); }
    case Op::le: { CV a = kid(0), c = kid(1); return boolean(compare(n, a, c, P::ICMP_SLE)); }
    case Op::gt: { CV a = kid(0), c = kid(1); return boolean(compare(n, a, c, P::ICMP_SGT)); }
    case Op::ge: { CV a = kid(0), c = kid(1); return boolean(compare(n, a, c, P::ICMP_SGE)); }
    case Op::in_set: {
      CV s = kid(0);
      Value* any = b_.getFalse();
      for (std::uint32_t i = 1; i < n.count; ++i) {
        const ir::Node& el = rs_.node(rs_.child(n, i));
        CV e = kid(i);
        bool fast = integral(rs_.node(rs_.child(n, 0)).kind) && integral(el.kind);
        Value* eq = fast ? b_.CreateICmpEQ(s.num, e.num)
                         : b_.CreateICmpEQ(b_.CreateMul(b_.CreateSExt(s.num, i128()), b_.CreateSExt(e.den, i128())),
                                           b_.CreateMul(b_.CreateSExt(e.num, i128()), b_.CreateSExt(s.den, i128())));
        any = b_.CreateOr(any, eq);
      }
      return boolean(any);
    }
    case Op::floor:
    case Op::ceil: {
      CV v = kid(0);
      if (integral(rs_.node(rs_.child(n, 0)).kind)) return integer(v.num);
      Value* q = b_.CreateSDiv(v.num, v.den);
      Value* inexact = b_.CreateICmpNE(b_.CreateSRem(v.num, v.den), c64(0));
      Value* adjust = n.op == Op::floor ? b_.CreateAnd(inexact, b_.CreateICmpSLT(v.num, c64(0)))
                                        : b_.CreateAnd(inexact, b_.CreateICmpSGT(v.num, c64(0)));
      return integer(n.op == Op::floor ? b_.CreateSub(q, b_.CreateZExt(adjust, i64())) : b_.CreateAdd(q, b_.CreateZExt(adjust, i64())));
    }
    case Op::min:
    case Op::max: {
      CV best = kid(0);
      for (std::uint32_t i = 1; i < n.count; ++i) {
        CV v = kid(i);
        Value* l = b_.CreateMul(b_.CreateSExt(v.num, i128()), b_.CreateSExt(best.den, i128()));
        Value* r = b_.CreateMul(b_.CreateSExt(best.num, i128()), b_.CreateSExt(v.den, i128()));
        Value* take = n.op == Op::min ? b_.CreateICmpSLT(l, r) : b_.CreateICmpSGT(l, r);
        best = {b_.CreateSelect(take, v.num, best.num), b_.CreateSelect(take, v.den, best.den)};
      }
      return best;
    }
    case Op::clamp: {
      CV v = kid(0), lo = kid(1), hi = kid(2);
      auto less = [&](CV a, CV c) {
        return b_.CreateICmpSLT(b_.CreateMul(b_.CreateSExt(a.num, i128()), b_.CreateSExt(c.den, i128())),
                                b_.CreateMul(b_.CreateSExt(c.num, i128()), b_.CreateSExt(a.den, i128())));
      };
      Value* below = less(v, lo);
      v = {b_.CreateSelect(below, lo.num, v.num), b_.CreateSelect(below, lo.den, v.den)};
      Value* above = less(hi, v);
      return {b_.CreateSelect(above, hi.num, v.num), b_.CreateSelect(above, hi.den, v.den)};
    }
    case Op::add_days: {
      auto* add = llvm::Intrinsic::getDeclaration(&m_, llvm::Intrinsic::sadd_with_overflow, {i64()});
      Value* r = b_.CreateCall(add, {kid(0).num, c64(n.imm.num)});
      Value* d = b_.CreateExtractValue(r, 0);
      Value* bad = b_.CreateOr(b_.CreateExtractValue(r, 1),
                               b_.CreateOr(b_.CreateICmpSLT(d, c64(dsl::min_day)), b_.CreateICmpSGT(d, c64(dsl::max_day))));
      fail_if(bad, ir::EvalError::date_out_of_range, id);
      return integer(d);
    }
    case Op::add_months: return add_months(kid(0).num, n.imm.num, id);
    case Op::call_ext: return call(n, id);
    case Op::days_between: {
      CV a = kid(0), c = kid(1);
      return integer(b_.CreateSub(a.num, c.num));
    }
  }
  return {c64(0), c64(1)};
}

// An extension function: arguments left to right into scratch memory, then a call
// through the ruleset's function table; no function, or a fault it reports, is a fault.
CV FrameEmitter::call(const ir::Node& n, ir::NodeId id) {
  if (!args_) args_ = entry_alloca(i64(), 16);
  if (!ext_fault_) ext_fault_ = entry_alloca(b_.getInt32Ty());
  for (std::uint32_t i = 0; i < n.count; ++i) b_.CreateStore(node(rs_.child(n, i)).num, b_.CreateConstGEP1_32(i64(), args_, i));
  auto* table_ty = llvm::ArrayType::get(ptr(), rs_.functions.size());
  Value* fn = b_.CreateLoad(ptr(), b_.CreateConstGEP2_32(table_ty, extension_table(), 0, n.a));
  fail_if(b_.CreateICmpEQ(fn, llvm::ConstantPointerNull::get(b_.getPtrTy())), ir::EvalError::extension_fault, id);
  b_.CreateStore(b_.getInt32(0), ext_fault_);
  auto* fn_ty = llvm::FunctionType::get(i64(), {ptr(), ptr()}, false);
  Value* r = b_.CreateCall(fn_ty, fn, {args_, ext_fault_});
  fail_if(b_.CreateICmpNE(b_.CreateLoad(b_.getInt32Ty(), ext_fault_), b_.getInt32(0)), ir::EvalError::extension_fault, id);
  if (n.kind == dsl::Kind::bool_) r = b_.CreateZExt(b_.CreateICmpNE(r, c64(0)), i64());
  return integer(r);
}

// The table of extension functions: defined (zeroed, filled by the plugin loader) in an
// ahead-of-time plugin, external (defined by the JIT's host) otherwise.
llvm::GlobalVariable* FrameEmitter::extension_table() {
  if (auto* g = m_.getGlobalVariable(extension_table_symbol)) return g;
  auto* ty = llvm::ArrayType::get(ptr(), rs_.functions.size());
  return new llvm::GlobalVariable(m_, ty, false, llvm::GlobalValue::ExternalLinkage,
                                  define_table_ ? llvm::ConstantAggregateZero::get(ty) : nullptr, extension_table_symbol);
}

}  // namespace kijun::jit::detail
