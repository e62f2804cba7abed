// Name resolution and type checking: fills the Program's symbol tables and side tables
// and reports what is wrong. The tree is never modified.
#pragma once

#include "dsl/diagnostics.hpp"
#include "dsl/program.hpp"
#include "dsl/support/source.hpp"

namespace kijun::dsl {

// Checks `program.ast`; returns false when any error was reported.
bool check_program(Program& program, const SourceSet& sources, Diagnostics& diags);

// The display name of a type: "yen", "an optional rate", "enum industry"…
std::string type_name(const Program& p, Type t);

}  // namespace kijun::dsl
