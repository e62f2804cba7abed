// The code generator's private parts, shared by its files (no other stage includes this):
// the analyses that decide how a node may be emitted, and FrameEmitter, which lowers one
// frame of the IR to one LLVM function over a row range of a columnar batch
// (compiler/ir/batch.hpp). The generated code follows the interpreter step by step:
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
//   are memoised per row and computed where the interpreter would first need them;
// - `add`, `sub`, `and` and `or` may have any number of operands (ir.hpp): they are
//   emitted in loops, with one branch per run of steps or operands that cannot fault.
//
// - a rule that can neither fault nor trap is evaluated without branches: every operand
//   is computed and `select` picks, which the interpreter's short-circuit cannot tell
//   apart, and which keeps unpredictable applicant data from stalling the pipeline; so is
//   any `and`, `or`, `implies`, `if` or `??` within a rule whose operands cannot;
// - a frame too large for one function has its rules in chunk functions the row loop
//   calls in order (codegen_chunks.cpp), so compile time stays linear in the rules.
//
// The loop calls nothing per row: no C++ callbacks, no allocation, no exceptions.
//
// Where the members are defined:
//   codegen_analysis.cpp  Fallibility, Speculation
//   codegen_exact.cpp     checked i64 arithmetic, exact rationals (make_rational, reduced)
//   codegen_helpers.cpp   the helpers module every module starts from (helpers.cpp as
//                         bitcode: add_months, make_rational), and the calls to them
//   codegen_expr.cpp      expressions: node, input, def, table, call
//   codegen_operators.cpp arithmetic, n-ary sums, `tiered`, `and` and `or`, comparisons
//   codegen_rules.cpp     rules: branching, or straight when nothing in them can fault
//   codegen_frame.cpp     the frame function: the row loop, outputs, the error block
//   codegen_chunks.cpp    large frames: the rules in chunk functions the row loop calls
//   codegen_lists.cpp     lists: element loops, field reads, element definitions
//   codegen_faults.cpp    faults: numbered, a table of code, rule and site, the error block
//   codegen.cpp           the module: emit_module, optimise_module
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Module.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/batch.hpp"
#include "compiler/ir/ir.hpp"

namespace kijun::jit::detail {

// Kinds held as (num, 1): their arithmetic is checked i64 arithmetic.
inline bool integral(dsl::Kind k) { return k != dsl::Kind::rate && k != dsl::Kind::yen_exact; }

// Does evaluating this node possibly fault? (Overflow, division, dates, tables, dated defs.)
class Fallibility {
public:
  explicit Fallibility(const ir::Ruleset& rs) : rs_(rs), node_state_(rs.nodes.size(), 0), def_state_(rs.defs.size(), 0) {}
  bool node(ir::NodeId id);
  bool def(std::uint32_t d);

private:
  const ir::Ruleset& rs_;
  std::vector<std::uint8_t> node_state_;  // 0 unknown, 1 infallible, 2 fallible
  std::vector<std::uint8_t> def_state_;   // the same, by definition
};

// Can this node be evaluated although the interpreter might not evaluate it? Only when
// nothing in it can fault, and no division can meet an absent value's zero denominator.
class Speculation {
public:
  Speculation(const ir::Ruleset& rs, Fallibility& fallible) : rs_(rs), fallible_(fallible), node_state_(rs.nodes.size(), 0) {}
  bool node(ir::NodeId id);

private:
  bool speculable(ir::NodeId id);
  const ir::Ruleset& rs_;
  Fallibility& fallible_;
  std::vector<std::uint8_t> node_state_;  // 0 unknown, 1 speculable, 2 not
};

// A value in generated code: two i64s, as ir::Value.
struct CV {
  llvm::Value* num;
  llvm::Value* den;
};

class FrameEmitter {
public:
  FrameEmitter(const ir::Ruleset& rs, std::uint32_t frame, llvm::Module& m, bool define_table)
      : rs_(rs), f_(rs.frames[frame]), frame_(frame), m_(m), ctx_(m.getContext()), b_(ctx_), fallible_(rs),
        speculation_(rs, fallible_), define_table_(define_table) {}

  llvm::Function* emit(const std::string& name);
  bool chunked() const { return chunked_; }

private:
  using Value = llvm::Value;
  using BasicBlock = llvm::BasicBlock;

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

