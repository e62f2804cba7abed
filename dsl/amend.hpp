// Amendments of an extended ruleset (`amend module|frame NAME { … }`, `remove test "…"`).
#pragma once

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"

namespace kijun::dsl {

// Applies every amendment in `ast` to the module or frame it names and drops removed
// tests; `extends` says whether the ruleset extends another (amendments need one).
// Removed names are recorded in `ast.removed`.
void apply_amendments(Ast& ast, bool extends, Diagnostics& diags);

}  // namespace kijun::dsl
