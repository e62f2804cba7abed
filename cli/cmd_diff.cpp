// kijun diff OLD NEW: what changed between two versions of the rules. A version is a
// ruleset directory, optionally `@YYYY-MM-DD` for the rules in force on that day.
// Structural for now: rule by rule, matched by id, each part in canonical form.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dsl/calendar.hpp"
#include "runtime/structure.hpp"

namespace kijun::cli {

namespace {

struct Version {
  std::string spec, path;
  std::optional<std::int64_t> on;
  std::unique_ptr<compiler::Compilation> compilation;
};

// "dir@2026-03-30" → dir and the day; a name with no valid date after its last '@' is all path.
bool parse_version(const std::string& spec, Version& v) {
  v.spec = spec;
  v.path = spec;
  auto at = spec.rfind('@');
  if (at == std::string::npos) return true;
  auto day = dsl::parse_date(spec.substr(at + 1));
  if (!day) {
    std::fprintf(stderr, "error: `%s`: `%s` after `@` is not a date YYYY-MM-DD\n", spec.c_str(), spec.substr(at + 1).c_str());
    return false;
  }
  v.path = spec.substr(0, at);
  v.on = day;
  return true;
}

std::string describe(const Version& v) {
  const auto& rs = v.compilation->ruleset;
  std::string out = v.spec + "  (" + rs.programme + " " + std::to_string(rs.fiscal_year);
  if (v.on) {
    if (auto version = rs.version_on(*v.on)) {
      out += ", version " + dsl::format_date(*version);
      for (auto& ver : rs.versions)
        if (ver.date == *version && !ver.note.empty()) out += ": " + ver.note;
    } else {
      out += ", before its first version";
    }
  }
  return out + ")";
}

void print_change(const runtime::StructuralChange& c) {
  const char* what = c.kind == runtime::StructuralChange::Kind::added ? "added" :
                     c.kind == runtime::StructuralChange::Kind::removed ? "removed" : "changed";
  std::string head = std::string(what) + "  " + c.entry_kind + " " + c.name;
  if (!c.cite.empty()) head += "  " + c.cite;
  if (!c.label.empty()) head += "  " + c.label;
  std::printf("%s\n", head.c_str());
  for (auto& p : c.parts) {
    if (!p.before.empty()) std::printf("    - %s: %s\n", p.part.c_str(), p.before.c_str());
    if (!p.after.empty()) std::printf("    + %s: %s\n", p.part.c_str(), p.after.c_str());
  }
}

}  // namespace

int run_diff(const DiffOptions& o, const LogFn& log) {
  Version old_version, new_version;
  if (!parse_version(o.old_version, old_version) || !parse_version(o.new_version, new_version)) return exit_usage;
  for (auto* v : {&old_version, &new_version}) {
    v->compilation = load_ruleset(v->path, log);
    if (!v->compilation) return exit_failure;
  }
  auto changes = runtime::compare_structures(runtime::structure_of(*old_version.compilation, old_version.on),
                                             runtime::structure_of(*new_version.compilation, new_version.on));
  std::printf("--- %s\n+++ %s\n", describe(old_version).c_str(), describe(new_version).c_str());
  for (auto& c : changes) {
    std::printf("\n");
    print_change(c);
  }
  std::printf("\n%zu change%s\n", changes.size(), changes.size() == 1 ? "" : "s");
  return changes.empty() ? exit_ok : exit_failure;
}

}  // namespace kijun::cli
