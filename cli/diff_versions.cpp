#include "cli/diff_versions.hpp"

#include <cstdio>

#include "cli/common.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::cli {

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
  if (!v.engine || !read_tests_and_description(*v.engine)) return exit_failure;
  std::string error;
  if (!v.engine->compile({2, log, runtime::default_cache_dir(), nullptr, std::nullopt}, error)) {
    std::fprintf(stderr, "error: %s: cannot compile to native code: %s\n", v.path.c_str(), error.c_str());
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace kijun::cli
