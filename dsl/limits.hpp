// Limits on sources, checked while parsing so that no later pass (each recurses on the depth
// of expressions) can exhaust the stack. Used by the parser, and by the passes that walk a
// chain of sums in a loop (chain_link).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/support/depth.hpp"

namespace kijun::dsl {

// The parser recurses for each parenthesis inside another: past this depth a file is not
// parsed at all. No guideline needs a tenth of it.
inline constexpr std::size_t max_nesting = 200;
// How deep one expression may go; past this an item is left out. A chain of one of `+` and
// `-` (`a + b + …`, any length) counts once: every pass walks it in a loop. Any other
// operator chain is as deep as it is long.
inline constexpr std::size_t max_expression_depth = 500;
// max_evaluation_depth: dsl/support/depth.hpp (the image verifier bounds images by it too).

// Whether `b` continues a chain: a sum (difference) whose left operand is a sum (difference).
bool chain_link(const Ast& ast, const Binary& b);
// The operands of the chain that ends at `e`, left to right, and its links bottom-up (the
// innermost first, `e` last); `e` itself when it is no chain.
struct Chain {
  std::vector<ExprId> links;     // chain nodes, innermost first
  ExprId first = no_expr;        // the leftmost operand
};
Chain chain_of(const Ast& ast, ExprId e);

// The offset of the first `(` nested deeper than max_nesting, outside strings and comments.
std::optional<std::size_t> too_deep_parentheses(std::string_view text);
// Whether the expressions [first, end) of the item just parsed are within
// max_expression_depth; reports the first that is not.
bool shallow(const Ast& ast, std::size_t first, Diagnostics& diags);
// Leaves out the top-level item just parsed (after an error that makes it unusable).
void drop_last(ModuleFile& m);

}  // namespace kijun::dsl
