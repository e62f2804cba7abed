// `kijun fmt`: the canonical layout of a source file. Formatting a formatted file
// changes nothing.
#pragma once

#include <string>

#include "dsl/ast.hpp"
#include "dsl/support/source.hpp"

namespace kijun::dsl {

std::string format_module(const Ast& ast, const SourceSet& sources, const ModuleFile& module);
// One expression in canonical form (used by diffs and explanations).
std::string format_expr(const Ast& ast, ExprId e);
// One key cell of a decision table row in canonical form: "-", "a, b", "1..5", ">= 3".
std::string format_cell(const Ast& ast, const TableCell& cell);

}  // namespace kijun::dsl
