#include "runtime/audit/behaviour.hpp"

#include <algorithm>
#include <sstream>
#include <thread>

#include "runtime/audit/applicant_pair.hpp"
#include "runtime/audit/behaviour_tally.hpp"
#include "runtime/audit/generator.hpp"

namespace kijun::runtime {

namespace {

using namespace behaviour_detail;

constexpr std::size_t chunk_rows = 4096;

// A chunk of applicants: the pairs, and per side why a record could not be read.
struct Chunk {
  std::size_t first = 0;
  std::vector<ApplicantPair> pairs;
  std::array<std::vector<std::string>, 2> read_errors;  // empty vectors: none
  std::vector<std::string> ids;                          // empty: generated ids
  std::string id(std::size_t i) const { return ids.empty() ? generated_id(first + i) : ids[i]; }
};

// Decides chunks on both versions' native code; one per thread.
class BatchDecider {
public:
  BatchDecider(const JointSpace& space, const std::array<Side, 2>& sides)
      : space_(space), sides_(sides),
        scratch_{Scratch(sides[0]), Scratch(sides[1])} {}

  void run(const Chunk& chunk, Tally& tally, std::size_t keep) {
    for (int s = 0; s < 2; ++s) prepare(s, chunk);
    std::array<Outcome, 2> o;
    std::array<ir::Evaluation, 2> e;
    for (std::size_t i = 0; i < chunk.pairs.size(); ++i) {
      for (int s = 0; s < 2; ++s) o[s] = light(s, i);
      bool same = o[0].decided == o[1].decided &&
                  (!o[0].decided || (o[0].eligible == o[1].eligible && o[0].amount_yen == o[1].amount_yen && o[0].score == o[1].score));
      std::vector<ChangeGroup> groups;
      if (!same) {
        for (int s = 0; s < 2; ++s) complete(s, i, o[s], e[s]);
        groups = classify(sides_, o, {&e[0], &e[1]});
      }
      tally.add(o, groups, same ? std::string() : chunk.id(i), chunk.pairs[i], same ? 0 : keep);
    }
  }

private:
  struct Scratch {
    explicit Scratch(const Side& s) : batch(s.rs(), s.frame), results(s.rs(), s.frame) {}
    ColumnBatch batch;
    BatchResults results;
    std::vector<std::int64_t> row;  // batch row per applicant, or -1
    std::vector<std::string> error;
  };

  void prepare(int s, const Chunk& chunk) {
    auto& x = scratch_[s];
    x.batch.clear();
    x.row.assign(chunk.pairs.size(), -1);
    x.error.assign(chunk.pairs.size(), std::string());
    for (std::size_t i = 0; i < chunk.pairs.size(); ++i) {
      const auto& values = chunk.pairs[i].values[s];
      std::string& why = x.error[i];
      if (!chunk.read_errors[s].empty()) why = chunk.read_errors[s][i];
      if (why.empty()) why = space_.check(s, values);
      std::int64_t day = 0, version = 0;
      if (why.empty() && sides_[s].engine->resolve_as_of(values, sides_[s].on, day, version, why)) {
        x.row[i] = static_cast<std::int64_t>(x.batch.rows());
        x.batch.push(values.data(), day);
      }
    }
    auto fn = sides_[s].engine->native_frame(sides_[s].frame);
    fn(&x.batch.view(), &x.results.view(x.batch.rows()), 0, static_cast<std::int64_t>(x.batch.rows()));
  }

  Outcome light(int s, std::size_t i) const {
    const auto& x = scratch_[s];
    Outcome o;
    if (x.row[i] < 0) return o;
    auto r = static_cast<std::size_t>(x.row[i]);
    if (x.results.error()[r]) return o;
    o.decided = true;
    o.eligible = x.results.eligible()[r] != 0;
    o.amount_yen = o.eligible ? x.results.amount()[r] : 0;
    o.score = x.results.score(r);
    return o;
  }

  void complete(int s, std::size_t i, Outcome& o, ir::Evaluation& e) const {
    const auto& x = scratch_[s];
    e = ir::Evaluation{};
    if (x.row[i] < 0) {
      o.error = x.error[i];
      return;
    }
    x.results.evaluation(static_cast<std::size_t>(x.row[i]), e);
    if (!o.decided) o.error = sides_[s].engine->describe_error(e);
  }

