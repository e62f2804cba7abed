// Lowering of a checked program to the IR.
#pragma once

#include <vector>

#include "compiler/ir/ir.hpp"
#include "dsl/program.hpp"

namespace kijun::ir {

// The ruleset, its tests (lower_tests) and its description (compiler/describe.hpp) included.
Ruleset lower(const dsl::Program& program);
// The tests of the program, each once per frame it names (compiler/lower_tests.cpp).
std::vector<Test> lower_tests(const dsl::Program& program, const Ruleset& rs);
// The value of a constant expression of the program (fixture values, expected results).
Value lower_constant(const dsl::Program& program, dsl::ExprId e);

}  // namespace kijun::ir
