// The rules every ruleset IR keeps: what lowering (compiler/lower.cpp) produces from a
// checked program, and therefore what a ruleset image read from a file must hold before
// anything evaluates it. The compiler checks its own output; the image reader checks what
// it reads.
#pragma once

#include <string>

#include "compiler/ir/ir.hpp"
#include "dsl/support/depth.hpp"

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
// - no node, definition or table key reaches itself (evaluation ends), and no path through
//   children, definitions' values and tables' keys is longer than max_ir_depth (the
//   interpreter and explain recurse along it, so a hostile image could exhaust the stack);
// - versions, periods and date constants are days of years 1..9999.
std::string verify(const Ruleset& rs);

// The longest path evaluation may take through an image. A checked program is bounded by
// dsl::max_evaluation_depth (K0012), which counts one level per operation of the source;
// lowering adds at most one node per level for the reading of a definition or table, and
// a few for operations it expands (`between`, `clamp`), so twice as many levels keeps every
// checked program's IR inside, with room to spare.
inline constexpr std::size_t max_ir_depth = 2 * dsl::max_evaluation_depth;

// The tests: frames, inputs, definitions and tables in range; applicant values their inputs
// can hold; dates that are calendar days (compiler/ir/verify_tests.cpp). Part of verify().
std::string verify_tests(const Ruleset& rs);
// An applicant's values (ir.hpp Record: its inputs, then its lists' elements): each a value
// its input or field can hold, each list within its length and within the values. Empty
// when well formed, else what is wrong. Not allocating unless it refuses.
std::string check_applicant(const Ruleset& rs, const Value* values, std::size_t size);
// Lists: records and list inputs well declared; every field read, element definition and
// element table used where an element of its record is bound (compiler/ir/verify_lists.cpp).
std::string verify_lists(const Ruleset& rs);
// The description: every period made of calendar days (what it holds otherwise is text).
std::string verify_description(const Ruleset& rs);

}  // namespace kijun::ir
