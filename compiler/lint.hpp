// Ruleset-level lints over the lowered program: what a single declaration cannot show.
#pragma once

#include "compiler/ir/ir.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/program.hpp"

namespace kijun::compiler {

// Warns about every input that no rule, rate or amount of any frame reads, directly or
// through definitions and tables. The as-of input and text ids are read by the runtime.
void lint_unread_inputs(const ir::Ruleset& rs, const dsl::Program& program, dsl::Diagnostics& diags);

}  // namespace kijun::compiler
