// The compilation pipeline, one named pass after another: read → parse → amend → check →
// lower → verify → lint (`passes`). A Compilation owns everything later stages point into.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "compiler/ir/ir.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/program.hpp"
#include "dsl/support/hash.hpp"  // content_hash, source_name, is_test_file
#include "dsl/support/source.hpp"
#include "kijun/log.hpp"

namespace kijun::compiler {

struct Compilation {
  dsl::SourceSet sources;
  dsl::Program program;
  ir::Ruleset ruleset;
  dsl::Diagnostics diagnostics;
  std::string content_hash;  // "sha256:<hex>" of the rule sources (tests excluded)
  bool checked = false;      // parsing and checking reported no error; ruleset is valid

  bool ok() const { return checked; }
};

// The passes of the front end, in the order they run: what `kijun check --dump-after`
// names. read: the sources; parse: each file; amend: the files a ruleset `extends`, read and
// parsed, and its `amend` blocks applied; check: names and types; lower: the IR; verify: the
// IR's invariants; lint: warnings about the IR.
inline constexpr std::array<std::string_view, 7> passes{"read", "parse", "amend", "check", "lower", "verify", "lint"};

struct CompileOptions {
  LogFn log;  // each pass's time, at debug level
  // Called after each pass that runs, with the compilation as the pass left it.
  std::function<void(std::string_view pass, const Compilation&)> after;
  // The files to compile, held in memory by path, instead of the file system's (`extends`
  // is followed among them); null: the file system.
  const std::map<std::string, std::string>* files = nullptr;
};

// `path` is a ruleset directory (every *.kj in it) or a single .kj file.
std::unique_ptr<Compilation> compile_path(const std::string& path, const CompileOptions& options);
std::unique_ptr<Compilation> compile_path(const std::string& path, const LogFn& log = {});
// Compiles in-memory sources (name → text); used by tests.
std::unique_ptr<Compilation> compile_sources(const std::vector<std::pair<std::string, std::string>>& files, const LogFn& log = {});

}  // namespace kijun::compiler