  const JointSpace& space_;
  std::array<Side, 2> sides_;
  std::array<Scratch, 2> scratch_;
};

// Decides single applicants with the interpreter (the oracle): for the reference
// applicant and for reducing examples.
class OneDecider {
public:
  OneDecider(const JointSpace& space, const std::array<Side, 2>& sides)
      : space_(space), sides_(sides), interp_{sides[0].engine->interpreter(), sides[1].engine->interpreter()} {}

  std::vector<ChangeGroup> classify_pair(const ApplicantPair& pair, std::array<Outcome, 2>& o) {
    std::array<ir::Evaluation, 2> e;
    for (int s = 0; s < 2; ++s) o[s] = decide(s, pair.values[s], e[s]);
    return classify(sides_, o, {&e[0], &e[1]});
  }

private:
  Outcome decide(int s, const std::vector<ir::Value>& values, ir::Evaluation& e) {
    Outcome o;
    e = ir::Evaluation{};
    o.error = space_.check(s, values);
    if (!o.error.empty()) return o;
    auto d = sides_[s].engine->decide(interp_[s], sides_[s].frame, values, sides_[s].on);
    e = std::move(d.evaluation);
    if (!d.ok) {
      o.error = std::move(d.error);
      return o;
    }
    o.decided = true;
    o.eligible = e.eligible;
    o.amount_yen = e.amount_yen();
    o.score = e.score();
    return o;
  }

  const JointSpace& space_;
  std::array<Side, 2> sides_;
  std::array<ir::Interpreter, 2> interp_;
};

bool has_key(const std::vector<ChangeGroup>& groups, const std::string& key) {
  for (auto& g : groups)
    if (group_key(g) == key) return true;
  return false;
}

class FrameDiff {
public:
  FrameDiff(const std::array<Side, 2>& sides, const PopulationSpec& population, const BehaviourOptions& options)
      : sides_(sides), population_(population), options_(options),
        space_(sides[0].rs(), sides[0].frame, sides[1].rs(), sides[1].frame), seeds_{sides[0].seeds(), sides[1].seeds()} {
    // Generated applicants dated before a version's first date are moved to the first day
    // both versions can decide (a version asked for on a day decides every applicant then).
    for (auto& side : sides_)
      if (!side.on && !side.rs().versions.empty()) as_of_floor_ = std::max(as_of_floor_, side.rs().versions.front().date);
    for (auto& j : space_.inputs())
      for (int side = 0; side < 2; ++side)
        if (j.slot[side] && *j.slot[side] == sides_[side].rs().as_of_input) as_of_inputs_.push_back(&j);
  }

  FrameBehaviour run(std::size_t frame_seed) {
    Tally tally = population_.text ? from_file() : generated(frame_seed);
    FrameBehaviour out = std::move(tally.counts);
    out.frame = sides_[1].rs().frames[sides_[1].frame].name;
    auto reference = reference_pair();
    if (reference) {
      for (auto& j : space_.inputs())
        if (!space_.is_text(j) && space_.shown(j, *reference).second.present())
          out.reference.emplace_back(j.name, space_.input_text(j, *reference));
      out.reference_record = space_.record_json("reference", *reference);
    }
    OneDecider decider(space_, sides_);
    // Several candidates often reduce to one applicant: keep the distinct ones.
    for (std::size_t g = 0; g < out.groups.size(); ++g) {
      auto& examples = out.groups[g].examples;
      for (auto& [id, pair] : tally.candidates[g]) {
        if (examples.size() == options_.examples) break;
        auto e = example(decider, group_key(out.groups[g]), id, pair, reference ? &*reference : nullptr);
        bool seen = std::any_of(examples.begin(), examples.end(), [&](const ExampleApplicant& x) {
          return reference && x.differences.size() == e.differences.size() &&
                 std::equal(x.differences.begin(), x.differences.end(), e.differences.begin(),
                            [](const InputDifference& a, const InputDifference& b) { return a.input == b.input && a.value == b.value; });
        });
        if (!seen) examples.push_back(std::move(e));
      }
    }
    // Flips first, then amounts, scores and decidability; the largest first within each.
    std::stable_sort(out.groups.begin(), out.groups.end(), [](const ChangeGroup& a, const ChangeGroup& b) {
      return a.kind != b.kind ? a.kind < b.kind : a.count > b.count;
    });
    return out;
  }

private:
  std::size_t candidates() const { return options_.examples * 4; }

