// The reference interpreter: walks the IR for one applicant as of a date. It is the
// semantic oracle; the JIT must agree with it on every output.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "kijun/extension.h"

namespace kijun::ir {

enum class RuleOutcome : std::uint8_t {
  not_in_force,    // outside its effective period on the as-of date
  not_applicable,  // `applies if` was false
  exempted,        // an `unless` exception held
  holds,           // the condition was true
  fails,           // the condition was false
};

struct RuleTrace {
  std::uint32_t rule = 0;
  RuleOutcome outcome = RuleOutcome::not_in_force;
  std::int32_t exception = -1;        // the exception that held, if any
  std::optional<std::int64_t> judged_on;  // the date of its `as_of` clause, when it has one
  std::vector<std::uint32_t> inputs;  // input slots read, sorted
};

struct Evaluation {
  EvalError error = EvalError::none;
  dsl::Span error_span;
  std::uint32_t error_site = 0;  // IR node id, or def index | def_site_flag
  std::int32_t error_rule = -1;  // rule index, or -1 outside rules

  bool eligible = false;
  std::vector<std::uint32_t> failed;   // rule indices: requirements not met, exclusions hit, limits
  std::vector<std::uint32_t> bonus;    // rule indices awarded
  std::vector<std::uint32_t> penalty;  // rule indices applied
  std::int64_t bonus_points = 0;
  std::int64_t penalty_points = 0;
  bool has_rate = false;
  Value rate{};
  std::int64_t amount = 0;             // as computed, whether or not eligible
  std::vector<RuleOutcome> outcomes;   // one per frame rule, in frame order
  std::vector<RuleTrace> trace;        // filled on request
  std::vector<std::uint32_t> amount_inputs;  // inputs the amount read, when tracing

  std::int64_t score() const { return bonus_points - penalty_points; }
  std::int64_t amount_yen() const { return eligible ? amount : 0; }
};

// Not thread-safe: one Interpreter per thread (they share the immutable Ruleset).
class Interpreter {
public:
  // `functions`: one pointer per Ruleset::functions, or null when the ruleset calls none.
  explicit Interpreter(const Ruleset& rs, const kijun_ext_fn* functions = nullptr) : rs_(rs), functions_(functions) {}

  Evaluation evaluate(std::uint32_t frame, const Value* inputs, std::int64_t as_of, bool trace = false);
  // Value of one definition for an applicant in a frame (for tests); error reported through `err`.
  Value definition(std::uint32_t def, std::uint32_t frame, const Value* inputs, std::int64_t as_of, EvalError& err);

  // For explanations: the value of any node or definition for one applicant. begin()
  // starts an applicant; definitions one call computes are reused by the next.
  void begin(std::uint32_t frame, const Value* inputs, std::int64_t as_of) { reset(frame, inputs, as_of, false); }
  // The date a rule is judged on: its `as_of` clause's value, or the evaluation's date.
  std::int64_t rule_date(std::uint32_t rule, EvalError& err);
  // Evaluates the nodes of a rule judged on another date (value_of then sees that date).
  void set_date(std::int64_t day) { as_of_ = day; }
  Value value_of(NodeId id, EvalError& err);
  Value def_of(std::uint32_t def, EvalError& err);
  // A node of a list operation's body or filter for one element of list input `slot` (bound
  // at level 0, as for a list operation outside any other).
  Value element_value(NodeId id, std::uint32_t slot, std::int64_t element, EvalError& err);
  // The row of a decision table that matches, or -1.
  std::int32_t matched_row(std::uint32_t table, EvalError& err);

private:
  void reset(std::uint32_t frame, const Value* inputs, std::int64_t as_of, bool trace);
  Value eval(NodeId id);
  bool truth(NodeId id) { return eval(id).num != 0; }
  Value def_value(std::uint32_t def);
  const DefAlt* in_force(std::uint32_t def);
  Value table_value(const Node& n);
  std::int32_t table_row(std::uint32_t table);
  Value arith(const Node& n);
  bool step(Op op, Value a, Value b, Value& out, const Node& n);
  Value tiered(const Node& n);
  Value fail(EvalError e, const Node& n);
  void run_rule(std::uint32_t rule, Evaluation& out, RuleTrace* trace);

  Value call(const Node& n);
  // Lists (interpreter_lists.cpp).
  Value list(const Node& n);
  Value element_def(std::uint32_t def, const Value* element);

  const Ruleset& rs_;
  const kijun_ext_fn* functions_ = nullptr;
  const Value* inputs_ = nullptr;
  std::int64_t as_of_ = 0;
  std::uint32_t frame_ = 0;
  EvalError error_ = EvalError::none;
  dsl::Span error_span_;
  std::uint32_t error_site_ = 0;
  std::vector<const Value*> elements_;  // the elements bound by the list operations around, outermost first
  std::size_t base_ = 0;                // where the current scope's level 0 is (an element definition's own)
  std::map<std::pair<std::uint32_t, const Value*>, Value> element_memo_;  // element definitions, per element
  std::vector<Value> def_cache_;
  std::vector<std::uint8_t> def_ready_;
  bool tracing_ = false;
  std::vector<std::uint8_t> read_;  // input slots read since the last clear, when tracing
  std::vector<std::vector<std::uint32_t>> def_reads_;
};

}  // namespace kijun::ir
