// Loading ahead-of-time ruleset plugins (include/kijun/plugin.h) with no compiler in the
// loop, and finding them by programme and fiscal year on a search path.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir.hpp"
#include "dsl/source.hpp"
#include "kijun/plugin.h"

namespace kijun::runtime {

class Plugin {
public:
  ~Plugin();
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  // Null with a message a person can act on when the file is not a usable plugin: not a
  // shared library, not a kijun plugin, another ABI version, a corrupt image, a content
  // hash that does not match its sources, or code for another CPU.
  static std::unique_ptr<Plugin> open(const std::string& path, std::string& error);

  const ir::Ruleset& ruleset() const { return rs_; }
  const dsl::SourceSet& sources() const { return sources_; }
  const std::string& content_hash() const { return hash_; }
  const std::string& target() const { return target_; }
  kijun_frame_fn frame(std::uint32_t index) const { return frames_[index]; }
  // The plugin's own table of extension functions, for the loader to fill.
  kijun_ext_fn* extension_table() const { return extension_table_; }
  const std::string& path() const { return path_; }

private:
  Plugin() = default;
  void* handle_ = nullptr;
  ir::Ruleset rs_;
  dsl::SourceSet sources_;
  std::string hash_;
  std::string target_;
  std::vector<kijun_frame_fn> frames_;
  kijun_ext_fn* extension_table_ = nullptr;
  std::string path_;
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
  std::unique_ptr<Plugin> open(const std::string& programme, std::int64_t fiscal_year, std::string& error) const;

private:
  std::vector<PluginEntry> entries_;
};

// The directories of a colon-separated search path (KIJUN_PLUGIN_PATH).
std::vector<std::string> split_search_path(const std::string& path);

}  // namespace kijun::runtime
