// Helpers shared by the subcommands: compile a ruleset and print its diagnostics.
#pragma once

#include <memory>
#include <string>

#include "compiler/pipeline.hpp"
#include "runtime/engine.hpp"

namespace kijun::cli {

// Compiles and prints diagnostics to stderr; null when the ruleset has errors.
std::unique_ptr<compiler::Compilation> load_ruleset(const std::string& path, const LogFn& log, bool json_diagnostics = false);
void print_diagnostics(const compiler::Compilation& c, bool json);

// A ruleset source directory, a plugin file, or PROGRAMME:YEAR found on the plugin search
// path (`plugin_path`, else $KIJUN_PLUGIN_PATH). Prints why on failure and returns null.
// Loads the native extensions the engine's ruleset calls ($KIJUN_EXTENSION_PATH, then the
// ruleset's directory); prints why and returns false when it cannot.
bool attach_extensions(runtime::Engine& engine, const std::string& ruleset_path);

// The applicant format asked for, or else the file's: "csv" for a name ending in .csv,
// otherwise "jsonl".
std::string applicant_format(const std::string& given, const std::string& file);

// Fields no input knows, as the command line reports them: a warning on stderr once per
// name ("warning: `x` is not an input of it-hojo 2026; did you mean `y`?"), or with
// --strict-fields an error for each record that has one.
runtime::UnknownFieldPolicy field_policy(bool strict);

// After a reader has stopped: when it refused its whole input (a CSV header naming a
// column twice…), prints "error: OPTION: cannot read `FILE`: why" and returns true.
bool report_refused_input(const char* option, const std::string& file, const runtime::RecordReader& reader);

std::unique_ptr<runtime::Engine> load_engine(const std::string& what, const std::string& plugin_path, const LogFn& log);

}  // namespace kijun::cli
