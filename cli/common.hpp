// Helpers shared by the subcommands: compile a ruleset and print its diagnostics.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/pipeline.hpp"
#include "runtime/engine.hpp"
#include "runtime/loader.hpp"
#include "runtime/trust.hpp"

namespace kijun::cli {

// Compiles and prints diagnostics to stderr; null when the ruleset has errors.
std::unique_ptr<compiler::Compilation> load_ruleset(const std::string& path, const LogFn& log, bool json_diagnostics = false);
void print_diagnostics(const compiler::Compilation& c, bool json);


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

// Standard output as the commands write it. The first failed write (a full disk, a closed
// pipe, /dev/full) is remembered with its reason: a result that was not written must not
// pass for one that was. False once a write has failed.
bool write_out(std::string_view text);
// At the end of a command: flushes standard output and, if any write failed, prints
// "error: cannot write standard output: why" and returns exit_failure; else `status`.
int finish_stdout(int status);
// Writes `text` to the file `path`, replacing it; prints "error: cannot write `path`: why"
// and returns false when it cannot.
bool write_file(const std::string& path, std::string_view text);
// "error: cannot write WHAT: why" on stderr, `error` an errno value (0: reason unknown).
void report_write_error(const std::string& what, int error);

// Which plugins the command may load: signed by one of `key_files` (--trusted-key), else of
// $KIJUN_TRUSTED_KEYS (colon-separated); either requires a signature. With neither, any
// plugin whose seal checks loads. Prints why and returns false when a key cannot be read.
bool plugin_trust(const std::vector<std::string>& key_files, runtime::TrustPolicy& trust);

// When `path` is a plugin rather than ruleset sources, says so and what it is ("error:
// PATH is a plugin built by `kijun build` (it-hojo 2026), not ruleset sources; `kijun
// COMMAND` reads sources") and returns true.
bool refuse_plugin(const std::string& path, const char* command);

// A ruleset source directory, a plugin file, or PROGRAMME:YEAR found on the plugin search
// path (`plugin_path`, else $KIJUN_PLUGIN_PATH); a plugin is loaded under `trust`. Prints
// why on failure and returns null.
std::unique_ptr<runtime::Engine> load_engine(const std::string& what, const std::string& plugin_path,
                                             const runtime::TrustPolicy& trust, const LogFn& log);
// Reads a loaded ruleset's tests and description (a plugin defers them); false after
// printing why when a plugin's are corrupt. For the commands that use them.
bool read_tests_and_description(const runtime::Engine& engine);

}  // namespace kijun::cli
