// What a node may do when evaluated: fault (Fallibility), or be evaluated although the
// interpreter would not (Speculation). These decide whether a rule branches or selects,
// and whether a definition is computed up front or memoised.
#include "compiler/backend/codegen_emitter.hpp"

namespace kijun::jit::detail {

using ir::Op;

// Each node is answered once (rules ask about their trees, and every choice in them about
// its own subtree): the answers are kept by node id.
bool Fallibility::node(ir::NodeId id) {
  if (node_state_[id]) return node_state_[id] == 2;
  const ir::Node& n = rs_.node(id);
  bool fallible = false;
  if (n.op == Op::def) fallible = def(n.a);
  else fallible = ir::op_info(n.op).faults;  // compiler/ir/ops.def
  for (std::uint32_t i = 0; i < n.count && !fallible; ++i) fallible = node(rs_.child(n, i));
  node_state_[id] = fallible ? 2 : 1;
  return fallible;
}

// A definition faults when one of its alternatives may, or when no alternative is in
// force on some dates (then "no value in force" is a fault).
bool Fallibility::def(std::uint32_t d) {
  if (def_state_[d]) return def_state_[d] == 2;
  def_state_[d] = 1;
  const auto& alts = rs_.defs[d].alts;
  bool always = alts.size() == 1 && !alts[0].period.from && !alts[0].period.until;
  bool fallible = !always;
  for (auto& a : alts) fallible = fallible || node(a.root);
  def_state_[d] = fallible ? 2 : 1;
  return fallible;
}

// A division of a non-integral value by its denominator (floor, ceil of a rate) would trap
// on an absent value's zero denominator, so it is never speculated.
bool Speculation::node(ir::NodeId id) {
  if (node_state_[id]) return node_state_[id] == 1;
  node_state_[id] = 2;
  bool safe = speculable(id);
  node_state_[id] = safe ? 1 : 2;
  return safe;
}

bool Speculation::speculable(ir::NodeId id) {
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

}  // namespace kijun::jit::detail
