// What `kijun diff` reports, and its three renderings: text for a terminal (coloured when
// it is one), JSON (format "kijun-diff/1", documented in docs/auditing.md) and a
// self-contained HTML page (no script from elsewhere, no network).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/audit/behaviour.hpp"
#include "runtime/audit/structure.hpp"

namespace kijun::cli {

struct VersionInfo {
  std::string spec;       // as given: "rulesets/it-hojo/2026@2026-03-30"
  std::string programme;
  std::int64_t fiscal_year = 0;
  std::optional<std::string> on;       // the day asked for
  std::optional<std::string> version;  // the version in force on that day (or the last one)
  std::string version_note;
  std::string content_hash;
};

struct PopulationInfo {
  std::string source;  // "generated" or "file"
  std::string file;    // for a file
  std::size_t applicants = 0;  // generated: per frame
  std::uint64_t seed = 0;
};

struct DiffReport {
  VersionInfo before, after;
  std::string effective;  // when the after version's rules took effect (YYYY-MM-DD), or empty
  std::vector<runtime::StructuralChange> changes;
  std::optional<PopulationInfo> population;  // none: structural only
  runtime::BehaviourReport behaviour;
  bool differs() const { return !changes.empty() || behaviour.differs(); }
};

// Words the three renderings share.
const char* change_word(runtime::StructuralChange::Kind k);  // "added", "removed", "changed"
const char* kind_words(runtime::ChangeKind k);                // "became ineligible", …
std::string outcome_words(const runtime::Outcome& o);         // "eligible, 300,000 yen, score 1"

std::string render_text(const DiffReport& r, bool colour);
std::string render_json(const DiffReport& r);
std::string render_html(const DiffReport& r);

}  // namespace kijun::cli
