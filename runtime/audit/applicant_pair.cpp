#include "runtime/audit/applicant_pair.hpp"

#include <algorithm>
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

bool is_list(const ir::Ruleset& rs, std::uint32_t slot) { return rs.inputs[slot].type.kind == dsl::Kind::list; }

// The elements of list `slot`: [first, first + count × width) of `values`.
struct Elements {
  std::size_t first = 0, count = 0, width = 0;
};
Elements elements_of(const ir::Ruleset& rs, std::uint32_t slot, const std::vector<ir::Value>& values) {
  ir::Value v = values[slot];
  if (!v.present()) return {};
  return {static_cast<std::size_t>(v.den), static_cast<std::size_t>(v.num), rs.records[rs.inputs[slot].type.enum_id].fields.size()};
}

// Copies a list from one version's applicant to the other's (or within one): its elements
// appended, each field taken by name (an enum value by its name; a field the source lacks,
// or a value the target's enum lacks, absent).
void copy_list(const ir::Ruleset& from_rs, std::uint32_t from_slot, const std::vector<ir::Value>& from, const ir::Ruleset& to_rs,
               std::uint32_t to_slot, std::vector<ir::Value>& to) {
  auto src = elements_of(from_rs, from_slot, from);
  const auto& from_fields = from_rs.records[from_rs.inputs[from_slot].type.enum_id].fields;
  const auto& to_fields = to_rs.records[to_rs.inputs[to_slot].type.enum_id].fields;
  std::vector<std::int64_t> source(to_fields.size(), -1);
  for (std::size_t t = 0; t < to_fields.size(); ++t)
    for (std::size_t f = 0; f < from_fields.size(); ++f)
      if (from_fields[f].name == to_fields[t].name && from_fields[f].type.kind == to_fields[t].type.kind) source[t] = static_cast<std::int64_t>(f);
  const auto first = to.size();
  for (std::size_t e = 0; e < src.count; ++e)
    for (std::size_t t = 0; t < to_fields.size(); ++t) {
      ir::Value v = source[t] < 0 ? ir::Value::absent() : from[src.first + e * src.width + static_cast<std::size_t>(source[t])];
      if (v.present() && source[t] >= 0 && to_fields[t].type.kind == dsl::Kind::enumeration) {
        const auto& names = from_rs.enums[from_fields[static_cast<std::size_t>(source[t])].type.enum_id].values;
        const auto& target = to_rs.enums[to_fields[t].type.enum_id].values;
        auto at = v.num >= 0 && static_cast<std::size_t>(v.num) < names.size()
                      ? std::find(target.begin(), target.end(), names[static_cast<std::size_t>(v.num)])
                      : target.end();
        v = at == target.end() ? ir::Value::absent() : ir::Value::of(at - target.begin());
      }
      to.push_back(v);
    }
  to[to_slot] = {static_cast<std::int64_t>(src.count), static_cast<std::int64_t>(first)};
}

bool same_list(const ir::Ruleset& rs, std::uint32_t slot, const std::vector<ir::Value>& a, const std::vector<ir::Value>& b) {
  auto x = elements_of(rs, slot, a), y = elements_of(rs, slot, b);
  if (x.count != y.count) return false;
  for (std::size_t i = 0; i < x.count * x.width; ++i)
    if (!same_value(a[x.first + i], b[y.first + i])) return false;
  return true;
}

// Why an element of list `slot` is not one this version can read, or empty.
std::string element_violation(const ir::Ruleset& rs, std::uint32_t slot, const std::vector<ir::Value>& values) {
  const auto& in = rs.inputs[slot];
  auto el = elements_of(rs, slot, values);
  if (static_cast<std::int64_t>(el.count) < in.min_length || static_cast<std::int64_t>(el.count) > in.max_length)
    return in.name + ": " + std::to_string(el.count) + " elements, outside this version's length";
  const auto& fields = rs.records[in.type.enum_id].fields;
  for (std::size_t e = 0; e < el.count; ++e)
    for (std::size_t f = 0; f < fields.size(); ++f) {
      const auto& field = fields[f];
      ir::Value v = values[el.first + e * el.width + f];
      std::string at = in.name + "[" + std::to_string(e) + "]." + field.name;
      if (!v.present()) {
        if (!field.type.optional && field.type.kind != dsl::Kind::text) return at + ": missing";
        continue;
      }
      if (field.type.kind == dsl::Kind::enumeration && (v.num < 0 || static_cast<std::size_t>(v.num) >= rs.enums[field.type.enum_id].values.size()))
        return at + ": not a value of enum `" + rs.enums[field.type.enum_id].name + "` in this version";
      if (field.min && v.num < *field.min) return at + ": below this version's minimum " + std::to_string(*field.min);
      if (field.max && v.num > *field.max) return at + ": above this version's maximum " + std::to_string(*field.max);
    }
  return "";
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
      if (in.type.kind == dsl::Kind::list) {
        lists_[side].push_back(slot);
        continue;
      }
      bool is_enum = in.type.kind == dsl::Kind::enumeration;
      constraints_[side].push_back({slot, in.type.optional, is_enum, in.min.value_or(INT64_MIN), in.max.value_or(INT64_MAX),
                                    is_enum ? static_cast<std::int64_t>(rs_[side]->enums[in.type.enum_id].values.size()) : 0});
    }
}

void JointSpace::carry(int from, ApplicantPair& pair) const {
  int to = 1 - from;
  for (auto& j : inputs_) {
    if (!j.shared()) continue;
    if (is_list(*rs_[from], *j.slot[from])) {
      copy_list(*rs_[from], *j.slot[from], pair.values[from], *rs_[to], *j.slot[to], pair.values[to]);
      continue;
    }
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
  for (auto slot : lists_[side])
    if (auto why = element_violation(*rs_[side], slot, values); !why.empty()) return why;
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
  for (int side = 0; side < 2; ++side) {
    if (!j.slot[side]) continue;
    auto slot = *j.slot[side];
    if (is_list(*rs_[side], slot)) copy_list(*rs_[side], slot, from.values[side], *rs_[side], slot, pair.values[side]);
    else pair.values[side][slot] = from.values[side][slot];
  }
}

bool JointSpace::same_input(const JointInput& j, const ApplicantPair& a, const ApplicantPair& b) const {
  for (int side = 0; side < 2; ++side) {
    if (!j.slot[side]) continue;
    auto slot = *j.slot[side];
    if (is_list(*rs_[side], slot) ? !same_list(*rs_[side], slot, a.values[side], b.values[side])
                                  : !same_value(a.values[side][slot], b.values[side][slot]))
      return false;
  }
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
    if (input(side, j).type.kind == dsl::Kind::list) out += ":" + list_value_json(*rs_[side], *j.slot[side], pair.values[side]);
    else out += ":" + input_value_json(*rs_[side], input(side, j), v);
  }
  return out + "}";
}

}  // namespace kijun::runtime
