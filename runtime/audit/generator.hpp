// Seeded generator of applicants for a frame. It aims at the edges the rules mention:
// every constant of the ruleset (and the values just beside it, and scaled by the rates
// the ruleset uses), every amendment date, every enum value, absent optionals, and now
// and then values large enough to overflow — so that differential tests and behavioural
// diffs exercise the thresholds, not just typical applicants.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace kijun::runtime {

// The id of the generated applicant at `index` (from 0): "G0000001", as `kijun generate`
// writes it and `kijun diff` reports it.
std::string generated_id(std::size_t index);

class ApplicantGenerator {
public:
  // `seeds` are known applicants (a ruleset's test applicants): most generated rows are a
  // seed with one to three inputs changed, so both outcomes of every rule are reached.
  ApplicantGenerator(const ir::Ruleset& rs, std::uint32_t frame, std::uint64_t seed,
                     std::vector<std::vector<ir::Value>> seeds = {});

  // One applicant: a Value per ruleset input (its lists' elements after them), and its as-of date.
  void next(std::vector<ir::Value>& values, std::int64_t& as_of);
  // Sets only `slots` of `values` (the inputs another version does not read), mostly as a
  // seed applicant has them, now and then moved to an edge.
  void fill(std::vector<ir::Value>& values, const std::vector<std::uint32_t>& slots);
  // Starts the sequence again from `seed` (so chunks of a population can be made apart).
  void reseed(std::uint64_t seed) { rng_.seed(seed); }

private:
  std::int64_t integer(const ir::Input& in);
  ir::Value input(const ir::Input& in);
  ir::Value rate();
  std::int64_t length(const ir::Input& in);
  void list(std::uint32_t slot, std::vector<ir::Value>& values);
  void set(std::uint32_t slot, std::vector<ir::Value>& values);
  void copy(std::uint32_t slot, const std::vector<ir::Value>& from, std::vector<ir::Value>& values);
  std::int64_t date();
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <typename T>
  const T& pick(const std::vector<T>& v) { return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng_)]; }

  const ir::Ruleset& rs_;
  std::vector<std::uint32_t> slots_;
  std::mt19937_64 rng_;
  std::vector<std::int64_t> ints_;    // integer edges
  std::vector<ir::Value> rates_;      // rate edges
  std::vector<std::int64_t> dates_;   // date edges
  std::vector<std::vector<ir::Value>> seeds_;
};

}  // namespace kijun::runtime
