// Lowering of a checked program to the IR.
#pragma once

#include "compiler/ir/ir.hpp"
#include "dsl/program.hpp"

namespace kijun::ir {

Ruleset lower(const dsl::Program& program);
// The value of a constant expression of the program (fixture values, expected results).
Value lower_constant(const dsl::Program& program, dsl::ExprId e);

}  // namespace kijun::ir
