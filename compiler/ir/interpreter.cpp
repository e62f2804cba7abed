#include "compiler/ir/interpreter.hpp"

#include <algorithm>

#include "compiler/ir/batch.hpp"
#include "compiler/ir/exact.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::ir {

namespace {
std::vector<std::uint32_t> drain(std::vector<std::uint8_t>& read) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < read.size(); ++i)
    if (read[i]) out.push_back(i);
  return out;
}
}  // namespace

void Interpreter::reset(std::uint32_t frame, const Value* inputs, std::int64_t as_of, bool trace) {
  frame_ = frame;
  inputs_ = inputs;
  as_of_ = as_of;
  error_ = EvalError::none;
  error_span_ = {};
  error_site_ = 0;
  elements_.clear();
  base_ = 0;
  element_memo_.clear();
  def_cache_.assign(rs_.defs.size(), Value{});
  def_ready_.assign(rs_.defs.size(), 0);
  tracing_ = trace;
  if (trace) {
    read_.assign(rs_.inputs.size(), 0);
    def_reads_.assign(rs_.defs.size(), {});
  }
}

Value Interpreter::fail(EvalError e, const Node& n) {
  if (error_ == EvalError::none) {
    error_ = e;
    error_span_ = n.span;
    error_site_ = static_cast<std::uint32_t>(&n - rs_.nodes.data());
  }
  return Value::of(0);
}

// The definition's value in force on the as-of date, or null with the fault recorded.
const DefAlt* Interpreter::in_force(std::uint32_t def) {
  const Def& d = rs_.defs[def];
  auto alt = std::find_if(d.alts.begin(), d.alts.end(), [&](const DefAlt& a) { return a.period.contains(as_of_); });
  if (alt != d.alts.end()) return &*alt;
  if (error_ == EvalError::none) {
    error_ = EvalError::no_value_in_force;
    error_span_ = d.span;
    error_site_ = def | def_site_flag;
  }
  return nullptr;
}

Value Interpreter::def_value(std::uint32_t def) {
  if (def_ready_[def]) {
    if (tracing_)
      for (auto i : def_reads_[def]) read_[i] = 1;
    return def_cache_[def];
  }
  std::vector<std::uint8_t> outer;
  if (tracing_) outer.swap(read_), read_.assign(rs_.inputs.size(), 0);
  Value v = Value::of(0);
  const DefAlt* alt = in_force(def);
  if (alt) {
    // An applicant's definition reads no element of the list operations around its use: its
    // own list operations bind from level 0.
    const std::size_t outer_base = base_;
    base_ = elements_.size();
    v = eval(alt->root);
    base_ = outer_base;
  }
  if (tracing_) {
    def_reads_[def] = drain(read_);
    for (std::size_t i = 0; i < outer.size(); ++i) read_[i] = read_[i] | outer[i];
  }
  if (error_ == EvalError::none) {
    def_cache_[def] = v;
    def_ready_[def] = 1;
  }
  return v;
}

Value Interpreter::table_value(const Node& n) {
  auto row = table_row(n.a);
  if (error_ != EvalError::none) return Value::of(0);
  if (row < 0) return fail(EvalError::table_no_match, n);
  return rs_.tables[n.a].rows[static_cast<std::size_t>(row)].outputs[n.b];
}

std::int32_t Interpreter::table_row(std::uint32_t table) {
  const Table& t = rs_.tables[table];
  std::vector<Value> keys;
  // An element table's keys read the element bound at level 0 of the scope; an applicant
  // table's, none of the elements around (as an applicant's definition).
  const std::size_t outer_base = base_;
  if (t.record < 0) base_ = elements_.size();
  for (auto k : t.keys) keys.push_back(eval(k));
  base_ = outer_base;
  if (error_ != EvalError::none) return -1;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    bool all = true;
    for (std::size_t c = 0; c < keys.size() && all; ++c) {
      const TableCell& cell = row.keys[c];
      std::int64_t k = keys[c].num;
      switch (cell.kind) {
        case TableCell::Kind::any: break;
        case TableCell::Kind::values: all = std::find(cell.values.begin(), cell.values.end(), k) != cell.values.end(); break;
        case TableCell::Kind::range: all = k >= cell.lo && k <= cell.hi; break;
      }
    }
    if (all) return static_cast<std::int32_t>(r);
  }
  return -1;
}

