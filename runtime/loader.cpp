#include "runtime/loader.hpp"

#include <cstdlib>
#include <filesystem>

#include "runtime/extensions.hpp"
#include "runtime/plugin.hpp"
#include "runtime/toolchain.hpp"

namespace kijun::runtime {

namespace fs = std::filesystem;

namespace {

LoadResult failed(LoadFailure kind, std::string error) {
  LoadResult r;
  r.failure = kind;
  r.error = std::move(error);
  return r;
}

// The directory a ruleset's extensions are looked for beside: a source directory itself,
// else the folder of the file.
std::string beside(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return path;
  auto parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

LoadResult with_extensions(std::unique_ptr<Engine> engine, const std::string& where) {
  std::string error;
  if (!engine->load_extensions(extension_path(beside(where)), error)) return failed(LoadFailure::extension, error);
  LoadResult r;
  r.engine = std::move(engine);
  return r;
}

LoadResult from_plugin(std::unique_ptr<Plugin> plugin, const LogFn& log) {
  if (plugin->signer() && log) log(LogLevel::info, plugin->path() + ": signed by key " + keys::key_id(*plugin->signer()));
  auto where = plugin->path();
  return with_extensions(std::make_unique<Engine>(std::move(plugin)), where);
}

// Is `what` PROGRAMME:YEAR (and not an existing file)? Sets the parts when it is.
bool names_programme_year(const std::string& what, std::string& programme, std::int64_t& year) {
  std::error_code ec;
  auto colon = what.rfind(':');
  if (fs::exists(what, ec) || colon == std::string::npos || colon == 0 || colon + 1 == what.size()) return false;
  char* end = nullptr;
  year = std::strtoll(what.c_str() + colon + 1, &end, 10);
  if (!end || *end != '\0') return false;
  programme = what.substr(0, colon);
  return true;
}

}  // namespace

LoadResult load(const LoadRequest& request) {
  const auto& what = request.what;
  std::string error;
  if (looks_like_plugin(what)) {
    auto plugin = Plugin::open(what, error, request.trust);
    if (!plugin) return failed(LoadFailure::plugin_refused, error);
    return from_plugin(std::move(plugin), request.log);
  }
  std::string programme;
  std::int64_t year = 0;
  if (names_programme_year(what, programme, year)) {
    std::string path = request.plugin_path;
    if (path.empty())
      if (const char* env = std::getenv("KIJUN_PLUGIN_PATH")) path = env;
    PluginRegistry registry(split_search_path(path));
    std::size_t matches = 0;
    for (auto& e : registry.entries()) matches += e.programme == programme && e.fiscal_year == year;
    auto plugin = registry.open(programme, year, error, request.trust);
    if (!plugin)
      return failed(matches == 0 ? LoadFailure::not_found : matches > 1 ? LoadFailure::usage : LoadFailure::plugin_refused, error);
    return from_plugin(std::move(plugin), request.log);
  }
  if (!toolchain().compile) return failed(LoadFailure::usage, no_compiler_message(what));
  std::string diagnostics;
  auto engine = toolchain().compile(what, request.log, diagnostics);
  std::error_code ec;
  if (!engine) return failed(fs::exists(what, ec) ? LoadFailure::ruleset : LoadFailure::not_found, diagnostics);
  auto r = with_extensions(std::move(engine), what);
  r.diagnostics = std::move(diagnostics);
  return r;
}

}  // namespace kijun::runtime
