// Decision records: one JSON line per evaluation with everything needed to make the same
// decision again — the input as the engine read it, the output, and which rules decided
// (programme, fiscal year, version in force, content hash, kijun version). `kijun eval
// --record FILE` writes them; `kijun replay FILE` re-evaluates and compares.
//
//   {"record":"kijun-decision/1","kijun":"0.2.0","source":"rulesets/it-hojo/2026",
//    "ruleset":"it-hojo","fiscal_year":2026,"ruleset_hash":"sha256:…","frame":"security",
//    "engine":"jit","as_of_override":null,"input_line":12,"input":{…},"output":{…}}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/engine.hpp"

namespace kijun::runtime {

inline constexpr const char* decision_record_format = "kijun-decision/1";

struct RecordMeta {
  std::string source;                    // the ruleset as named to eval: directory, plugin, PROGRAMME:YEAR
  std::string engine;                    // jit | interp
  std::optional<std::int64_t> as_of;     // --as-of, if given
};

// The input as the engine read it, as a JSON object that reads back to the same values:
// absent optionals left out, rates as exact fractions, enums by name, dates as YYYY-MM-DD.
std::string input_json(const ir::Ruleset& rs, std::uint32_t frame, const Record& record);

// One record line (no newline) for a record that was read, and the output line it got.
std::string decision_record(const Engine& engine, std::uint32_t frame, const Record& record, std::string_view output,
                            const RecordMeta& meta);

struct RecordedDecision {
  std::string kijun, source, ruleset, hash, frame, engine;
  std::int64_t fiscal_year = 0;
  std::optional<std::int64_t> as_of;
  std::size_t input_line = 0;
  std::string input;   // the input object's JSON
  std::string output;  // the output object's JSON, minified
};

// Parses one record line; false with `error` when it is not one.
bool parse_decision_record(std::string_view line, RecordedDecision& out, std::string& error);
// `json` minified the way parse_decision_record minifies a recorded output; "" if invalid.
std::string minified_json(std::string_view json);

}  // namespace kijun::runtime
