// Limits on sources, checked while parsing so that no later pass (each recurses on the depth
// of expressions) can exhaust the stack. Internal to dsl/parser.cpp.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"

namespace kijun::dsl {

// The parser recurses for each parenthesis inside another: past this depth a file is not
// parsed at all. No guideline needs a tenth of it.
inline constexpr std::size_t max_nesting = 200;
// An operator chain (`a + b + …`) is as deep as it is long; past this an item is left out.
inline constexpr std::size_t max_expression_depth = 500;

// The offset of the first `(` nested deeper than max_nesting, outside strings and comments.
std::optional<std::size_t> too_deep_parentheses(std::string_view text);
// Whether the expressions [first, end) of the item just parsed are within
// max_expression_depth; reports the first that is not.
bool shallow(const Ast& ast, std::size_t first, Diagnostics& diags);
// Leaves out the top-level item just parsed (after an error that makes it unusable).
void drop_last(ModuleFile& m);

}  // namespace kijun::dsl
