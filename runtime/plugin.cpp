#include "runtime/plugin.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "compiler/image.hpp"
#include "compiler/jit.hpp"
#include "compiler/pipeline.hpp"

namespace kijun::runtime {

namespace fs = std::filesystem;

Plugin::~Plugin() {
  if (handle_) dlclose(handle_);
}

bool looks_like_plugin(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

namespace {

// Code built for a named CPU runs only there; the portable baselines run on any x86-64-v2.
bool runs_here(const std::string& target) {
  auto space = target.rfind(' ');
  std::string cpu = space == std::string::npos ? target : target.substr(space + 1);
  if (cpu == "x86-64" || cpu == "x86-64-v2" || cpu == "generic") return true;
  auto host = jit::host_description();
  return host.substr(host.rfind(' ') + 1) == cpu;
}

}  // namespace

std::unique_ptr<Plugin> Plugin::open(const std::string& path, std::string& error) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    error = path + ": no such plugin file";
    return nullptr;
  }
  std::unique_ptr<Plugin> p(new Plugin());
  p->handle_ = dlopen(fs::absolute(path).c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!p->handle_) {
    error = path + ": not a loadable plugin (" + std::string(dlerror()) + ")";
    return nullptr;
  }
  auto entry = reinterpret_cast<kijun_plugin_entry_fn>(dlsym(p->handle_, KIJUN_PLUGIN_ENTRY));
  const kijun_plugin* d = entry ? entry() : nullptr;
  if (!d) {
    error = path + ": a shared library, but not a kijun plugin (no " KIJUN_PLUGIN_ENTRY ")";
    return nullptr;
  }
  if (d->abi_version != KIJUN_PLUGIN_ABI_VERSION) {
    error = path + ": built for plugin ABI " + std::to_string(d->abi_version) + "; this kijun reads ABI " +
            std::to_string(KIJUN_PLUGIN_ABI_VERSION) + ". Rebuild it with `kijun build`.";
    return nullptr;
  }
  std::string why;
  if (!d->image || !ir::read_image({reinterpret_cast<const char*>(d->image), d->image_size}, p->rs_, p->sources_, why)) {
    error = path + ": corrupt plugin: " + why;
    return nullptr;
  }
  p->hash_ = d->content_hash ? d->content_hash : "";
  auto actual = compiler::content_hash(p->sources_);
  if (actual != p->hash_) {
    error = path + ": content hash mismatch: the plugin records " + p->hash_ + " but its sources hash to " + actual +
            ". It has been altered or damaged; rebuild it from the ruleset.";
    return nullptr;
  }
  if (d->frame_count != p->rs_.frames.size()) {
    error = path + ": corrupt plugin: " + std::to_string(d->frame_count) + " frames in the code, " +
            std::to_string(p->rs_.frames.size()) + " in the image";
    return nullptr;
  }
  for (std::uint32_t f = 0; f < d->frame_count; ++f) {
    if (!d->frames[f] || !d->frame_names[f] || p->rs_.frames[f].name != d->frame_names[f]) {
      error = path + ": corrupt plugin: frame " + std::to_string(f) + " does not match its image";
      return nullptr;
    }
    p->frames_.push_back(d->frames[f]);
  }
  p->target_ = d->target ? d->target : "";
  p->path_ = path;
  if (d->extension_count != p->rs_.functions.size() || (d->extension_count && !d->extension_table)) {
    error = path + ": corrupt plugin: its table of extension functions does not match its image";
    return nullptr;
  }
  p->extension_table_ = d->extension_table;
  if (!runs_here(p->target_)) {
    error = path + ": built for " + p->target_ + ", not this machine (" + jit::host_description() +
            "). Rebuild it here, or with `kijun build --cpu x86-64-v2` for any x86-64.";
    return nullptr;
  }
  return p;
}

std::vector<std::string> split_search_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto colon = path.find(':', start);
    auto part = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!part.empty()) out.push_back(part);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return out;
}

PluginRegistry::PluginRegistry(const std::vector<std::string>& directories) {
  for (auto& dir : directories) {
    std::error_code ec;
    std::vector<std::string> files;
    for (auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".kjp") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (auto& file : files) {
      void* handle = dlopen(fs::absolute(file).c_str(), RTLD_LAZY | RTLD_LOCAL);
      if (!handle) continue;
      auto entry = reinterpret_cast<kijun_plugin_entry_fn>(dlsym(handle, KIJUN_PLUGIN_ENTRY));
      if (const kijun_plugin* d = entry ? entry() : nullptr; d && d->programme)
        entries_.push_back({file, d->programme, d->fiscal_year});
      dlclose(handle);
    }
  }
}

std::unique_ptr<Plugin> PluginRegistry::open(const std::string& programme, std::int64_t fiscal_year, std::string& error) const {
  for (auto& e : entries_)
    if (e.programme == programme && e.fiscal_year == fiscal_year) return Plugin::open(e.path, error);
  error = "no plugin for " + programme + " " + std::to_string(fiscal_year) + " on the plugin search path";
  return nullptr;
}

}  // namespace kijun::runtime