  // The frame function (codegen_frame.cpp).
  void start_function(llvm::Function* fn);
  std::set<std::uint32_t> reachable_defs(std::uint32_t begin, std::uint32_t end, bool outputs) const;
  void allocate_row_state();
  void load_columns(Value* in);
  void load_outputs(Value* out);
  void begin_row();
  void compute_eager_defs();
  void finish_row();

  // Faults (codegen_faults.cpp).
  void start_fault_block(BasicBlock* block);
  void fail_if(Value* bad, ir::EvalError code, std::uint32_t site);
  void fault_to(Value* bad, Value* number);
  void make_fault_tables(const std::string& name);
  void emit_error_block(const std::string& name);

  // Large frames: rules in chunk functions (codegen_chunks.cpp).
  std::size_t tree_size(std::vector<ir::NodeId> roots);
  std::size_t def_size(std::uint32_t d);
  std::size_t rule_size(const ir::Rule& r);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> plan_chunks();
  std::uint32_t state_slots() const;
  void bind_state(Value* state, const std::set<std::uint32_t>& defs);
  llvm::Function* emit_chunk(const std::string& name, std::uint32_t begin, std::uint32_t end);
  struct Sums {
    Value* failed;
    Value* scored;
    Value* bonus;
    Value* penalty;
  };
  Sums keep_sums_local(std::uint32_t begin, std::uint32_t end);
  void write_sums_back(const Sums& shared, std::uint32_t begin, std::uint32_t end);
  void call_chunk(llvm::Function* chunk, Value* state);

  // Rules (codegen_rules.cpp).
  void emit_rule(std::uint32_t position);
  void emit_straight_rule(const ir::Rule& r, std::uint32_t position);
  void set_bit(Value* words, std::uint32_t k);

  // Expressions (codegen_expr.cpp; operators in codegen_operators.cpp).
  CV node(ir::NodeId id);
  CV node_value(ir::NodeId id);
  CV input(const ir::Node& n);
  CV load_input(const ir::Node& n);
  llvm::GlobalVariable* all_present() {
    if (!ones_)
      ones_ = new llvm::GlobalVariable(m_, i8(), true, llvm::GlobalValue::PrivateLinkage, b_.getInt8(0xFF), "validity.all");
    return ones_;
  }
  CV def(std::uint32_t d);
  CV def_body(std::uint32_t d);
  CV memoised(const std::array<Value*, 3>& slots, const std::function<CV()>& compute);
  CV table(const ir::Node& n, ir::NodeId id);
  CV enum_table(const ir::Node& n, ir::NodeId id, Value* key, std::size_t values);
  CV arith(const ir::Node& n, ir::NodeId id);
  CV sum(const ir::Node& n, ir::NodeId id, CV a);
  CV arith_step(ir::Op op, CV a, dsl::Kind ka, CV c, dsl::Kind kc, ir::NodeId site, Value** pending = nullptr);
  CV logic(const ir::Node& n);
  Value* combine(ir::Op op, std::vector<Value*> truths);
  Value* truth(ir::NodeId id);
  Value* compare(const ir::Node& n, CV a, CV b, llvm::CmpInst::Predicate pred);
  Value* compare(CV a, dsl::Kind ka, CV b, dsl::Kind kb, llvm::CmpInst::Predicate pred);
  CV tiered(const ir::Node& n, ir::NodeId id);
  Value* in_period(const ir::Period& p);
  CV branch(Value* cond, const std::function<CV()>& yes, const std::function<CV()>& no);
  CV call(const ir::Node& n, ir::NodeId id);
  llvm::GlobalVariable* extension_table();

  // Lists (codegen_lists.cpp): a loop over the row's elements, the element in scope.
  void load_list_columns(Value* lists);
  CV list(const ir::Node& n, ir::NodeId id);
  CV field(const ir::Node& n);
  CV element_def(const ir::Node& n);
  const ir::Input& field_of(const ir::Node& n) const;

