// One applicant as two versions of the rules read it. The versions may read different
// inputs (one adds an input, the other drops one) and name enum values differently, so a
// behavioural diff holds each applicant as a pair of value vectors, one per version,
// joined by input name: an input both versions read carries one value into both.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace kijun::runtime {

// An input of either version's frame. Inputs of one name but of different kinds (an
// integer became a date) are not joined: each version's is an input of its own.
struct JointInput {
  std::string name;
  std::array<std::optional<std::uint32_t>, 2> slot;  // in the before (0) and after (1) ruleset
  std::array<std::vector<std::int64_t>, 2> enum_map;  // enum value on side s → on the other side, -1: none
  bool shared() const { return slot[0] && slot[1]; }
};

struct ApplicantPair {
  std::array<std::vector<ir::Value>, 2> values;  // one Value per input of each ruleset
};

class JointSpace {
public:
  JointSpace(const ir::Ruleset& before, std::uint32_t before_frame, const ir::Ruleset& after, std::uint32_t after_frame);

  const std::vector<JointInput>& inputs() const { return inputs_; }
  // The frame inputs of `side` the other side does not read.
  const std::vector<std::uint32_t>& own_slots(int side) const { return own_[side]; }
  const ir::Ruleset& ruleset(int side) const { return *rs_[side]; }
  std::uint32_t frame(int side) const { return frame_[side]; }
  const ir::Input& input(int side, const JointInput& j) const { return rs_[side]->inputs[*j.slot[side]]; }

  // Copies every shared input's value from side `from` into the other side of `pair`; an
  // enum value the other side does not have becomes -1, which `check` reports.
  void carry(int from, ApplicantPair& pair) const;
  // Why side `side` cannot decide these values (a required input missing, a value out of
  // its range or not of its enum), as "<input>: <what>"; empty when it can.
  std::string check(int side, const std::vector<ir::Value>& values) const;
  // Input `j` of `pair` set as in `from` (on both sides).
  void copy_input(const JointInput& j, const ApplicantPair& from, ApplicantPair& pair) const;
  bool same_input(const JointInput& j, const ApplicantPair& a, const ApplicantPair& b) const;
  // The side a value is shown from, and the value: the after side when it reads the input
  // and has the value, else the before side (an enum value only the before side names).
  std::pair<int, ir::Value> shown(const JointInput& j, const ApplicantPair& pair) const;
  // `text` inputs are ids the rules cannot read: no report shows them.
  bool is_text(const JointInput& j) const;
  // The value as text, from the side that has it (the after side first).
  std::string input_text(const JointInput& j, const ApplicantPair& pair) const;
  // The applicant as one JSON line either version reads: `id`, then every input with a value.
  std::string record_json(const std::string& id, const ApplicantPair& pair) const;

private:
  // What `check` needs of an input, packed: it runs for every applicant of a population.
  struct Constraint {
    std::uint32_t slot;
    bool optional, is_enum;
    std::int64_t min, max, enum_size;
  };
  std::string violation(int side, const Constraint& c, ir::Value v) const;

  std::array<const ir::Ruleset*, 2> rs_;
  std::array<std::vector<Constraint>, 2> constraints_;
  std::array<std::vector<std::uint32_t>, 2> lists_;  // list slots, whose elements check() checks
  std::array<std::vector<std::uint32_t>, 2> own_;
  std::array<std::uint32_t, 2> frame_;
  std::vector<JointInput> inputs_;
};

}  // namespace kijun::runtime
