#include "cli/diff_versions.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/common.hpp"
#include "compiler/backend/jit.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::cli {

namespace fs = std::filesystem;

namespace {

// A plugin's embedded sources written out under a fresh temporary directory: names like
// "../2026/common.kj" (an inherited ruleset) need the ruleset itself some levels deep.
std::unique_ptr<compiler::Compilation> compile_embedded(const runtime::Engine& engine, const LogFn& log, std::string& error) {
  const auto& sources = engine.sources();
  std::size_t depth = 0;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    std::size_t d = 0;
    for (const auto& part : fs::path(sources.file(static_cast<dsl::FileId>(i)).path))
      if (part == "..") ++d;
    depth = std::max(depth, d);
  }
  std::string pattern = (fs::temp_directory_path() / "kijun-diff-XXXXXX").string();
  if (!mkdtemp(pattern.data())) return error = "cannot make a temporary directory for the plugin's sources", nullptr;
  fs::path top(pattern), root = top;
  for (std::size_t d = 0; d < depth; ++d) root /= "up" + std::to_string(d);
  root /= "ruleset";
  std::error_code ec;
  for (std::size_t i = 0; i < sources.size() && error.empty(); ++i) {
    const auto& f = sources.file(static_cast<dsl::FileId>(i));
    fs::path target = (root / f.path).lexically_normal();
    fs::create_directories(target.parent_path(), ec);
    std::ofstream out(target, std::ios::binary);
    if (!(out << f.text)) error = "cannot write the plugin's source `" + f.path + "` out";
  }
  std::unique_ptr<compiler::Compilation> c;
  if (error.empty()) {
    c = compiler::compile_path(root.string(), log);
    if (!c->ok()) error = "the plugin's embedded sources do not check";
    else if (c->content_hash != engine.content_hash()) error = "the plugin's embedded sources do not match its content hash";
  }
  fs::remove_all(top, ec);
  return error.empty() ? std::move(c) : nullptr;
}

}  // namespace

VersionInfo DiffVersion::info() const {
  const auto& rs = engine->ruleset();
  VersionInfo out;
  out.spec = spec;
  out.programme = rs.programme;
  out.fiscal_year = rs.fiscal_year;
  out.content_hash = engine->content_hash();
  std::optional<std::int64_t> version;
  if (on) {
    out.on = dsl::format_date(*on);
    version = rs.version_on(*on);
  } else if (!rs.versions.empty()) {
    version = rs.versions.back().date;
  }
  if (version) {
    out.version = dsl::format_date(*version);
    for (auto& ver : rs.versions)
      if (ver.date == *version) out.version_note = ver.note;
  }
  return out;
}

int load_version(const std::string& spec, const std::string& plugin_path, const runtime::TrustPolicy& trust,
                 const LogFn& log, DiffVersion& v) {
  v.spec = spec;
  v.path = spec;
  // "dir@2026-03-30": the text after the last '@' must be a date.
  if (auto at = spec.rfind('@'); at != std::string::npos) {
    auto day = dsl::parse_date(spec.substr(at + 1));
    if (!day) {
      std::fprintf(stderr, "error: `%s`: `%s` after `@` is not a date YYYY-MM-DD\n", spec.c_str(), spec.substr(at + 1).c_str());
      return exit_usage;
    }
    v.path = spec.substr(0, at);
    v.on = day;
  }
  v.engine = load_engine(v.path, plugin_path, trust, log);
  if (!v.engine) return exit_failure;
  std::string error;
  if (!driver::compilation_of(*v.engine)) {
    auto compilation = compile_embedded(*v.engine, log, error);
    if (!compilation) {
      std::fprintf(stderr, "error: %s: %s\n", v.path.c_str(), error.c_str());
      return exit_failure;
    }
    v.embedded = std::make_unique<runtime::Engine>(std::move(compilation));
  }
  if (!v.engine->compile({2, log, runtime::default_cache_dir()}, error)) {
    std::fprintf(stderr, "error: %s: cannot compile to native code: %s\n", v.path.c_str(), error.c_str());
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace kijun::cli
