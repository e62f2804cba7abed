#include "compiler/ir/ir.hpp"

namespace kijun::ir {

std::int32_t Ruleset::frame_index(const std::string& name) const {
  for (std::size_t i = 0; i < frames.size(); ++i)
    if (frames[i].name == name) return static_cast<std::int32_t>(i);
  return -1;
}

std::int32_t Ruleset::input_index(const std::string& name) const {
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].name == name) return static_cast<std::int32_t>(i);
  return -1;
}

std::optional<std::int64_t> Ruleset::version_on(std::int64_t day) const {
  std::optional<std::int64_t> out;
  for (auto& v : versions)
    if (v.date <= day) out = v.date;
  return out;
}

}  // namespace kijun::ir
