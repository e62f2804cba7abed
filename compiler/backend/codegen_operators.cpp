// Operators: arithmetic (checked i64 steps, exact rationals otherwise), the folds of
// n-ary `add` and `sub`, `tiered`, the short-circuit of n-ary `and` and `or`, and
// comparisons.
#include "compiler/backend/codegen_emitter.hpp"

namespace kijun::jit::detail {

using ir::Op;
using llvm::BasicBlock;
using llvm::Value;

// `add` and `sub` may have any number of operands: see sum.
CV FrameEmitter::arith(const ir::Node& n, ir::NodeId id) {
  CV a = node(rs_.child(n, 0));
  if (n.op == Op::neg) {
    fail_if(b_.CreateICmpEQ(a.num, c64(INT64_MIN)), ir::EvalError::overflow, id);
    return {b_.CreateNeg(a.num), a.den};
  }
  if (n.op == Op::add || n.op == Op::sub) return sum(n, id, a);
  ir::NodeId right = rs_.child(n, 1);
  return arith_step(n.op, a, rs_.node(rs_.child(n, 0)).kind, node(right), rs_.node(right).kind, id);
}

// The left fold of a sum or difference, in a loop, each step checked as the binary node it
// stands for: the first on the first operand's kind, the later ones on the node's kind (the
// kind of what has been summed so far). Every step's fault is an overflow at this node, so
// whether one happened is or-ed into a flag and branched on once — before an operand that
// could itself fault or trap (the interpreter would have stopped at the overflow first), and
// at the end. Operands that cannot are unobservable when evaluated after an overflow: a sum
// of 100,000 terms is a few thousand blocks, not 200,000. (The flag is also checked every
// `steps_per_check` steps: LLVM's jump threading walks a chain of `or`s recursively.)
CV FrameEmitter::sum(const ir::Node& n, ir::NodeId id, CV a) {
  constexpr std::uint32_t steps_per_check = 64;
  Value* pending = b_.getFalse();
  auto check = [&] {
    if (pending != b_.getFalse()) fail_if(pending, ir::EvalError::overflow, id);
    pending = b_.getFalse();
  };
  dsl::Kind so_far = rs_.node(rs_.child(n, 0)).kind;
  for (std::uint32_t i = 1; i < n.count; ++i) {
    ir::NodeId operand = rs_.child(n, i);
    if (!speculation_.node(operand) || i % steps_per_check == 0) check();
    a = arith_step(n.op, a, so_far, node(operand), rs_.node(operand).kind, id, &pending);
    so_far = n.kind;
  }
  check();
  return a;
}

// One binary operation of `a` (of kind `ka`) and `c` (of kind `kc`); faults at `site`, or
// for `add` and `sub` with `pending`, or-s its overflow into *pending.
CV FrameEmitter::arith_step(Op op, CV a, dsl::Kind ka, CV c, dsl::Kind kc, ir::NodeId site, Value** pending) {
  bool fast = integral(ka) && integral(kc);
  auto wide = [&](Value* v) { return b_.CreateSExt(v, i128()); };
  switch (op) {
    case Op::add:
    case Op::sub:
      if (fast) {
        auto id = op == Op::add ? llvm::Intrinsic::sadd_with_overflow : llvm::Intrinsic::ssub_with_overflow;
        if (!pending) return integer(checked(id, a.num, c.num, site));
        Value* r = b_.CreateCall(llvm::Intrinsic::getDeclaration(&m_, id, {i64()}), {a.num, c.num});
        *pending = b_.CreateOr(*pending, b_.CreateExtractValue(r, 1));
        return integer(b_.CreateExtractValue(r, 0));
      }
      {
        Value* l = b_.CreateMul(wide(a.num), wide(c.den));
        Value* r = b_.CreateMul(wide(c.num), wide(a.den));
        return make_rational(op == Op::add ? b_.CreateAdd(l, r) : b_.CreateSub(l, r), b_.CreateMul(wide(a.den), wide(c.den)), site,
                             pending);
      }
    case Op::mul:
      if (fast) return integer(checked(llvm::Intrinsic::smul_with_overflow, a.num, c.num, site));
      return make_rational(b_.CreateMul(wide(a.num), wide(c.num)), b_.CreateMul(wide(a.den), wide(c.den)), site);
    default:  // div
      fail_if(b_.CreateICmpEQ(c.num, c64(0)), ir::EvalError::division_by_zero, site);
      return make_rational(b_.CreateMul(wide(a.num), wide(c.den)), b_.CreateMul(wide(a.den), wide(c.num)), site);
  }
}

// `and`, `or` of any number of operands, left to right, stopping at the first that decides
// (false for `and`, true for `or`), as the interpreter's loop. Consecutive operands that
// can be evaluated in advance are combined without branches and branched on once; each
// other operand gets a block of its own; all join in one block. Speculated, every operand
// is computed and the truths combined.
CV FrameEmitter::logic(const ir::Node& n) {
  bool decides = n.op == Op::or_;
  if (speculate_) {
    std::vector<Value*> truths;
    for (std::uint32_t i = 0; i < n.count; ++i) truths.push_back(truth(rs_.child(n, i)));
    return integer(b_.CreateZExt(combine(n.op, truths), i64()));
  }
  BasicBlock* join = block("logic");
  std::vector<std::pair<Value*, BasicBlock*>> incoming;
  auto decide_on = [&](Value* t) {
    BasicBlock* next = block("logic.next");
    b_.CreateCondBr(t, decides ? join : next, decides ? next : join);
    incoming.emplace_back(c64(decides ? 1 : 0), b_.GetInsertBlock());
    b_.SetInsertPoint(next);
  };
  std::vector<Value*> run;  // truths of speculated operands not yet branched on
  for (std::uint32_t i = 0; i < n.count; ++i) {
    ir::NodeId operand = rs_.child(n, i);
    bool last = i + 1 == n.count;
    if (speculation_.node(operand)) {
      speculate_ = true;
      run.push_back(truth(operand));
      speculate_ = false;
      if (!last) continue;
    } else {
      if (!run.empty()) decide_on(combine(n.op, run));
      run = {truth(operand)};
    }
    if (!last) {
      decide_on(run.front());
      run.clear();
    }
  }
  incoming.emplace_back(b_.CreateZExt(combine(n.op, run), i64()), b_.GetInsertBlock());
  b_.CreateBr(join);
  b_.SetInsertPoint(join);
  auto* result = b_.CreatePHI(i64(), static_cast<unsigned>(incoming.size()));
  for (auto& [v, from] : incoming) result->addIncoming(v, from);
  return integer(result);
}

// The `and` (or `or`) of truths, as a balanced tree: a chain of 100,000 would be as deep,
// and some LLVM passes (jump threading) walk such chains recursively.
Value* FrameEmitter::combine(Op op, std::vector<Value*> truths) {
  while (truths.size() > 1) {
    std::size_t half = 0;
    for (std::size_t i = 0; i + 1 < truths.size(); i += 2)
      truths[half++] = op == Op::or_ ? b_.CreateOr(truths[i], truths[i + 1]) : b_.CreateAnd(truths[i], truths[i + 1]);
    if (truths.size() % 2) truths[half++] = truths.back();
    truths.resize(half);
  }
  return truths.front();
}

// tiered(cost, subsidy, first rate, rest rate), step by step as the interpreter: the first
// tier's cost, the comparison, then one branch; every fault at this node, and the rest rate
// read only beyond the first tier.
CV FrameEmitter::tiered(const ir::Node& n, ir::NodeId id) {
  auto kind = [&](std::uint32_t i) { return rs_.node(rs_.child(n, i)).kind; };
  constexpr dsl::Kind exact = dsl::Kind::yen_exact;
  CV cost = node(rs_.child(n, 0));
  CV subsidy = node(rs_.child(n, 1));
  CV first_rate = node(rs_.child(n, 2));
  CV first_cost = arith_step(Op::div, subsidy, kind(1), first_rate, kind(2), id);
  Value* within = compare(cost, kind(0), first_cost, exact, llvm::CmpInst::ICMP_SLE);
  return branch(
      within, [&] { return arith_step(Op::mul, cost, kind(0), first_rate, kind(2), id); },
      [&] {
        CV beyond = arith_step(Op::sub, cost, kind(0), first_cost, exact, id);
        CV rest = arith_step(Op::mul, beyond, exact, node(rs_.child(n, 3)), kind(3), id);
        return arith_step(Op::add, subsidy, kind(1), rest, exact, id);
      });
}

Value* FrameEmitter::compare(const ir::Node& n, CV a, CV c, llvm::CmpInst::Predicate pred) {
  return compare(a, rs_.node(rs_.child(n, 0)).kind, c, rs_.node(rs_.child(n, 1)).kind, pred);
}

Value* FrameEmitter::compare(CV a, dsl::Kind ka, CV c, dsl::Kind kc, llvm::CmpInst::Predicate pred) {
  bool fast = integral(ka) && integral(kc);
  if (fast) return b_.CreateICmp(pred, a.num, c.num);
  Value* l = b_.CreateMul(b_.CreateSExt(a.num, i128()), b_.CreateSExt(c.den, i128()));
  Value* r = b_.CreateMul(b_.CreateSExt(c.num, i128()), b_.CreateSExt(a.den, i128()));
  return b_.CreateICmp(pred, l, r);
}

}  // namespace kijun::jit::detail
