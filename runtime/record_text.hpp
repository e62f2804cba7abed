// Byte-level facts about record text that both readers need: a record's bytes must be
// UTF-8 (a field read from bad bytes would be a guess), a byte-order mark is not a field,
// and a name shown in an error line must itself be valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kijun::runtime {

// The offset of the first byte that does not belong to valid UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view text);

// `text` with each invalid byte shown as U+FFFD, for an error line that names it.
std::string shown_utf8(std::string_view text);

// Removes a UTF-8 byte-order mark from the start of `line`; true when there was one.
bool strip_bom(std::string& line);

}  // namespace kijun::runtime
