// The rules every ruleset IR keeps: what lowering (compiler/lower.cpp) produces from a
// checked program, and therefore what a ruleset image read from a file must hold before
// anything evaluates it. The compiler checks its own output; the image reader checks what
// it reads.
#pragma once

#include <string>

#include "compiler/ir.hpp"

namespace kijun::ir {

// Empty when the ruleset is well formed; else the first fault found, in words:
// - every index (child, input, definition, table, output, rule, function) is in range;
// - each node evaluation can reach has the number of children its operation takes, and
//   its kind follows from its operation and its children's kinds as the checker types the
//   expression it comes from (comparisons give bool, `and` takes bools, int + rate gives
//   rate, …); the nodes lowering leaves behind (table cells, folded in place) are never
//   evaluated, and only their indices are checked;
// - the declarations agree with the nodes: an input node has its input's kind, a
//   definition's values fit its kind, rule conditions are bool, a frame's rate is a rate
//   and its amount yen, table keys are keyable;
// - no node, definition or table key reaches itself (evaluation ends).
std::string verify(const Ruleset& rs);

}  // namespace kijun::ir
