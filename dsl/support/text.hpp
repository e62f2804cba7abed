// Small text utilities shared by every stage: UTF-8 decoding, JSON string escaping and
// the nearest name for "did you mean".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kijun::dsl {

std::vector<char32_t> utf8_codepoints(std::string_view s);
void append_utf8(std::string& out, char32_t cp);
// Appends `s` as a JSON string literal, quotes included. Invalid UTF-8 bytes become U+FFFD.
void append_json_string(std::string& out, std::string_view s);
std::string json_string(std::string_view s);
// Source text on one line: each run of whitespace becomes one space, none at the ends.
std::string one_line(std::string_view s);
// Candidate nearest to `name` by edit distance, or empty: powers "did you mean".
std::string nearest(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace kijun::dsl
