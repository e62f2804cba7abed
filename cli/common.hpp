// Helpers shared by the subcommands: compile a ruleset and print its diagnostics.
#pragma once

#include <memory>
#include <string>

#include "compiler/pipeline.hpp"

namespace kijun::cli {

// Compiles and prints diagnostics to stderr; null when the ruleset has errors.
std::unique_ptr<compiler::Compilation> load_ruleset(const std::string& path, const LogFn& log, bool json_diagnostics = false);
void print_diagnostics(const compiler::Compilation& c, bool json);

}  // namespace kijun::cli
