#include "runtime/audit/applicant_pair.hpp"

#include <map>

#include "dsl/support/text.hpp"
#include "runtime/audit/applicant_json.hpp"

namespace kijun::runtime {

namespace {

bool same_value(ir::Value a, ir::Value b) { return a.num == b.num && a.den == b.den; }

std::vector<std::int64_t> enum_map(const ir::Enum& from, const ir::Enum& to) {
  std::vector<std::int64_t> out(from.values.size(), -1);
  for (std::size_t i = 0; i < from.values.size(); ++i)
    for (std::size_t k = 0; k < to.values.size(); ++k)
      if (from.values[i] == to.values[k]) out[i] = static_cast<std::int64_t>(k);
  return out;
}

}  // namespace

JointSpace::JointSpace(const ir::Ruleset& before, std::uint32_t before_frame, const ir::Ruleset& after, std::uint32_t after_frame)
    : rs_{&before, &after}, frame_{before_frame, after_frame} {
  std::map<std::string, std::size_t> by_name;
  for (int side = 0; side < 2; ++side)
    for (auto slot : rs_[side]->frames[frame_[side]].inputs) {
      const auto& in = rs_[side]->inputs[slot];
      auto found = by_name.find(in.name);
      if (side == 1 && found != by_name.end()) {
        auto& j = inputs_[found->second];
        const auto& other = input(0, j);
        if (other.type.kind == in.type.kind) {
          j.slot[1] = slot;
          if (in.type.kind == dsl::Kind::enumeration) {
            j.enum_map[0] = enum_map(before.enums[other.type.enum_id], after.enums[in.type.enum_id]);
            j.enum_map[1] = enum_map(after.enums[in.type.enum_id], before.enums[other.type.enum_id]);
          }
          continue;
        }
      }
      JointInput j;
      j.name = in.name;
      j.slot[side] = slot;
      by_name.emplace(in.name, inputs_.size());
      inputs_.push_back(std::move(j));
    }
  for (auto& j : inputs_)
    for (int side = 0; side < 2; ++side)
      if (j.slot[side] && !j.shared()) own_[side].push_back(*j.slot[side]);
  for (int side = 0; side < 2; ++side)
    for (auto slot : rs_[side]->frames[frame_[side]].inputs) {
      const auto& in = rs_[side]->inputs[slot];
      if (in.type.kind == dsl::Kind::text) continue;
      bool is_enum = in.type.kind == dsl::Kind::enumeration;
      constraints_[side].push_back({slot, in.type.optional, is_enum, in.min.value_or(INT64_MIN), in.max.value_or(INT64_MAX),
                                    is_enum ? static_cast<std::int64_t>(rs_[side]->enums[in.type.enum_id].values.size()) : 0});
    }
}

void JointSpace::carry(int from, ApplicantPair& pair) const {
  int to = 1 - from;
  for (auto& j : inputs_) {
    if (!j.shared()) continue;
    ir::Value v = pair.values[from][*j.slot[from]];
    if (v.present() && !j.enum_map[from].empty())
      v.num = v.num >= 0 && static_cast<std::size_t>(v.num) < j.enum_map[from].size() ? j.enum_map[from][static_cast<std::size_t>(v.num)] : -1;
    pair.values[to][*j.slot[to]] = v;
  }
}

std::string JointSpace::check(int side, const std::vector<ir::Value>& values) const {
  for (const auto& c : constraints_[side]) {
    ir::Value v = values[c.slot];
    bool bad = v.present() ? (c.is_enum && (v.num < 0 || v.num >= c.enum_size)) || v.num < c.min || v.num > c.max : !c.optional;
    if (bad) return violation(side, c, v);
  }
  return "";
}

std::string JointSpace::violation(int side, const Constraint& c, ir::Value v) const {
  const auto& rs = *rs_[side];
  const auto& in = rs.inputs[c.slot];
  if (!v.present()) return in.name + ": missing";
  if (c.is_enum && (v.num < 0 || v.num >= c.enum_size))
    return in.name + ": not a value of enum `" + rs.enums[in.type.enum_id].name + "` in this version";
  if (v.num < c.min) return in.name + ": below this version's minimum " + std::to_string(c.min);
  return in.name + ": above this version's maximum " + std::to_string(c.max);
}

void JointSpace::copy_input(const JointInput& j, const ApplicantPair& from, ApplicantPair& pair) const {
  for (int side = 0; side < 2; ++side)
    if (j.slot[side]) pair.values[side][*j.slot[side]] = from.values[side][*j.slot[side]];
}

bool JointSpace::same_input(const JointInput& j, const ApplicantPair& a, const ApplicantPair& b) const {
  for (int side = 0; side < 2; ++side)
    if (j.slot[side] && !same_value(a.values[side][*j.slot[side]], b.values[side][*j.slot[side]])) return false;
  return true;
}

std::pair<int, ir::Value> JointSpace::shown(const JointInput& j, const ApplicantPair& pair) const {
  int side = j.slot[1] ? 1 : 0;
  ir::Value v = pair.values[side][*j.slot[side]];
  if (j.shared() && v.present() && v.num < 0 && !j.enum_map[1].empty()) side = 0, v = pair.values[0][*j.slot[0]];
  return {side, v};
}

bool JointSpace::is_text(const JointInput& j) const { return input(j.slot[1] ? 1 : 0, j).type.kind == dsl::Kind::text; }

std::string JointSpace::input_text(const JointInput& j, const ApplicantPair& pair) const {
  auto [side, v] = shown(j, pair);
  return input_value_text(*rs_[side], input(side, j), v);
}

std::string JointSpace::record_json(const std::string& id, const ApplicantPair& pair) const {
  std::string out = "{\"id\":";
  dsl::append_json_string(out, id);
  for (auto& j : inputs_) {
    auto [side, v] = shown(j, pair);
    if (is_text(j) || !v.present()) continue;
    out += ",";
    dsl::append_json_string(out, j.name);
    out += ":" + input_value_json(*rs_[side], input(side, j), v);
  }
  return out + "}";
}

}  // namespace kijun::runtime
