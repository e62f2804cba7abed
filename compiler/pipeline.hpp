// The compilation pipeline, one pass after another: read sources → parse → check →
// lower. A Compilation owns everything later stages point into.
#pragma once

#include <memory>
#include <string>

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

// `path` is a ruleset directory (every *.kj in it) or a single .kj file.
std::unique_ptr<Compilation> compile_path(const std::string& path, const LogFn& log = {});
// Compiles in-memory sources (name → text); used by tests.
std::unique_ptr<Compilation> compile_sources(const std::vector<std::pair<std::string, std::string>>& files, const LogFn& log = {});

}  // namespace kijun::compiler
