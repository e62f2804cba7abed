// Loading ahead-of-time ruleset plugins (include/kijun/plugin.h) with no compiler in the
// loop, and finding them by programme and fiscal year on a search path.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/image.hpp"
#include "compiler/ir/ir.hpp"
#include "dsl/support/source.hpp"
#include "kijun/plugin.h"
#include "runtime/trust.hpp"

namespace kijun::runtime {

class Plugin {
public:
  ~Plugin();
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  // Null with a message a person can act on when the file is not a usable plugin: no seal
  // (truncated, or not built by kijun), bytes that do not match the seal's digest, another
  // ABI version, code for another CPU, a corrupt image, or a content hash that does not
  // match its sources; a signature that does not verify, or one `trust` does not accept
  // ("PATH: not a trusted plugin: untrusted key: …"). The seal and its signature are
  // checked before any of its code is loaded, and the bytes loaded are the bytes checked.
  static std::unique_ptr<Plugin> open(const std::string& path, std::string& error, const TrustPolicy& trust = {});

  // The ruleset, without its tests and description until read_deferred.
  const ir::Ruleset& ruleset() const { return rs_; }
  // Reads the tests and the description into ruleset() the first time it is called (a
  // plugin loaded to decide applicants never needs them); false with `error`, the same on
  // every call, when they are corrupt. Thread-safe.
  bool read_deferred(std::string& error);
  const dsl::SourceSet& sources() const { return sources_; }
  const std::string& content_hash() const { return hash_; }
  const std::string& target() const { return target_; }
  kijun_frame_fn frame(std::uint32_t index) const { return frames_[index]; }
  // The plugin's own table of extension functions, for the loader to fill.
  kijun_ext_fn* extension_table() const { return extension_table_; }
  const std::string& path() const { return path_; }
  // The key whose signature its seal carries; nullopt when it is unsigned.
  const std::optional<keys::PublicKey>& signer() const { return signer_; }

private:
  Plugin() = default;
  void* handle_ = nullptr;
  int fd_ = -1;  // the sealed in-memory copy the library was loaded from
  ir::Ruleset rs_;
  ir::DeferredParts deferred_;  // views into the loaded library's image
  std::once_flag deferred_once_;
  std::string deferred_error_;
  dsl::SourceSet sources_;
  std::string hash_;
  std::string target_;
  std::vector<kijun_frame_fn> frames_;
  kijun_ext_fn* extension_table_ = nullptr;
  std::string path_;
  std::optional<keys::PublicKey> signer_;
};

// Is this file a shared library (a plugin) rather than a ruleset source directory?
bool looks_like_plugin(const std::string& path);

struct PluginEntry {
  std::string path;
  std::string programme;
  std::int64_t fiscal_year = 0;
};

// The plugins found in `directories` (*.kjp files), by programme and fiscal year.
class PluginRegistry {
public:
  explicit PluginRegistry(const std::vector<std::string>& directories);
  const std::vector<PluginEntry>& entries() const { return entries_; }
  // Files on the path that are no sealed plugin, each with why (never loaded).
  const std::vector<std::string>& unreadable() const { return unreadable_; }
  // The one plugin of that programme and year, opened under `trust`; two of them is an error
  // naming both (trusted or not: a file on the path is never silently passed over).
  std::unique_ptr<Plugin> open(const std::string& programme, std::int64_t fiscal_year, std::string& error,
                               const TrustPolicy& trust = {}) const;

private:
  std::vector<PluginEntry> entries_;
  std::vector<std::string> unreadable_;
};

// The directories of a colon-separated search path (KIJUN_PLUGIN_PATH).
std::vector<std::string> split_search_path(const std::string& path);

}  // namespace kijun::runtime
