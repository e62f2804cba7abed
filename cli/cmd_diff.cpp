// kijun diff OLD NEW: what changed between two versions of the rules, and whom it
// affects. Structurally, rule by rule in canonical form; behaviourally, by deciding one
// population (a file, or generated at both versions' edges) with both versions' native code.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/diff_report.hpp"
#include "cli/diff_versions.hpp"
#include "dsl/support/calendar.hpp"
#include "runtime/audit/test_runner.hpp"

namespace kijun::cli {

namespace {

// The day the after version's rules took effect: the version in force on its day, or the
// first version of an undated ruleset.
std::string effective_date(const DiffVersion& v) {
  const auto& rs = v.engine->ruleset();
  if (v.on) {
    auto version = rs.version_on(*v.on);
    return version ? dsl::format_date(*version) : "";
  }
  return rs.versions.empty() ? "" : dsl::format_date(rs.versions.front().date);
}

bool read_population(const DiffOptions& o, runtime::PopulationSpec& spec, PopulationInfo& info) {
  std::ifstream in(o.population, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: --population: cannot open `%s`\n", o.population.c_str());
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  spec.text = text.str();
  spec.csv = applicant_format(o.population_format, o.population) == "csv";
  info.source = "file";
  info.file = o.population;
  return true;
}

// A CSV header that names a column twice, or lacks one a compared frame requires, refuses
// the whole population: said once, before any frame is decided (each frame reads the file
// again, and a refused header would otherwise leave that frame with no applicants at all).
bool population_refused(const DiffOptions& o, const runtime::PopulationSpec& spec, const ir::Ruleset& before,
                        const ir::Ruleset& after) {
  if (!spec.csv) return false;
  auto compared = [&](const std::string& name) {
    return o.frames.empty() || std::find(o.frames.begin(), o.frames.end(), name) != o.frames.end();
  };
  for (const auto* rs : {&before, &after}) {
    const auto& other = rs == &before ? after : before;
    for (const auto& frame : rs->frames) {
      bool both = std::any_of(other.frames.begin(), other.frames.end(), [&](const auto& f) { return f.name == frame.name; });
      if (!both || !compared(frame.name)) continue;
      std::istringstream in(*spec.text);
      auto reader = runtime::make_csv_reader(in, *rs, frame.inputs, *spec.fields);
      runtime::Record record;
      reader->next(record);
      if (report_refused_input("--population", o.population, *reader)) return true;
    }
  }
  return false;
}

// A flip caused only by rules that did not change comes from something they read: a
// definition, a parameter, or (between two dates) the as-of date itself.
void explain_unchanged_causes(DiffReport& report, const DiffVersion& before, const DiffVersion& after) {
  std::set<std::string> changed;
  for (auto& c : report.changes) {
    changed.insert(c.name);
    if (auto dot = c.name.find('.'); dot != std::string::npos) changed.insert(c.name.substr(dot + 1));
  }
  std::string moved;
  if (before.on && after.on && *before.on != *after.on)
    moved = "; the as-of date moved from " + dsl::format_date(*before.on) + " to " + dsl::format_date(*after.on);
  for (auto& f : report.behaviour.frames)
    for (auto& g : f.groups)
      if (!g.rules.empty() && std::none_of(g.rules.begin(), g.rules.end(), [&](const runtime::RuleRef& r) { return changed.count(r.id); }))
        g.note = "these rules did not change" + (moved.empty() ? "; a definition, parameter or input they read did" : moved);
}

// A version as the behaviour comparison sees it, seeded by the tests its IR carries (a
// plugin's too).
runtime::DiffSide diff_side(const DiffVersion& v) {
  return {v.engine.get(), v.on, [&v](std::uint32_t frame) { return runtime::test_applicants(*v.engine, frame); }};
}

bool want_colour(const DiffOptions& o) {
  if (o.colour == "always") return true;
  if (o.colour == "never" || !o.output.empty() || std::getenv("NO_COLOR")) return false;
  return isatty(fileno(stdout));
}

}  // namespace

int run_diff(const DiffOptions& o, const LogFn& log) {
  if (!o.population.empty() && o.generate) {
    std::fprintf(stderr, "error: give --population or --generate, not both\n");
    return exit_usage;
  }
  runtime::TrustPolicy trust;
  if (!plugin_trust(o.trusted_keys, trust)) return exit_usage;
  DiffVersion before, after;
  for (auto [spec, v] : {std::pair{&o.old_version, &before}, std::pair{&o.new_version, &after}})
    if (int status = load_version(*spec, o.plugin_path, trust, log, *v); status != exit_ok) return status;

  DiffReport report;
  report.before = before.info();
  report.after = after.info();
  report.effective = effective_date(after);
  report.changes = runtime::compare_structures(runtime::structure_of(before.engine->ruleset(), before.on),
                                               runtime::structure_of(after.engine->ruleset(), after.on));
  if (!o.structure_only) {
    runtime::PopulationSpec spec;
    PopulationInfo info;
    std::unique_ptr<runtime::KnownFields> fields;
    if (!o.population.empty()) {
      if (!read_population(o, spec, info)) return exit_usage;
      // Each version reads the fields it knows; only a field neither knows is warned of.
      fields = std::make_unique<runtime::KnownFields>(std::vector{&before.engine->ruleset(), &after.engine->ruleset()},
                                                      field_policy(false));
      spec.fields = fields.get();
      if (population_refused(o, spec, before.engine->ruleset(), after.engine->ruleset())) return exit_failure;
    } else {
      spec.generate = o.generate ? o.generate : default_population;
      spec.seed = o.seed;
      info = {"generated", "", spec.generate, spec.seed};
    }
    runtime::BehaviourOptions options;
    options.frames = o.frames;
    options.threads = o.threads;
    options.examples = o.examples;
    std::string error;
    if (!runtime::compare_behaviour(diff_side(before), diff_side(after), spec, options,
                                    report.behaviour, error)) {
      std::fprintf(stderr, "error: --frame: %s\n", error.c_str());
      return exit_usage;
    }
    report.population = info;
    explain_unchanged_causes(report, before, after);
  }

  std::string out = o.format == "json" ? render_json(report) : o.format == "html" ? render_html(report) : render_text(report, want_colour(o));
  if (o.output.empty() ? !write_out(out) : !write_file(o.output, out)) return exit_failure;
  return report.differs() ? exit_failure : exit_ok;
}

}  // namespace kijun::cli