  Tally generated(std::size_t frame_seed) {
    std::size_t n = population_.generate, chunks = (n + chunk_rows - 1) / chunk_rows;
    unsigned threads = std::max(1u, std::min<unsigned>(options_.threads, static_cast<unsigned>(chunks)));
    std::vector<Tally> tallies(chunks);
    auto work = [&](unsigned t) {
      std::array<ApplicantGenerator, 2> gen{ApplicantGenerator(sides_[0].rs(), sides_[0].frame, 0, seeds_[0]),
                                           ApplicantGenerator(sides_[1].rs(), sides_[1].frame, 0, seeds_[1])};
      BatchDecider decider(space_, sides_);
      Chunk chunk;
      for (std::size_t c = t; c < chunks; c += threads) {
        chunk.first = c * chunk_rows;
        chunk.pairs.resize(std::min(chunk_rows, n - chunk.first));
        for (int s = 0; s < 2; ++s) gen[s].reseed(mix(frame_seed, c, static_cast<std::uint64_t>(s)));
        for (std::size_t i = 0; i < chunk.pairs.size(); ++i) generate(gen, chunk.first + i, chunk.pairs[i]);
        decider.run(chunk, tallies[c], candidates());
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    Tally all;
    for (auto& t : tallies) all.merge(std::move(t), candidates());
    return all;
  }

  std::uint64_t mix(std::uint64_t a, std::uint64_t b, std::uint64_t c) const {
    std::uint64_t x = population_.seed * 0x9E3779B97F4A7C15ULL ^ (a + 0x632BE59BD9B4E019ULL) * 0xBF58476D1CE4E5B9ULL;
    x ^= (b + 1) * 0x94D049BB133111EBULL;
    x ^= (c + 7) * 0xD6E8FEB86659FD93ULL;
    return x ^ (x >> 31);
  }

  // Half the applicants come from each version's generator (aimed at its own edges); the
  // other version's own inputs come from its generator, the shared ones are carried over.
  void generate(std::array<ApplicantGenerator, 2>& gen, std::size_t index, ApplicantPair& pair) const {
    int primary = static_cast<int>(index % 2), other = 1 - primary;
    std::int64_t day;
    gen[primary].next(pair.values[primary], day);
    pair.values[other].assign(sides_[other].rs().inputs.size(), ir::Value::absent());
    space_.carry(primary, pair);
    gen[other].fill(pair.values[other], space_.own_slots(other));
    floor_as_of(pair);
  }

  void floor_as_of(ApplicantPair& pair) const {
    for (const auto* j : as_of_inputs_)
      for (int side = 0; side < 2; ++side)
        if (j->slot[side]) {
          auto& v = pair.values[side][*j->slot[side]];
          if (v.present() && v.num < as_of_floor_) v.num = as_of_floor_;
        }
  }

  Tally from_file() {
    std::array<std::istringstream, 2> in{std::istringstream(*population_.text), std::istringstream(*population_.text)};
    std::optional<KnownFields> quiet;
    if (!population_.fields) quiet.emplace(std::vector{&sides_[0].rs(), &sides_[1].rs()});
    auto& known = population_.fields ? *population_.fields : *quiet;
    std::array<std::unique_ptr<RecordReader>, 2> readers;
    for (int s = 0; s < 2; ++s) {
      const auto& rs = sides_[s].rs();
      auto slots = rs.frames[sides_[s].frame].inputs;
      readers[s] = population_.csv ? make_csv_reader(in[s], rs, slots, known) : make_jsonl_reader(in[s], rs, slots, known);
    }
    Tally all;
    BatchDecider decider(space_, sides_);
    Chunk chunk;
    std::array<Record, 2> r;
    bool more = true;
    while (more) {
      Tally part;
      chunk.pairs.clear();
      chunk.ids.clear();
      for (auto& e : chunk.read_errors) e.clear();
      while (chunk.pairs.size() < chunk_rows && (more = readers[0]->next(r[0]) && readers[1]->next(r[1]))) {
        ApplicantPair pair;
        for (int s = 0; s < 2; ++s) {
          pair.values[s] = std::move(r[s].values);
          chunk.read_errors[s].push_back(r[s].error);
        }
        chunk.ids.push_back(r[1].has_id ? r[1].id : "line " + std::to_string(r[1].line));
        chunk.pairs.push_back(std::move(pair));
      }
      if (chunk.pairs.empty()) break;
      decider.run(chunk, part, candidates());
      all.merge(std::move(part), candidates());
    }
    return all;
  }

  // A typical applicant both versions decide alike and find eligible: the first of the
  // after version's test applicants that is (its inputs the before version lacks taken
  // from the before version's first test applicant). Examples are told against it.
  std::optional<ApplicantPair> reference_pair() const {
    const auto& seeds = seeds_;
    OneDecider decider(space_, sides_);
    for (int primary : {1, 0}) {
      int other = 1 - primary;
      for (auto& seed : seeds[primary]) {
        ApplicantPair pair;
        pair.values[primary] = seed;
        pair.values[other] = seeds[other].empty() ? std::vector<ir::Value>(sides_[other].rs().inputs.size(), ir::Value::absent())
                                                   : seeds[other].front();
        space_.carry(primary, pair);
        std::array<Outcome, 2> o;
        if (decider.classify_pair(pair, o).empty() && o[0].decided && o[0].eligible) return pair;
      }
    }
    return std::nullopt;
  }

  // The example reduced toward the reference: each input is set back to the reference's
  // value while the applicant still shows the same change, until none can be.
  ExampleApplicant example(OneDecider& decider, const std::string& key, const std::string& id, ApplicantPair pair,
                           const ApplicantPair* reference) const {
    ExampleApplicant out;
    out.id = id;
    std::array<Outcome, 2> o;
    if (reference) {
      for (auto& j : space_.inputs()) out.inputs_before_reduction += !space_.same_input(j, pair, *reference);
      for (bool progress = true; progress;) {
        progress = false;
        for (auto& j : space_.inputs()) {
          if (space_.same_input(j, pair, *reference)) continue;
          ApplicantPair trial = pair;
          space_.copy_input(j, *reference, trial);
          if (has_key(decider.classify_pair(trial, o), key)) pair = std::move(trial), progress = true;
        }
      }
      for (auto& j : space_.inputs())
        if (!space_.same_input(j, pair, *reference) && !space_.is_text(j))
          out.differences.push_back({j.name, space_.input_text(j, *reference), space_.input_text(j, pair)});
    }
    decider.classify_pair(pair, o);
    out.before = o[0];
    out.after = o[1];
    // A reduced applicant is not the record it came from: its id says so.
    bool reduced = reference && out.differences.size() < out.inputs_before_reduction;
    out.record = space_.record_json(reduced ? id + "-reduced" : id, pair);
    return out;
  }

  std::array<Side, 2> sides_;
  const PopulationSpec& population_;
  const BehaviourOptions& options_;
  JointSpace space_;
  std::array<std::vector<std::vector<ir::Value>>, 2> seeds_;  // each version's test applicants
  std::int64_t as_of_floor_ = INT64_MIN;
  std::vector<const JointInput*> as_of_inputs_;  // the inputs that are a version's as-of date
};

}  // namespace

const char* change_kind_name(ChangeKind k) {
  switch (k) {
    case ChangeKind::became_ineligible: return "became_ineligible";
    case ChangeKind::became_eligible: return "became_eligible";
    case ChangeKind::amount_up: return "amount_up";
    case ChangeKind::amount_down: return "amount_down";
    case ChangeKind::score: return "score";
    case ChangeKind::became_undecidable: return "became_undecidable";
    case ChangeKind::became_decidable: return "became_decidable";
  }
  return "?";
}

bool BehaviourReport::differs() const {
  return std::any_of(frames.begin(), frames.end(), [](const FrameBehaviour& f) { return f.differs(); });
}

std::string grouped(wide v) {
  bool negative = v < 0;
  unsigned_wide u = negative ? -static_cast<unsigned_wide>(v) : static_cast<unsigned_wide>(v);
  std::string digits;
  int n = 0;
  do {
    if (n && n % 3 == 0) digits.insert(digits.begin(), ',');
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
    ++n;
  } while (u);
  return (negative ? "-" : "") + digits;
}

bool compare_behaviour(const DiffSide& before, const DiffSide& after, const PopulationSpec& population,
                       const BehaviourOptions& options, BehaviourReport& report, std::string& error) {
  std::vector<std::string> names = options.frames;
  if (names.empty())
    for (auto& f : after.engine->ruleset().frames)
      if (before.engine->frame(f.name)) names.push_back(f.name);
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto b = before.engine->frame(names[i]), a = after.engine->frame(names[i]);
    if (!b || !a) {
      error = "frame `" + names[i] + "` is not in both versions";
      return false;
    }
    std::array<Side, 2> sides{Side{before.engine, before.on, *b, &before}, Side{after.engine, after.on, *a, &after}};
    for (auto& side : sides)
      if (!side.engine->native_frame(side.frame)) {
        error = "frame `" + names[i] + "` has no native code (compile the versions first)";
        return false;
      }
    report.frames.push_back(FrameDiff(sides, population, options).run(i));
  }
  return true;
}

}  // namespace kijun::runtime
