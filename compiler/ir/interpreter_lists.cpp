// The interpreter's lists (docs/design/lists.md): the list operations over an applicant's
// elements, and definitions applied to one element.
#include <algorithm>

#include "compiler/ir/exact.hpp"
#include "compiler/ir/interpreter.hpp"

namespace kijun::ir {

// A list slot holds {count, index of its first element} (ir.hpp Record); each element is its
// record's fields. The body is evaluated element by element, in order, with the element
// bound at the next level; a fault stops at the element that faults, as the code
// generator's loop does.
Value Interpreter::list(const Node& n) {
  if (tracing_) read_[n.a] = 1;
  const Value slot = inputs_[n.a];
  const std::size_t fields = rs_.records[rs_.inputs[n.a].type.enum_id].fields.size();
  const std::int64_t count = slot.present() ? slot.num : 0;
  const bool filtered = n.b & 1u;
  const NodeId filter = filtered ? rs_.child(n, n.count - 1) : no_node;
  const NodeId body = n.op == Op::list_count ? no_node : rs_.child(n, 0);
  Value acc = n.op == Op::list_all ? Value::of(1) : n.op == Op::list_min || n.op == Op::list_max ? Value::absent() : Value::of(0);
  for (std::int64_t i = 0; i < count && error_ == EvalError::none; ++i) {
    elements_.push_back(inputs_ + slot.den + static_cast<std::size_t>(i) * fields);
    bool chosen = filter == no_node || truth(filter);
    if (chosen && error_ == EvalError::none) {
      switch (n.op) {
        case Op::list_count: ++acc.num; break;
        case Op::list_sum: {
          Value v = eval(body);
          if (error_ == EvalError::none) step(Op::add, acc, v, acc, n);
          break;
        }
        case Op::list_all:
        case Op::list_any: {
          bool decided = n.op == Op::list_any;
          if (truth(body) == decided && error_ == EvalError::none) {
            elements_.pop_back();
            return Value::of(decided ? 1 : 0);
          }
          break;
        }
        case Op::list_min:
        case Op::list_max: {
          Value v = eval(body);
          if (error_ != EvalError::none) break;
          int order = acc.present() ? exact::compare(v, acc) : 0;
          if (!acc.present() || (n.op == Op::list_min ? order < 0 : order > 0)) acc = v;
          break;
        }
        default: break;
      }
    }
    elements_.pop_back();
  }
  if (error_ != EvalError::none) return Value::of(0);
  return acc;
}

// A definition applied to one element: evaluated where it is first read for that element,
// with the element as its only binding (its field reads are level 0: elements_ from base_),
// and kept per (definition, element) for the rest of the applicant.
Value Interpreter::element_def(std::uint32_t def, const Value* element) {
  if (auto memo = element_memo_.find({def, element}); memo != element_memo_.end()) return memo->second;
  const DefAlt* alt = in_force(def);
  if (!alt) return Value::of(0);
  const std::size_t outer = base_;
  base_ = elements_.size();
  elements_.push_back(element);
  Value v = eval(alt->root);
  elements_.pop_back();
  base_ = outer;
  if (error_ == EvalError::none) element_memo_.emplace(std::make_pair(def, element), v);
  return v;
}

Value Interpreter::element_value(NodeId id, std::uint32_t slot, std::int64_t element, EvalError& err) {
  const Value list = inputs_[slot];
  const std::size_t fields = rs_.records[rs_.inputs[slot].type.enum_id].fields.size();
  err = EvalError::none;
  if (!list.present() || element < 0 || element >= list.num) return err = EvalError::missing_value, Value::of(0);
  const auto outer = std::move(elements_);
  const auto outer_base = base_;
  elements_ = {inputs_ + list.den + static_cast<std::size_t>(element) * fields};
  base_ = 0;
  error_ = EvalError::none;
  Value v = eval(id);
  err = error_;
  error_ = EvalError::none;
  elements_ = outer;
  base_ = outer_base;
  return v;
}

}  // namespace kijun::ir
