// The field names a run of applicant records accepts, and what becomes of any other name.
// Known: `id` and every input a ruleset declares — any frame's, since one file often feeds
// several frames. Any other field is reported, because a misspelt optional field would
// otherwise read as absent without a word: by a warning once per name per run, or, with
// strict fields, by an error for each record (or CSV header) that has it.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace kijun::runtime {

struct UnknownFieldPolicy {
  bool strict = false;                           // an unknown field makes its record an error
  std::function<void(const std::string&)> warn;  // receives each warning once; may be empty
};

class KnownFields {
public:
  static constexpr std::uint32_t npos = UINT32_MAX;
  static constexpr std::uint32_t id = 0;  // the index of `id`

  // The names of `rulesets`: for a diff both versions', since a field either reads is known.
  explicit KnownFields(const std::vector<const ir::Ruleset*>& rulesets, UnknownFieldPolicy policy = {});
  KnownFields(const KnownFields&) = delete;
  KnownFields& operator=(const KnownFields&) = delete;

  std::uint32_t size() const { return static_cast<std::uint32_t>(names_.size()); }
  // The index of a known name, or npos.
  std::uint32_t find(std::string_view name) const;
  // For each index, the slot of `rs` among `slots` with that name, or npos: a reader's map
  // from the names it knows to the inputs it reads.
  std::vector<std::uint32_t> slots_of(const ir::Ruleset& rs, const std::vector<std::uint32_t>& slots) const;
  bool strict() const { return policy_.strict; }

  // What is wrong with a name no input has, to follow the name: "not an input of it-hojo
  // 2026; did you mean `capital_yen`?". Unless strict (then the record's error says it),
  // the first call for each name gives the warning. Thread-safe.
  std::string unknown(std::string_view name);

private:
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using NameMap = std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>>;

  std::string describe(std::string_view name) const;

  std::vector<std::string> names_;  // by index; the candidates of "did you mean"
  NameMap index_;
  std::string owners_;  // "it-hojo 2026", or "it-hojo 2025 or it-hojo 2026"
  UnknownFieldPolicy policy_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::string, NameHash, std::equal_to<>> described_;  // each name once: warned and cached
};

}  // namespace kijun::runtime
