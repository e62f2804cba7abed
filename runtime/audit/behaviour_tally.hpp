// The parts of a behaviour comparison (runtime/audit/behaviour.hpp) that count: one version's
// frame as a side, what kinds of change one applicant shows, and the tally of a chunk of
// applicants or of a whole frame. Private to the runtime.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/audit/applicant_pair.hpp"
#include "runtime/audit/behaviour.hpp"
#include "runtime/engine.hpp"

namespace kijun::runtime::behaviour_detail {

// A version as one frame of it decides: the engine, its frame, and the as-of rule.
struct Side {
  const Engine* engine;
  std::optional<std::int64_t> on;
  std::uint32_t frame;
  const DiffSide* side;
  const ir::Ruleset& rs() const { return engine->ruleset(); }
  // The version's test applicants for this frame.
  std::vector<std::vector<ir::Value>> seeds() const { return side->seeds ? side->seeds(frame) : std::vector<std::vector<ir::Value>>{}; }
};

// What kinds of change one applicant shows: none, or one or more groups (a flip and a
// score change can come together). `e` are the two evaluations, needed only when the
// outcomes differ.
std::vector<ChangeGroup> classify(const std::array<Side, 2>& sides, const std::array<Outcome, 2>& o,
                                  const std::array<const ir::Evaluation*, 2>& e);
// The identity of a group: its kind, its rules with their changes, and its detail.
std::string group_key(const ChangeGroup& g);

// One chunk's (or the whole frame's) counts, groups and first examples.
struct Tally {
  FrameBehaviour counts;
  std::map<std::string, std::size_t> index;  // group key → position in counts.groups
  std::vector<std::vector<std::pair<std::string, ApplicantPair>>> candidates;  // per group: first examples

  Tally();
  // Counts one applicant; keeps it as an example of each of its groups that has fewer
  // than `keep`.
  void add(const std::array<Outcome, 2>& o, const std::vector<ChangeGroup>& groups, const std::string& id, const ApplicantPair& pair,
           std::size_t keep);
  // The group's position, made (with no count yet) when it is new.
  std::size_t slot(const ChangeGroup& g);
  // Appends a later chunk's tally.
  void merge(Tally&& t, std::size_t keep);
};

}  // namespace kijun::runtime::behaviour_detail
