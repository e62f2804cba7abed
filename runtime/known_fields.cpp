#include "runtime/known_fields.hpp"

#include <algorithm>

#include "dsl/support/text.hpp"

namespace kijun::runtime {

KnownFields::KnownFields(const std::vector<const ir::Ruleset*>& rulesets, UnknownFieldPolicy policy) : policy_(std::move(policy)) {
  auto add = [this](const std::string& name) {
    if (index_.emplace(name, size()).second) names_.push_back(name);
  };
  add("id");
  std::vector<std::string> owners;
  for (const auto* rs : rulesets) {
    for (const auto& in : rs->inputs) add(in.name);
    // A diff of one ruleset on two dates names it once.
    auto owner = rs->programme + " " + std::to_string(rs->fiscal_year);
    if (std::find(owners.begin(), owners.end(), owner) != owners.end()) continue;
    owners_ += (owners.empty() ? "" : " or ") + owner;
    owners.push_back(std::move(owner));
  }
}

std::uint32_t KnownFields::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? npos : it->second;
}

std::vector<std::uint32_t> KnownFields::slots_of(const ir::Ruleset& rs, const std::vector<std::uint32_t>& slots) const {
  std::vector<std::uint32_t> out(size(), npos);
  for (auto s : slots)
    if (auto i = find(rs.inputs[s].name); i != npos) out[i] = s;
  return out;
}

std::string KnownFields::describe(std::string_view name) const {
  std::string what = "not an input of " + owners_;
  if (auto near = dsl::nearest(std::string(name), names_); !near.empty()) what += "; did you mean `" + near + "`?";
  return what;
}

std::string KnownFields::unknown(std::string_view name) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = described_.find(name); it != described_.end()) return it->second;
  }
  // Worked out and warned outside the lock: the callback is the caller's code.
  auto what = describe(name);
  bool first;
  {
    std::lock_guard lock(mutex_);
    first = described_.emplace(std::string(name), what).second;
  }
  if (first && !policy_.strict && policy_.warn) policy_.warn("`" + std::string(name) + "` is " + what);
  return what;
}

}  // namespace kijun::runtime
