#include "cli/diff_versions.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "cli/common.hpp"
#include "compiler/backend/jit.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::cli {

namespace fs = std::filesystem;

namespace {

// A plugin's embedded sources compiled again, for its structure: held in memory under a
// virtual root deep enough that names like "../2026/common.kj" (an inherited ruleset) stay
// inside it; nothing is written to disk.
std::unique_ptr<compiler::Compilation> compile_embedded(const runtime::Engine& engine, const LogFn& log, std::string& error) {
  const auto& sources = engine.sources();
  std::size_t depth = 0;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    std::size_t d = 0;
    for (const auto& part : fs::path(sources.file(static_cast<dsl::FileId>(i)).path))
      if (part == "..") ++d;
    depth = std::max(depth, d);
  }
  fs::path root = "/plugin";
  for (std::size_t d = 0; d < depth; ++d) root /= "up" + std::to_string(d);
  root /= "ruleset";
  std::map<std::string, std::string> files;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& f = sources.file(static_cast<dsl::FileId>(i));
    files[(root / f.path).lexically_normal().generic_string()] = f.text;
  }
  compiler::CompileOptions options{log, {}, &files};
  auto c = compiler::compile_path(root.string(), options);
  if (!c->ok()) error = "the plugin's embedded sources do not check";
  else if (c->content_hash != engine.content_hash()) error = "the plugin's embedded sources do not match its content hash";
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
