// Turns one field of an applicant record into a typed value, exactly: rates are parsed
// from their decimal text (never through a double), amounts must be whole yen, and every
// rejection says what was expected and what was found.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/ir/ir.hpp"

namespace kijun::runtime {

// One field as a reader saw it: JSON gives kinds, CSV gives text only.
struct RawField {
  enum class Kind : std::uint8_t { absent, null, boolean, number, string, text, other } kind = Kind::absent;
  std::string_view text;  // number token, string content or CSV cell
  bool boolean = false;
};

// The value as a message shows it: `"abc"`, 12, null, an object or array.
std::string shown(const RawField& raw);

// Parses `raw` for `input`; on failure returns false with the message (without field name).
bool parse_field(const ir::Ruleset& rs, const ir::Input& input, const RawField& raw, ir::Value& out, std::string& error);

// Exact decimal, percent or fraction text ("0.035", "3.5%", "2/3") → reduced rational.
std::optional<ir::Value> parse_rate(std::string_view text);
std::optional<std::int64_t> parse_integer(std::string_view text);

}  // namespace kijun::runtime