std::int32_t Interpreter::matched_row(std::uint32_t table, EvalError& err) {
  error_ = EvalError::none;
  auto row = table_row(table);
  err = error_;
  error_ = EvalError::none;
  return row;
}

Value Interpreter::arith(const Node& n) {
  Value a = eval(rs_.child(n, 0));
  if (n.op == Op::neg) {
    Value out;
    auto e = exact::neg(a, out);
    return e == EvalError::none ? out : fail(e, n);
  }
  // A sum or difference may have many operands: the left fold, one checked step at a time,
  // exactly as the chain of binary nodes it stands for.
  for (std::uint32_t i = 1; i < n.count; ++i) {
    Value b = eval(rs_.child(n, i));
    if (error_ != EvalError::none || !step(n.op, a, b, a, n)) return Value::of(0);
  }
  return a;
}

// One binary step of add, sub, mul or div, faulting at `n` on an absent operand, an
// overflow or a division by zero; false when it faulted.
bool Interpreter::step(Op op, Value a, Value b, Value& out, const Node& n) {
  if (!a.present() || !b.present()) return fail(EvalError::missing_value, n), false;
  EvalError e = op == Op::add ? exact::add(a, b, out)
              : op == Op::sub ? exact::sub(a, b, out)
              : op == Op::mul ? exact::mul(a, b, out)
                              : exact::div(a, b, out);
  if (e != EvalError::none) return fail(e, n), false;
  return true;
}

// tiered(cost, subsidy, first rate, rest rate) (ir.hpp): the first tier's cost is
// subsidy / first rate; within it, cost × first rate; beyond, subsidy + (cost − first
// tier's cost) × rest rate. The steps and their faults come in the order of the formula
// written out (as kijun once lowered it); the rest rate is read only beyond the first tier.
Value Interpreter::tiered(const Node& n) {
  Value cost = eval(rs_.child(n, 0));
  Value subsidy = eval(rs_.child(n, 1));
  Value first_rate = eval(rs_.child(n, 2));
  Value first_cost, out;
  if (error_ != EvalError::none || !step(Op::div, subsidy, first_rate, first_cost, n)) return Value::of(0);
  if (exact::compare(cost, first_cost) <= 0) return step(Op::mul, cost, first_rate, out, n) ? out : Value::of(0);
  Value beyond;
  if (!step(Op::sub, cost, first_cost, beyond, n)) return Value::of(0);
  Value rest_rate = eval(rs_.child(n, 3));
  if (error_ != EvalError::none || !step(Op::mul, beyond, rest_rate, beyond, n)) return Value::of(0);
  return step(Op::add, subsidy, beyond, out, n) ? out : Value::of(0);
}

// Arguments left to right, then the function; a fault (or no function) is defined.
Value Interpreter::call(const Node& n) {
  std::int64_t args[16] = {};
  for (std::uint32_t i = 0; i < n.count && i < 16; ++i) args[i] = eval(rs_.child(n, i)).num;
  if (error_ != EvalError::none) return Value::of(0);
  kijun_ext_fn fn = functions_ ? functions_[n.a] : nullptr;
  std::int32_t fault = 0;
  std::int64_t r = fn ? fn(args, &fault) : (fault = 1, 0);
  if (fault) return fail(EvalError::extension_fault, n);
  return Value::of(n.kind == dsl::Kind::bool_ ? (r != 0) : r);
}

