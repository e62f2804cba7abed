// The behavioural diff: both versions of the rules decide one population, applicant by
// applicant, on native code; the report counts who changes eligibility each way and
// because of which rules, how amounts and scores move, and shows a few example applicants
// per kind of change, each reduced to the fewest inputs that still show it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <functional>
#include <string>
#include <vector>

#include "runtime/engine.hpp"

namespace kijun::runtime {

__extension__ using wide = __int128;  // sums of amounts over a population
__extension__ using unsigned_wide = unsigned __int128;

struct DiffSide {
  const Engine* engine = nullptr;
  std::optional<std::int64_t> on;  // decide as of this day, or as of each applicant's own date
  // The ruleset's test applicants of a frame, which seed generated applicants and give the
  // reference applicant (the tests come with the sources, which the runtime does not
  // compile); empty: none.
  std::function<std::vector<std::vector<ir::Value>>(std::uint32_t frame)> seeds;
};

struct PopulationSpec {
  // A file (JSON Lines or CSV text) the auditor gives, read by each version's reader...
  std::optional<std::string> text;
  bool csv = false;
  // The names both versions know (a field one version reads is no surprise to the other);
  // null: fields neither knows pass without a word.
  KnownFields* fields = nullptr;
  // ...or `generate` applicants per frame, seeded, aimed at both versions' edges.
  std::size_t generate = 0;
  std::uint64_t seed = 1;
};

struct RuleRef {
  std::string kind, id, cite, label;
  char change = 0;  // score changes: '+' awarded only after, '-' awarded only before
};

struct Outcome {
  bool decided = false;
  std::string error;  // when not decided
  bool eligible = false;
  std::int64_t amount_yen = 0, score = 0;
};

enum class ChangeKind : std::uint8_t {
  became_ineligible, became_eligible, amount_up, amount_down, score, became_undecidable, became_decidable
};
const char* change_kind_name(ChangeKind k);  // "became_ineligible", …

struct InputDifference {
  std::string input, reference, value;
};

struct ExampleApplicant {
  std::string id;
  std::size_t inputs_before_reduction = 0;    // inputs that differed from the reference at first
  std::vector<InputDifference> differences;   // after reduction
  Outcome before, after;
  std::string record;                         // one JSON line either version reads; id "<id>-reduced" when reduced
};

struct ChangeGroup {
  ChangeKind kind{};
  std::vector<RuleRef> rules;  // flips: the rules failing on the ineligible side; score: awarded rules that differ
  std::string detail;          // undecidable: why
  std::string note;            // filled by the caller: why rules that did not change flip decisions
  std::size_t count = 0;
  std::vector<ExampleApplicant> examples;
};

struct DeltaBucket {
  std::string label;
  std::int64_t lo = 0, hi = 0;  // inclusive
  std::size_t count = 0;
};

struct FrameBehaviour {
  std::string frame;
  std::size_t applicants = 0, decided_both = 0, undecided_both = 0;
  std::size_t eligible_before = 0, eligible_after = 0;
  std::size_t became_ineligible = 0, became_eligible = 0, amount_changed = 0, score_changed = 0;
  std::size_t became_undecidable = 0, became_decidable = 0;
  wide total_before = 0, total_after = 0;  // amount_yen over applicants decided by both
  std::vector<DeltaBucket> amount_deltas;                      // of amount_yen, applicants decided by both
  std::map<std::int64_t, std::size_t> score_deltas;            // nonzero deltas only
  std::vector<ChangeGroup> groups;                             // by kind, then largest first
  std::vector<std::pair<std::string, std::string>> reference;  // the reference applicant: input → value as text
  std::string reference_record;                                // the same as one JSON line (empty: none)
  bool differs() const {
    return became_ineligible + became_eligible + amount_changed + score_changed + became_undecidable + became_decidable > 0;
  }
};

struct BehaviourReport {
  std::vector<FrameBehaviour> frames;
  bool differs() const;
};

struct BehaviourOptions {
  std::vector<std::string> frames;  // empty: every frame both versions have
  unsigned threads = 2;
  std::size_t examples = 3;         // per kind of change
};

// False with `error` when a frame asked for is not in both versions.
bool compare_behaviour(const DiffSide& before, const DiffSide& after, const PopulationSpec& population,
                       const BehaviourOptions& options, BehaviourReport& report, std::string& error);

// "123,456,789" (the sign first).
std::string grouped(wide v);

}  // namespace kijun::runtime