  // Checked and exact arithmetic (codegen_exact.cpp).
  Value* checked(llvm::Intrinsic::ID op, Value* a, Value* b, std::uint32_t site);
  CV make_rational(Value* num128, Value* den128, std::uint32_t site, Value** pending = nullptr);
  CV canonical(CV v);
  std::pair<llvm::AllocaInst*, llvm::AllocaInst*> rational_out();
  bool reduced(ir::NodeId id);
  // The value of arithmetic on constants only (`2/3`, `100 * 1/2`), worked out here by the
  // interpreter's own exact arithmetic, reduced; none when a step would fault (the fault is
  // then the generated code's, as the interpreter's is at run time).
  std::optional<ir::Value> folded(ir::NodeId id);

  // Calls to the helpers (codegen_helpers.cpp).
  Value* call_make_rational(Value* num128, Value* den128);  // true: fits; parts in rational_out()
  CV add_months(Value* day, std::int64_t months, std::uint32_t site);

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
  llvm::GlobalVariable* ones_ = nullptr;
  llvm::AllocaInst* args_ = nullptr;
  llvm::AllocaInst* ext_fault_ = nullptr;  // an extension function's fault flag
  bool define_table_ = false;

  std::vector<Value*> col_, den_, valid_;
  // A list input's element columns, per slot and field; and the elements bound around the
  // node being emitted (list slot, element index), outermost first, level 0 at base_.
  std::vector<std::vector<Value*>> field_col_, field_den_, field_valid_;
  struct Bound {
    std::uint32_t slot;
    Value* index;
    BasicBlock* start;  // where each element's turn of the loop begins
  };
  std::vector<Bound> bound_;
  // An element definition's value, once per element: a ready flag cleared where each
  // element's turn begins, and the value (keyed by definition and that loop).
  std::map<std::pair<std::uint32_t, BasicBlock*>, std::array<llvm::AllocaInst*, 3>> element_memo_;
  std::size_t base_ = 0;
  Value* as_of_col_ = nullptr;
  Value* as_of_day_ = nullptr;
  std::vector<Value*> outs_;  // kijun_batch_out fields in order
  Value* row_ = nullptr;
  Value* as_of_ = nullptr;
  std::uint32_t words_ = 1;
  // Where the row's state is: allocas of the frame function, or slots of the state array.
  Value* failed_ = nullptr;
  Value* scored_ = nullptr;
  Value* bonus_ = nullptr;
  Value* penalty_ = nullptr;
  std::int32_t current_rule_ = -1;
  BasicBlock* error_bb_ = nullptr;  // the function's fault block
  llvm::PHINode* fault_ = nullptr;   // in it: the number of the fault
  BasicBlock* row_end_ = nullptr;
  // Lazily computed definitions: a flag and the value, per row.
  std::map<std::uint32_t, std::array<Value*, 3>> memo_;
  // Definitions computed at the start of the row (of the function).
  std::map<std::uint32_t, CV> eager_;
  std::map<ir::NodeId, std::optional<ir::Value>> folded_;
  std::set<std::uint32_t> used_;  // definitions the function can reach
  // With chunk functions: the index of each memoised definition in the state array.
  std::map<std::uint32_t, std::uint32_t> memo_slot_;
  // In a chunk function: where its inputs are read (before the entry block's branch), and
  // what was read. The frame's faults: fault k + 1 is faults_[k].
  llvm::Instruction* inputs_at_ = nullptr;
  std::vector<CV> input_cache_;
  struct Fault {
    ir::EvalError code;
    std::int32_t rule;
    std::uint32_t site;
  };
  std::vector<Fault> faults_;
  llvm::GlobalVariable* fault_code_ = nullptr;
  llvm::GlobalVariable* fault_rule_ = nullptr;
  llvm::GlobalVariable* fault_site_ = nullptr;
  bool chunked_ = false;  // the frame's rules are in chunk functions
  // Scratch for make_rational's results, one pair per function.
  llvm::AllocaInst* rational_num_ = nullptr;
  llvm::AllocaInst* rational_den_ = nullptr;
  std::vector<std::size_t> def_size_;  // emitted size of a definition, by index
};

// A new module holding the helpers (codegen_helpers.cpp), internal to it; null with
// `error` set if the embedded bitcode cannot be read.
std::unique_ptr<llvm::Module> helpers_module(llvm::LLVMContext& ctx, const std::string& name, std::string& error);
// Removes the helpers nothing in the module calls.
void drop_unused_helpers(llvm::Module& m);

}  // namespace kijun::jit::detail
