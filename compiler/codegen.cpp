// Lowers a frame of the IR to one LLVM function over a row range of a columnar batch
// (compiler/batch.hpp). The generated code follows the interpreter step by step:
//
// - values are (num, den) pairs as in the interpreter; integral kinds (bool, int, yen,
//   date, enum) use checked i64 arithmetic. A rational result is reduced by its gcd only
//   when it must be: when its 128-bit parts do not fit in 64 bits (then the reduction
//   decides overflow exactly as exact::make does), and for the `rate` output. A fraction
//   whose parts fit in 64 bits reduces to parts that fit too, and comparisons, `floor`
//   and further arithmetic give the same results on it, so the bits that leave the
//   function are the interpreter's;
// - `and`, `or`, `implies`, `if` and `??` branch, so nothing is evaluated that the
//   interpreter would not evaluate; a fault branches to the row's error block with the
//   same code, rule and site as the interpreter reports;
// - definitions that cannot fault are computed once at the start of each row; the others
//   are memoised per row and computed where the interpreter would first need them.
//
// - a rule that can neither fault nor trap is evaluated without branches: every operand
//   is computed and `select` picks, which the interpreter's short-circuit cannot tell
//   apart, and which keeps unpredictable applicant data from stalling the pipeline.
//
// The loop calls nothing per row: no C++ callbacks, no allocation, no exceptions.
#include "compiler/codegen.hpp"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <set>

#include "compiler/batch.hpp"
#include "dsl/calendar.hpp"

namespace kijun::jit {

namespace {

using ir::Op;
using llvm::BasicBlock;
using llvm::Value;

bool integral(dsl::Kind k) { return k != dsl::Kind::rate && k != dsl::Kind::yen_exact; }

// Does evaluating this node possibly fault? (Overflow, division, dates, tables, dated defs.)
class Fallibility {
public:
  explicit Fallibility(const ir::Ruleset& rs) : rs_(rs), def_state_(rs.defs.size(), 0) {}

  bool node(ir::NodeId id) {
    const ir::Node& n = rs_.node(id);
    switch (n.op) {
      case Op::neg: case Op::add: case Op::sub: case Op::mul: case Op::div:
      case Op::add_days: case Op::add_months: case Op::table: case Op::call_ext:
        return true;
      case Op::def: return def(n.a);
      default: break;
    }
    for (std::uint32_t i = 0; i < n.count; ++i)
      if (node(rs_.child(n, i))) return true;
    return false;
  }

  bool def(std::uint32_t d) {
    if (def_state_[d]) return def_state_[d] == 2;
    def_state_[d] = 1;
    const auto& alts = rs_.defs[d].alts;
    bool always = alts.size() == 1 && !alts[0].period.from && !alts[0].period.until;
    bool fallible = !always;
    for (auto& a : alts) fallible = fallible || node(a.root);
    def_state_[d] = fallible ? 2 : 1;
    return fallible;
  }

private:
  const ir::Ruleset& rs_;
  std::vector<std::uint8_t> def_state_;  // 0 unknown, 1 infallible, 2 fallible
};

// Can this node be evaluated although the interpreter might not evaluate it? Only when
// nothing in it can fault, and no division can meet an absent value's zero denominator.
class Speculation {
public:
  Speculation(const ir::Ruleset& rs, Fallibility& fallible) : rs_(rs), fallible_(fallible) {}
  bool node(ir::NodeId id) {
    const ir::Node& n = rs_.node(id);
    if (fallible_.node(id)) return false;
    if ((n.op == Op::floor || n.op == Op::ceil) && !integral(rs_.node(rs_.child(n, 0)).kind)) return false;
    if (n.op == Op::def)
      for (auto& a : rs_.defs[n.a].alts)
        if (!node(a.root)) return false;
    for (std::uint32_t i = 0; i < n.count; ++i)
      if (!node(rs_.child(n, i))) return false;
    return true;
  }

private:
  const ir::Ruleset& rs_;
  Fallibility& fallible_;
};

struct CV {
  Value* num;
  Value* den;
};

class FrameEmitter {
public:
  FrameEmitter(const ir::Ruleset& rs, std::uint32_t frame, llvm::Module& m, bool define_table)
      : rs_(rs), f_(rs.frames[frame]), frame_(frame), m_(m), ctx_(m.getContext()), b_(ctx_), fallible_(rs),
        speculation_(rs, fallible_), define_table_(define_table) {}

