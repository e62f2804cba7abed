// Amendments of an extended ruleset (`amend module|frame NAME { … }`, `remove test "…"`).
#pragma once

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"

namespace kijun::dsl {

// Applies every amendment in `ast` to the module or frame it names and drops removed
// tests. `layers` are the indices of `ast.files` where each ruleset of an `extends` chain
// begins, the extending ruleset first ({0} for a ruleset that extends none): amendments
// apply from the most inherited layer up, so the extending ruleset has the last word.
// `broken_chain`: an `extends` could not be followed (and was reported). Removed names are
// recorded in `ast.removed`.
void apply_amendments(Ast& ast, const std::vector<std::size_t>& layers, bool broken_chain, Diagnostics& diags);

}  // namespace kijun::dsl
