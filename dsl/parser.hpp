// Parses one kijun source file into the shared Ast. Syntax errors become diagnostics;
// the parser resumes at the next top-level declaration so one run reports several.
#pragma once

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/support/source.hpp"

namespace kijun::dsl {

ModuleFile parse_file(const SourceSet& sources, FileId file, Ast& ast, Diagnostics& diags);

}  // namespace kijun::dsl