  llvm::Function* emit(const std::string& name);

private:
  // Types and constants.
  llvm::Type* i1() { return b_.getInt1Ty(); }
  llvm::Type* i8() { return b_.getInt8Ty(); }
  llvm::Type* i32() { return b_.getInt32Ty(); }
  llvm::Type* i64() { return b_.getInt64Ty(); }
  llvm::Type* i128() { return b_.getIntNTy(128); }
  llvm::Type* ptr() { return b_.getPtrTy(); }
  Value* c64(std::int64_t v) { return b_.getInt64(static_cast<std::uint64_t>(v)); }
  CV integer(Value* v) { return {v, c64(1)}; }
  BasicBlock* block(const char* name) { return BasicBlock::Create(ctx_, name, fn_); }
  // Scratch memory lives in the entry block: an alloca inside the row loop would grow the
  // stack on every row that reaches it.
  llvm::AllocaInst* entry_alloca(llvm::Type* t, unsigned count = 1) {
    llvm::IRBuilder<> at(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
    return at.CreateAlloca(t, at.getInt32(count));
  }

  // Structure.
  void load_columns(Value* in);
  void load_outputs(Value* out);
  void begin_row();
  void emit_rule(std::uint32_t position);
  void emit_straight_rule(const ir::Rule& r, std::uint32_t position);
  void finish_row();
  void emit_error_block();
  void fail_if(Value* bad, ir::EvalError code, std::uint32_t site);

  // Values.
  CV node(ir::NodeId id);
  CV input(const ir::Node& n);
  llvm::GlobalVariable* all_present() {
    if (!ones_)
      ones_ = new llvm::GlobalVariable(m_, i8(), true, llvm::GlobalValue::PrivateLinkage, b_.getInt8(0xFF), "validity.all");
    return ones_;
  }
  CV def(std::uint32_t d);
  CV def_body(std::uint32_t d);
  CV table(const ir::Node& n, ir::NodeId id);
  CV enum_table(const ir::Node& n, ir::NodeId id, Value* key, std::size_t values);
  CV arith(const ir::Node& n, ir::NodeId id);
  Value* truth(ir::NodeId id) { return b_.CreateICmpNE(node(id).num, c64(0)); }
  Value* compare(const ir::Node& n, CV a, CV b, llvm::CmpInst::Predicate pred);
  Value* in_period(const ir::Period& p);
  CV branch(Value* cond, const std::function<CV()>& yes, const std::function<CV()>& no);
  CV make_rational(Value* num128, Value* den128, std::uint32_t site);
  CV canonical(CV v);
  bool reduced(ir::NodeId id);
  llvm::Function* make_rational_fn();
  Value* checked(llvm::Intrinsic::ID op, Value* a, Value* b, std::uint32_t site);
  CV add_months(Value* day, std::int64_t months, std::uint32_t site);
  CV call(const ir::Node& n, ir::NodeId id);
  llvm::GlobalVariable* extension_table();
  Value* days_from_civil(Value* y, Value* m, Value* d);
  void civil_from_days(Value* z, Value*& y, Value*& m, Value*& d);

  void set_bit(llvm::AllocaInst* words, std::uint32_t k);

  const ir::Ruleset& rs_;
  const ir::Frame& f_;
  std::uint32_t frame_;
  llvm::Module& m_;
  llvm::LLVMContext& ctx_;
  llvm::IRBuilder<> b_;
  Fallibility fallible_;
  Speculation speculation_;
  bool speculate_ = false;  // evaluate both sides of `and`, `or`, `if`, `??` and select
  llvm::Function* fn_ = nullptr;
  llvm::Function* make_rational_ = nullptr;
  llvm::GlobalVariable* ones_ = nullptr;
  llvm::AllocaInst* args_ = nullptr;
  llvm::AllocaInst* fault_ = nullptr;
  bool define_table_ = false;

  std::vector<Value*> col_, den_, valid_;
  Value* as_of_col_ = nullptr;
  Value* as_of_day_ = nullptr;
  std::vector<Value*> outs_;  // kijun_batch_out fields in order
  Value* row_ = nullptr;
  Value* as_of_ = nullptr;
  std::uint32_t words_ = 1;
  llvm::AllocaInst* failed_ = nullptr;
  llvm::AllocaInst* scored_ = nullptr;
  llvm::AllocaInst* bonus_ = nullptr;
  llvm::AllocaInst* penalty_ = nullptr;
  llvm::AllocaInst* err_code_ = nullptr;
  llvm::AllocaInst* err_rule_ = nullptr;
  llvm::AllocaInst* err_site_ = nullptr;
  std::int32_t current_rule_ = -1;
  BasicBlock* error_bb_ = nullptr;
  BasicBlock* row_end_ = nullptr;
  // Lazily computed definitions: a flag and the value, per row.
  std::map<std::uint32_t, std::array<llvm::AllocaInst*, 3>> memo_;
  // Definitions computed at the start of the row.
  std::map<std::uint32_t, CV> eager_;
  std::set<std::uint32_t> used_;  // definitions the frame can reach
};

Value* FrameEmitter::checked(llvm::Intrinsic::ID op, Value* a, Value* b, std::uint32_t site) {
  auto* f = llvm::Intrinsic::getDeclaration(&m_, op, {i64()});
  Value* r = b_.CreateCall(f, {a, b});
  fail_if(b_.CreateExtractValue(r, 1), ir::EvalError::overflow, site);
  return b_.CreateExtractValue(r, 0);
}

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

// (num, den) from 128-bit parts, exactly as exact::make: sign onto the numerator, divide
// by the gcd, then both must fit in int64 or the operation overflowed. When both parts fit
// in 64 bits (nearly always) the whole reduction runs in 64-bit instructions; 128-bit
// division is a library call and only the rare large case pays for it.
llvm::Function* FrameEmitter::make_rational_fn() {
  if (make_rational_) return make_rational_;
  auto* ty = llvm::FunctionType::get(i1(), {i128(), i128(), ptr(), ptr()}, false);
  auto* f = llvm::Function::Create(ty, llvm::Function::PrivateLinkage, "kijun.make_rational", m_);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(ctx_);
  auto bb = [&](const char* name) { return BasicBlock::Create(ctx_, name, f); };
  auto k128 = [&](std::int64_t v) { return llvm::ConstantInt::getSigned(i128(), v); };
  // Euclid's algorithm at one width, from the current block: leaves the builder after the
  // loop and returns max(gcd, 1).
  auto gcd = [&](llvm::Type* width, Value* a, Value* d, const char* name) {
    auto k = [&](std::int64_t v) { return llvm::ConstantInt::getSigned(width, v); };
    BasicBlock* from = b.GetInsertBlock();
    auto* loop = bb((std::string(name) + ".gcd").c_str());
    auto* step = bb((std::string(name) + ".step").c_str());
    auto* done = bb((std::string(name) + ".done").c_str());
    Value* magnitude = b.CreateSelect(b.CreateICmpSLT(a, k(0)), b.CreateNeg(a), a);
    b.CreateBr(loop);
    b.SetInsertPoint(loop);
    auto* x = b.CreatePHI(width, 2);
    auto* y = b.CreatePHI(width, 2);
    x->addIncoming(magnitude, from);
    y->addIncoming(d, from);
    b.CreateCondBr(b.CreateICmpEQ(y, k(0)), done, step);
    b.SetInsertPoint(step);
    x->addIncoming(y, step);
    y->addIncoming(b.CreateURem(x, y), step);
    b.CreateBr(loop);
    b.SetInsertPoint(done);
    return b.CreateSelect(b.CreateICmpUGT(x, k(1)), x, k(1));
  };
  auto* entry = bb("entry");
  auto* small = bb("small");
  auto* large = bb("large");

  b.SetInsertPoint(entry);
  Value* num = f->getArg(0);
  Value* den = f->getArg(1);
  Value* neg = b.CreateICmpSLT(den, k128(0));
  num = b.CreateSelect(neg, b.CreateNeg(num), num);
  den = b.CreateSelect(neg, b.CreateNeg(den), den);
  Value* fits = b.CreateAnd(b.CreateAnd(b.CreateICmpSGT(num, k128(INT64_MIN)), b.CreateICmpSLE(num, k128(INT64_MAX))),
                            b.CreateICmpSLE(den, k128(INT64_MAX)));
  b.CreateCondBr(fits, small, large);

  b.SetInsertPoint(small);
  Value* n64 = b.CreateTrunc(num, i64());
  Value* d64 = b.CreateTrunc(den, i64());
  Value* g64 = gcd(i64(), n64, d64, "small");
  b.CreateStore(b.CreateSDiv(n64, g64), f->getArg(2));
  b.CreateStore(b.CreateSDiv(d64, g64), f->getArg(3));
  b.CreateRet(b.getTrue());

  // 128-bit: the same steps; the result must still fit in 64 bits.
  b.SetInsertPoint(large);
  Value* g = gcd(i128(), num, den, "large");
  Value* rn = b.CreateSDiv(num, g);
  Value* rd = b.CreateSDiv(den, g);
  Value* ok = b.CreateAnd(b.CreateAnd(b.CreateICmpSLE(rn, k128(INT64_MAX)), b.CreateICmpSGE(rn, k128(INT64_MIN))),
                          b.CreateICmpSLE(rd, k128(INT64_MAX)));
  b.CreateStore(b.CreateTrunc(rn, i64()), f->getArg(2));
  b.CreateStore(b.CreateTrunc(rd, i64()), f->getArg(3));
  b.CreateRet(ok);
  make_rational_ = f;
  return f;
}

CV FrameEmitter::make_rational(Value* num128, Value* den128, std::uint32_t site) {
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
  auto* outn = entry_alloca(i64());
  auto* outd = entry_alloca(i64());
  Value* ok = b_.CreateCall(make_rational_fn(), {num, den, outn, outd});
  fail_if(b_.CreateNot(ok), ir::EvalError::overflow, site);
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
  return {pn, pd};
}

// The canonical form of a fraction whose parts fit in 64 bits (it cannot overflow).
CV FrameEmitter::canonical(CV v) {
  auto* outn = entry_alloca(i64());
  auto* outd = entry_alloca(i64());
  b_.CreateCall(make_rational_fn(), {b_.CreateSExt(v.num, i128()), b_.CreateSExt(v.den, i128()), outn, outd});
  return {b_.CreateLoad(i64(), outn), b_.CreateLoad(i64(), outd)};
}

// Is the node's value reduced by construction (constants, inputs, choices among them)?
bool FrameEmitter::reduced(ir::NodeId id) {
  const ir::Node& n = rs_.node(id);
  switch (n.op) {
    case Op::add: case Op::sub: case Op::mul: case Op::div: return integral(n.kind);
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

CV FrameEmitter::arith(const ir::Node& n, ir::NodeId id) {
  CV a = node(rs_.child(n, 0));
  if (n.op == Op::neg) {
    fail_if(b_.CreateICmpEQ(a.num, c64(INT64_MIN)), ir::EvalError::overflow, id);
    return {b_.CreateNeg(a.num), a.den};
  }
  CV c = node(rs_.child(n, 1));
  bool fast = integral(rs_.node(rs_.child(n, 0)).kind) && integral(rs_.node(rs_.child(n, 1)).kind);
  auto wide = [&](Value* v) { return b_.CreateSExt(v, i128()); };
  switch (n.op) {
    case Op::add:
    case Op::sub:
      if (fast) return integer(checked(n.op == Op::add ? llvm::Intrinsic::sadd_with_overflow : llvm::Intrinsic::ssub_with_overflow,
                                       a.num, c.num, id));
      {
        Value* l = b_.CreateMul(wide(a.num), wide(c.den));
        Value* r = b_.CreateMul(wide(c.num), wide(a.den));
        return make_rational(n.op == Op::add ? b_.CreateAdd(l, r) : b_.CreateSub(l, r), b_.CreateMul(wide(a.den), wide(c.den)), id);
      }
    case Op::mul:
      if (fast) return integer(checked(llvm::Intrinsic::smul_with_overflow, a.num, c.num, id));
      return make_rational(b_.CreateMul(wide(a.num), wide(c.num)), b_.CreateMul(wide(a.den), wide(c.den)), id);
    default:  // div
      fail_if(b_.CreateICmpEQ(c.num, c64(0)), ir::EvalError::division_by_zero, id);
      return make_rational(b_.CreateMul(wide(a.num), wide(c.den)), b_.CreateMul(wide(a.den), wide(c.num)), id);
  }
}

Value* FrameEmitter::compare(const ir::Node& n, CV a, CV c, llvm::CmpInst::Predicate pred) {
  bool fast = integral(rs_.node(rs_.child(n, 0)).kind) && integral(rs_.node(rs_.child(n, 1)).kind);
  if (fast) return b_.CreateICmp(pred, a.num, c.num);
  Value* l = b_.CreateMul(b_.CreateSExt(a.num, i128()), b_.CreateSExt(c.den, i128()));
  Value* r = b_.CreateMul(b_.CreateSExt(c.num, i128()), b_.CreateSExt(a.den, i128()));
  return b_.CreateICmp(pred, l, r);
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

CV FrameEmitter::input(const ir::Node& n) {
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
  auto& slots = memo_.at(d);
  Value* ready = b_.CreateLoad(i1(), slots[0]);
  BasicBlock* compute = block("def.compute");
  BasicBlock* have = block("def.have");
  b_.CreateCondBr(ready, have, compute);
  b_.SetInsertPoint(compute);
  CV v = def_body(d);
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
  for (auto k : t.keys) keys.push_back(node(k).num);
  if (t.keys.size() == 1 && rs_.node(t.keys[0]).kind == dsl::Kind::enumeration) {
    const ir::Node& key = rs_.node(t.keys[0]);
    std::size_t values = key.op == Op::input ? rs_.enums[rs_.inputs[key.a].type.enum_id].values.size() : 0;
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

CV FrameEmitter::node(ir::NodeId id) {
  const ir::Node& n = rs_.node(id);
  auto kid = [&](std::uint32_t i) { return node(rs_.child(n, i)); };
  auto boolean = [&](Value* v) { return integer(b_.CreateZExt(v, i64())); };
  using P = llvm::CmpInst::Predicate;
  switch (n.op) {
    case Op::constant: return {c64(n.imm.num), c64(n.imm.den)};
    case Op::input: return input(n);
    case Op::def: return def(n.a);
    case Op::table: return table(n, id);
    case Op::as_of: return integer(as_of_);
    case Op::frame: return integer(c64(frame_));
    case Op::present: return boolean(b_.CreateICmpNE(kid(0).den, c64(0)));
    case Op::not_: return boolean(b_.CreateICmpEQ(kid(0).num, c64(0)));
    case Op::and_:
      return branch(truth(rs_.child(n, 0)), [&] { return boolean(truth(rs_.child(n, 1))); }, [&] { return integer(c64(0)); });
    case Op::or_:
      return branch(truth(rs_.child(n, 0)), [&] { return integer(c64(1)); }, [&] { return boolean(truth(rs_.child(n, 1))); });
    case Op::implies:
      return branch(truth(rs_.child(n, 0)), [&] { return boolean(truth(rs_.child(n, 1))); }, [&] { return integer(c64(1)); });
    case Op::if_: return branch(truth(rs_.child(n, 0)), [&] { return kid(1); }, [&] { return kid(2); });
    case Op::coalesce: {
      CV v = kid(0);
      return branch(b_.CreateICmpNE(v.den, c64(0)), [&] { return v; }, [&] { return kid(1); });
    }
    case Op::neg: case Op::add: case Op::sub: case Op::mul: case Op::div: return arith(n, id);
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

// Calendar arithmetic in integers (Howard Hinnant's algorithms, as dsl/calendar.cpp).
void FrameEmitter::civil_from_days(Value* z, Value*& y, Value*& m, Value*& d) {
  z = b_.CreateAdd(z, c64(719468));
  Value* era = b_.CreateSDiv(b_.CreateSelect(b_.CreateICmpSGE(z, c64(0)), z, b_.CreateSub(z, c64(146096))), c64(146097));
  Value* doe = b_.CreateSub(z, b_.CreateMul(era, c64(146097)));
  Value* yoe = b_.CreateSDiv(
      b_.CreateSub(b_.CreateAdd(b_.CreateSub(doe, b_.CreateSDiv(doe, c64(1460))), b_.CreateSDiv(doe, c64(36524))),
                   b_.CreateSDiv(doe, c64(146096))),
      c64(365));
  Value* yy = b_.CreateAdd(yoe, b_.CreateMul(era, c64(400)));
  Value* doy = b_.CreateSub(doe, b_.CreateSub(b_.CreateAdd(b_.CreateMul(c64(365), yoe), b_.CreateSDiv(yoe, c64(4))),
                                              b_.CreateSDiv(yoe, c64(100))));
  Value* mp = b_.CreateSDiv(b_.CreateAdd(b_.CreateMul(c64(5), doy), c64(2)), c64(153));
  d = b_.CreateAdd(b_.CreateSub(doy, b_.CreateSDiv(b_.CreateAdd(b_.CreateMul(c64(153), mp), c64(2)), c64(5))), c64(1));
  m = b_.CreateSelect(b_.CreateICmpSLT(mp, c64(10)), b_.CreateAdd(mp, c64(3)), b_.CreateSub(mp, c64(9)));
  y = b_.CreateAdd(yy, b_.CreateZExt(b_.CreateICmpSLE(m, c64(2)), i64()));
}

Value* FrameEmitter::days_from_civil(Value* y, Value* m, Value* d) {
  y = b_.CreateSub(y, b_.CreateZExt(b_.CreateICmpSLE(m, c64(2)), i64()));
  Value* era = b_.CreateSDiv(b_.CreateSelect(b_.CreateICmpSGE(y, c64(0)), y, b_.CreateSub(y, c64(399))), c64(400));
  Value* yoe = b_.CreateSub(y, b_.CreateMul(era, c64(400)));
  Value* mp = b_.CreateSRem(b_.CreateAdd(m, c64(9)), c64(12));
  Value* doy = b_.CreateAdd(b_.CreateSDiv(b_.CreateAdd(b_.CreateMul(c64(153), mp), c64(2)), c64(5)), b_.CreateSub(d, c64(1)));
  Value* doe = b_.CreateAdd(b_.CreateSub(b_.CreateAdd(b_.CreateMul(yoe, c64(365)), b_.CreateSDiv(yoe, c64(4))),
                                         b_.CreateSDiv(yoe, c64(100))),
                            doy);
  return b_.CreateSub(b_.CreateAdd(b_.CreateMul(era, c64(146097)), doe), c64(719468));
}

CV FrameEmitter::add_months(Value* day, std::int64_t months, std::uint32_t site) {
  // As dsl::add_months: out-of-range inputs and results are faults.
  fail_if(b_.CreateOr(b_.CreateICmpSLT(day, c64(dsl::min_day)), b_.CreateICmpSGT(day, c64(dsl::max_day))),
          ir::EvalError::date_out_of_range, site);
  if (months < -120000 || months > 120000) {
    fail_if(b_.getTrue(), ir::EvalError::date_out_of_range, site);
    return integer(c64(0));
  }
  Value *y, *m, *d;
  civil_from_days(day, y, m, d);
  Value* index = b_.CreateAdd(b_.CreateAdd(b_.CreateMul(y, c64(12)), b_.CreateSub(m, c64(1))), c64(months));
  // index ≥ 0 here: years stay ≥ 1 - 10000 months.
  Value* ny = b_.CreateSelect(b_.CreateICmpSGE(index, c64(0)), b_.CreateSDiv(index, c64(12)),
                              b_.CreateNeg(b_.CreateSDiv(b_.CreateAdd(b_.CreateNeg(index), c64(11)), c64(12))));
  Value* nm = b_.CreateAdd(b_.CreateSub(index, b_.CreateMul(ny, c64(12))), c64(1));
  fail_if(b_.CreateOr(b_.CreateICmpSLT(ny, c64(1)), b_.CreateICmpSGT(ny, c64(9999))), ir::EvalError::date_out_of_range, site);
  Value* leap = b_.CreateOr(b_.CreateAnd(b_.CreateICmpEQ(b_.CreateSRem(ny, c64(4)), c64(0)),
                                         b_.CreateICmpNE(b_.CreateSRem(ny, c64(100)), c64(0))),
                            b_.CreateICmpEQ(b_.CreateSRem(ny, c64(400)), c64(0)));
  // Days in month nm: 31 except Apr, Jun, Sep, Nov (30) and Feb (28/29).
  Value* thirty = b_.CreateOr(b_.CreateOr(b_.CreateICmpEQ(nm, c64(4)), b_.CreateICmpEQ(nm, c64(6))),
                              b_.CreateOr(b_.CreateICmpEQ(nm, c64(9)), b_.CreateICmpEQ(nm, c64(11))));
  Value* last = b_.CreateSelect(b_.CreateICmpEQ(nm, c64(2)), b_.CreateSelect(leap, c64(29), c64(28)),
                                b_.CreateSelect(thirty, c64(30), c64(31)));
  Value* nd = b_.CreateSelect(b_.CreateICmpSGT(d, last), last, d);
  return integer(days_from_civil(ny, nm, nd));
}

// An extension function: arguments left to right into scratch memory, then a call
// through the ruleset's function table; no function, or a fault it reports, is a fault.
CV FrameEmitter::call(const ir::Node& n, ir::NodeId id) {
  if (!args_) args_ = entry_alloca(i64(), 16);
  if (!fault_) fault_ = entry_alloca(b_.getInt32Ty());
  for (std::uint32_t i = 0; i < n.count; ++i) b_.CreateStore(node(rs_.child(n, i)).num, b_.CreateConstGEP1_32(i64(), args_, i));
  auto* table_ty = llvm::ArrayType::get(ptr(), rs_.functions.size());
  Value* fn = b_.CreateLoad(ptr(), b_.CreateConstGEP2_32(table_ty, extension_table(), 0, n.a));
  fail_if(b_.CreateICmpEQ(fn, llvm::ConstantPointerNull::get(b_.getPtrTy())), ir::EvalError::extension_fault, id);
  b_.CreateStore(b_.getInt32(0), fault_);
  auto* fn_ty = llvm::FunctionType::get(i64(), {ptr(), ptr()}, false);
  Value* r = b_.CreateCall(fn_ty, fn, {args_, fault_});
  fail_if(b_.CreateICmpNE(b_.CreateLoad(b_.getInt32Ty(), fault_), b_.getInt32(0)), ir::EvalError::extension_fault, id);
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

}  // namespace

llvm::Function* FrameEmitter::emit(const std::string& name) {
  auto* ty = llvm::FunctionType::get(b_.getVoidTy(), {ptr(), ptr(), i64(), i64()}, false);
  fn_ = llvm::Function::Create(ty, llvm::Function::ExternalLinkage, name, m_);
  fn_->addFnAttr(llvm::Attribute::NoUnwind);
  for (unsigned i = 0; i < 2; ++i) fn_->addParamAttr(i, llvm::Attribute::NoAlias);
  words_ = ir::bitset_words(f_.rules.size());

  // Which definitions the frame can reach, and which of them must be lazy.
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

  BasicBlock* entry = block("entry");
  b_.SetInsertPoint(entry);
  load_columns(fn_->getArg(0));
  load_outputs(fn_->getArg(1));
  failed_ = b_.CreateAlloca(i64(), b_.getInt32(words_), "failed");
  scored_ = b_.CreateAlloca(i64(), b_.getInt32(words_), "scored");
  bonus_ = b_.CreateAlloca(i64(), nullptr, "bonus");
  penalty_ = b_.CreateAlloca(i64(), nullptr, "penalty");
  err_code_ = b_.CreateAlloca(i8(), nullptr, "err.code");
  err_rule_ = b_.CreateAlloca(i32(), nullptr, "err.rule");
  err_site_ = b_.CreateAlloca(i32(), nullptr, "err.site");
  for (auto d : used_)
    if (fallible_.def(d)) memo_[d] = {b_.CreateAlloca(i1()), b_.CreateAlloca(i64()), b_.CreateAlloca(i64())};

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

std::unique_ptr<llvm::Module> emit_module(const ir::Ruleset& rs, llvm::LLVMContext& ctx, const std::string& module_name,
                                          std::string& error, bool define_extension_table) {
  auto m = std::make_unique<llvm::Module>(module_name, ctx);
  for (std::uint32_t f = 0; f < rs.frames.size(); ++f)
    FrameEmitter(rs, f, *m, define_extension_table).emit(frame_symbol(rs.frames[f].name));
  std::string message;
  llvm::raw_string_ostream os(message);
  if (llvm::verifyModule(*m, &os)) {
    error = "generated code failed verification: " + os.str();
    return nullptr;
  }
  return m;
}

std::string frame_symbol(const std::string& frame) { return "kijun_frame_" + frame; }

void optimise_module(llvm::Module& m, llvm::TargetMachine* tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(m, mam);
}

}  // namespace kijun::jit
