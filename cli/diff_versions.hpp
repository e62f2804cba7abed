// The two sides of `kijun diff`: a ruleset directory or a built plugin (or PROGRAMME:YEAR
// on the plugin path), each optionally `@YYYY-MM-DD`. Either is compared through what its
// IR carries — its description, its tests, its code — so a plugin needs no compiler.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "cli/diff_report.hpp"
#include "runtime/engine.hpp"
#include "runtime/trust.hpp"

namespace kijun::cli {

struct DiffVersion {
  std::string spec, path;
  std::optional<std::int64_t> on;
  std::unique_ptr<runtime::Engine> engine;

  VersionInfo info() const;
};

// Parses `spec`, loads the version (a plugin under `trust`) and compiles it to native code;
// prints why and returns the exit status on failure (usage for a bad date, failure otherwise).
int load_version(const std::string& spec, const std::string& plugin_path, const runtime::TrustPolicy& trust,
                 const LogFn& log, DiffVersion& v);

}  // namespace kijun::cli
