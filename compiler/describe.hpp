// The description of a checked program that auditors' diffs compare (ir::Described): made
// once, when the program is lowered, and carried in the IR and the plugin image, so a
// diff of two plugins needs neither their sources nor the compiler.
#pragma once

#include <vector>

#include "compiler/ir/ir.hpp"
#include "dsl/program.hpp"

namespace kijun::ir {

std::vector<Described> describe(const dsl::Program& program);

}  // namespace kijun::ir
