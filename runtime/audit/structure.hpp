// The structure of a ruleset as an auditor compares it: every rule, definition, input,
// enum and frame, each part in canonical text (the layout of `kijun fmt`), either as
// written (every dated form) or as in force on one date. Two structures differ only where
// the rules differ: layout and comments never show. It is read from the ruleset's
// description (ir::Described), which sources and plugins carry alike: no compiler needed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace kijun::runtime {

struct StructureEntry {
  std::string kind;  // requirement, exclusion, bonus, penalty, limit, def, param, table, rate, amount, input, enum, frame
  std::string name;  // rule or input name; "common.cap" for a module's definition or table; "security.rate"
  std::string cite, label;
  std::vector<std::pair<std::string, std::string>> parts;  // part name → canonical text, in order
};

struct Structure {
  std::map<std::string, StructureEntry> entries;  // by "kind-group:name" (all rule kinds share one group)
};

// `on`: only what is in force on that day (the forms, exceptions and values of that day).
// The ruleset must hold its description: a plugin's is read by Engine::read_tests_and_description.
Structure structure_of(const ir::Ruleset& rs, std::optional<std::int64_t> on);

struct PartChange {
  std::string part;
  std::string before, after;  // empty when the part is new or gone
};

struct StructuralChange {
  enum class Kind : std::uint8_t { added, removed, changed } kind{};
  std::string entry_kind, name, cite, label;  // of the new entry, or the old one when removed
  std::vector<PartChange> parts;              // for changed
};

std::vector<StructuralChange> compare_structures(const Structure& before, const Structure& after);

}  // namespace kijun::runtime