Value Interpreter::eval(NodeId id) {
  if (error_ != EvalError::none) return Value::of(0);
  const Node& n = rs_.node(id);
  auto kid = [&](std::uint32_t i) { return eval(rs_.child(n, i)); };
  // Left operand first, then right: the JIT faults in the same order.
  auto cmp = [&]() {
    Value a = kid(0);
    Value b = kid(1);
    return exact::compare(a, b);
  };
  switch (n.op) {
    case Op::constant: return n.imm;
    case Op::input:
      if (tracing_) read_[n.a] = 1;
      return inputs_[n.a];
    case Op::def:
      if (rs_.defs[n.a].record < 0) return def_value(n.a);
      [[fallthrough]];
    case Op::field:
      // Read where an element is bound (the verifier sees to it); value_of on a node of a
      // list operation's body, outside it, has none to read.
      if (base_ + n.b >= elements_.size()) return fail(EvalError::missing_value, n);
      return n.op == Op::def ? element_def(n.a, elements_[base_ + n.b]) : elements_[base_ + n.b][n.a];
    case Op::list_count: case Op::list_sum: case Op::list_all: case Op::list_any: case Op::list_min: case Op::list_max:
      return list(n);
    case Op::table: return table_value(n);
    case Op::as_of: return Value::of(as_of_);
    case Op::frame: return Value::of(frame_);
    case Op::tiered: return tiered(n);
    case Op::present: return Value::of(kid(0).present() ? 1 : 0);
    case Op::not_: return Value::of(kid(0).num == 0 ? 1 : 0);
    case Op::and_:
    case Op::or_: {
      // Left to right, stopping at the first operand that decides.
      bool decided = n.op == Op::or_;
      for (std::uint32_t i = 0; i < n.count; ++i)
        if (truth(rs_.child(n, i)) == decided) return Value::of(decided ? 1 : 0);
      return Value::of(decided ? 0 : 1);
    }
    case Op::implies: return Value::of(!truth(rs_.child(n, 0)) || truth(rs_.child(n, 1)) ? 1 : 0);
    case Op::if_: return truth(rs_.child(n, 0)) ? kid(1) : kid(2);
    case Op::coalesce: {
      Value v = kid(0);
      return v.present() ? v : kid(1);
    }
    case Op::neg: case Op::add: case Op::sub: case Op::mul: case Op::div: return arith(n);
    case Op::eq: return Value::of(cmp() == 0 ? 1 : 0);
    case Op::ne: return Value::of(cmp() != 0 ? 1 : 0);
    case Op::lt: return Value::of(cmp() < 0 ? 1 : 0);
    case Op::le: return Value::of(cmp() <= 0 ? 1 : 0);
    case Op::gt: return Value::of(cmp() > 0 ? 1 : 0);
    case Op::ge: return Value::of(cmp() >= 0 ? 1 : 0);
    case Op::in_set: {
      // Every element is evaluated, so a fault in one is never skipped by a match before it.
      Value s = kid(0);
      bool found = false;
      for (std::uint32_t i = 1; i < n.count; ++i) found = exact::compare(s, kid(i)) == 0 || found;
      return Value::of(found ? 1 : 0);
    }
    case Op::floor:
    case Op::ceil: {
      // The checker lets no absent optional reach a rounding; an image from a file might.
      Value v = kid(0);
      if (!v.present()) return fail(EvalError::missing_value, n);
      return Value::of(n.op == Op::floor ? exact::floor(v) : exact::ceil(v));
    }
    case Op::min: case Op::max: {
      Value best = kid(0);
      for (std::uint32_t i = 1; i < n.count; ++i) {
        Value v = kid(i);
        int c = exact::compare(v, best);
        if (n.op == Op::min ? c < 0 : c > 0) best = v;
      }
      return best;
    }
    case Op::clamp: {
      Value v = kid(0), lo = kid(1), hi = kid(2);
      if (exact::compare(v, lo) < 0) v = lo;
      if (exact::compare(v, hi) > 0) v = hi;
      return v;
    }
    case Op::add_days: {
      std::int64_t d;
      if (__builtin_add_overflow(kid(0).num, n.imm.num, &d) || d < dsl::min_day || d > dsl::max_day)
        return fail(EvalError::date_out_of_range, n);
      return Value::of(d);
    }
    case Op::add_months: {
      auto d = dsl::add_months(kid(0).num, n.imm.num);
      return d ? Value::of(*d) : fail(EvalError::date_out_of_range, n);
    }
    case Op::call_ext: return call(n);
    case Op::days_between: {
      Value a = kid(0);
      Value b = kid(1);
      return Value::of(a.num - b.num);  // both are days within years 1..9999
    }
  }
  return Value::of(0);
}

