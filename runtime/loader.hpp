// From what a user names to an engine ready to decide, for every client alike (the C++ API,
// the C ABI, the `kijun` program): a plugin file, PROGRAMME:YEAR found on the plugin search
// path, or a ruleset source (a directory or a .kj file) compiled by the installed toolchain.
// Native extensions are loaded from beside it.
#pragma once

#include <memory>
#include <string>

#include "kijun/log.hpp"
#include "runtime/engine.hpp"
#include "runtime/trust.hpp"

namespace kijun::runtime {

// Why a load failed, for a caller that acts on the kind rather than the words.
enum class LoadFailure : std::uint8_t {
  none,
  usage,           // what was named cannot be loaded here (a source without a compiler)
  ruleset,         // the sources have errors
  plugin_refused,  // the plugin is corrupt, foreign, tampered with, untrusted or for another machine
  not_found,       // no such file, or no plugin of that programme and year on the path
  extension,       // a native extension the ruleset calls cannot be loaded
};

struct LoadRequest {
  std::string what;         // a source directory or .kj file, a plugin, or PROGRAMME:YEAR
  std::string plugin_path;  // directories searched for PROGRAMME:YEAR; empty: $KIJUN_PLUGIN_PATH
  TrustPolicy trust;        // which plugins may load
  LogFn log;
};

struct LoadResult {
  std::unique_ptr<Engine> engine;  // null on failure
  LoadFailure failure = LoadFailure::none;
  std::string error;        // on failure: what went wrong (a ruleset's rendered diagnostics)
  std::string diagnostics;  // on success: the sources' warnings, rendered; empty for a plugin
};

LoadResult load(const LoadRequest& request);

}  // namespace kijun::runtime
