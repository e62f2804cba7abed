// Helpers for unit tests: compile in-memory sources, evaluate a frame for a record.
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "compiler/ir/interpreter.hpp"
#include "compiler/pipeline.hpp"

namespace kijun::ir {
// Lets Boost.Test print evaluation errors by name.
inline std::ostream& operator<<(std::ostream& os, EvalError e) { return os << error_name(e); }
}  // namespace kijun::ir

namespace kijun::testing {

// A one-file ruleset: a header, `module t`, then `body`.
std::unique_ptr<compiler::Compilation> compile(const std::string& body);
// The rendered diagnostics of compiling `body`.
std::string diagnostics(const std::string& body);
// Input values by name (absent unless given), for the compiled ruleset.
std::vector<ir::Value> inputs(const ir::Ruleset& rs, const std::map<std::string, ir::Value>& values);

}  // namespace kijun::testing