void Interpreter::run_rule(std::uint32_t index, Evaluation& out, RuleTrace* trace) {
  const Rule& r = rs_.rules[index];
  RuleOutcome outcome = RuleOutcome::not_in_force;
  std::int32_t fired = -1;
  if (tracing_) std::fill(read_.begin(), read_.end(), 0);
  // A rule judged as of another date sees that date in its periods and its `as_of()`; the
  // checker keeps the definitions it reads independent of the date, so the cache holds.
  const std::int64_t evaluation_day = as_of_;
  if (r.as_of != no_node) {
    std::int64_t day = eval(r.as_of).num;
    if (error_ != EvalError::none) return;
    as_of_ = day;
  }
  const std::int64_t day = as_of_;
  if (r.period.contains(as_of_)) {
    if (r.applies != no_node && !truth(r.applies)) {
      outcome = RuleOutcome::not_applicable;
    } else {
      for (std::size_t i = 0; i < r.exceptions.size() && fired < 0; ++i)
        if (r.exceptions[i].period.contains(as_of_) && truth(r.exceptions[i].condition)) fired = static_cast<std::int32_t>(i);
      outcome = fired >= 0 ? RuleOutcome::exempted : truth(r.body) ? RuleOutcome::holds : RuleOutcome::fails;
    }
  }
  as_of_ = evaluation_day;
  if (error_ != EvalError::none) return;
  out.outcomes.push_back(outcome);
  if (trace) {
    trace->rule = index;
    trace->outcome = outcome;
    trace->exception = fired;
    trace->inputs = tracing_ ? drain(read_) : std::vector<std::uint32_t>{};
    trace->judged_on = r.as_of != no_node ? std::optional<std::int64_t>(day) : std::nullopt;
  }
  bool hit = outcome == RuleOutcome::holds;
  bool missed = outcome == RuleOutcome::fails;
  switch (r.kind) {
    case dsl::RuleKind::requirement:
    case dsl::RuleKind::limit:
      if (missed) out.failed.push_back(index);
      break;
    case dsl::RuleKind::exclusion:
      if (hit) out.failed.push_back(index);
      break;
    case dsl::RuleKind::bonus:
      if (hit) out.bonus.push_back(index), out.bonus_points += r.points;
      break;
    case dsl::RuleKind::penalty:
      if (hit) out.penalty.push_back(index), out.penalty_points += r.points;
      break;
  }
}

Evaluation Interpreter::evaluate(std::uint32_t frame, const Value* inputs, std::int64_t as_of, bool trace) {
  reset(frame, inputs, as_of, trace);
  const Frame& f = rs_.frames[frame];
  Evaluation out;
  for (auto r : f.rules) {
    RuleTrace t;
    run_rule(r, out, trace ? &t : nullptr);
    if (error_ != EvalError::none) {
      out.error = error_;
      out.error_span = error_span_;
      out.error_site = error_site_;
      out.error_rule = static_cast<std::int32_t>(r);
      return out;
    }
    if (trace) out.trace.push_back(std::move(t));
  }
  if (trace) std::fill(read_.begin(), read_.end(), 0);
  if (f.rate != UINT32_MAX) {
    out.has_rate = true;
    out.rate = def_value(f.rate);
  }
  if (f.amount != UINT32_MAX) out.amount = def_value(f.amount).num;
  if (trace) out.amount_inputs = drain(read_);
  if (error_ != EvalError::none) {
    out.error = error_;
    out.error_span = error_span_;
    out.error_site = error_site_;
    return out;
  }
  out.eligible = out.failed.empty();
  return out;
}

Value Interpreter::definition(std::uint32_t def, std::uint32_t frame, const Value* inputs, std::int64_t as_of, EvalError& err) {
  reset(frame, inputs, as_of, false);
  Value v = def_value(def);
  err = error_;
  return v;
}

std::int64_t Interpreter::rule_date(std::uint32_t rule, EvalError& err) {
  const Rule& r = rs_.rules[rule];
  err = EvalError::none;
  if (r.as_of == no_node) return as_of_;
  return value_of(r.as_of, err).num;
}

Value Interpreter::value_of(NodeId id, EvalError& err) {
  error_ = EvalError::none;
  Value v = eval(id);
  err = error_;
  error_ = EvalError::none;
  return v;
}

Value Interpreter::def_of(std::uint32_t def, EvalError& err) {
  error_ = EvalError::none;
  Value v = def_value(def);
  err = error_;
  error_ = EvalError::none;
  return v;
}

const char* error_name(EvalError e) {
  switch (e) {
    case EvalError::none: return "none";
    case EvalError::overflow: return "overflow";
    case EvalError::division_by_zero: return "division_by_zero";
    case EvalError::no_value_in_force: return "no_value_in_force";
    case EvalError::date_out_of_range: return "date_out_of_range";
    case EvalError::table_no_match: return "table_no_match";
    case EvalError::missing_value: return "missing_value";
    case EvalError::extension_fault: return "extension_fault";
  }
  return "unknown";
}

bool error_from_name(const char* name, EvalError& out) {
  for (int i = 0; i <= static_cast<int>(EvalError::extension_fault); ++i) {
    auto e = static_cast<EvalError>(i);
    if (std::string_view(error_name(e)) == name) {
      out = e;
      return true;
    }
  }
  return false;
}

}  // namespace kijun::ir
