// Human-readable explanation of one decision: the outcome, then every rule with its
// citation, label, what it came to and the input values it read, then the amount.
#pragma once

#include <string>

#include "runtime/engine.hpp"

namespace kijun::runtime {

std::string explain_text(const Engine& engine, std::uint32_t frame, const Record& record, const Decision& decision);
// An input value as a person reads it: 1,500,000 yen, 1/2, 2026-03-30, retail, true.
std::string value_text(const ir::Ruleset& rs, const dsl::Type& type, ir::Value v);

}  // namespace kijun::runtime
