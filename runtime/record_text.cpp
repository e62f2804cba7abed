#include "runtime/record_text.hpp"

namespace kijun::runtime {

namespace {

// The length of the valid UTF-8 sequence at `text[i]`, or 0 (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF).
std::size_t sequence_at(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  unsigned char c1 = byte(i + 1);
  if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
  if (c == 0xED && c1 > 0x9F) return 0;   // a surrogate
  if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
  if (c == 0xF4 && c1 > 0x8F) return 0;   // above U+10FFFF
  return n;
}

}  // namespace

std::size_t invalid_utf8_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    auto n = sequence_at(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string shown_utf8(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    auto n = sequence_at(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

bool strip_bom(std::string& line) {
  if (!line.starts_with("\xEF\xBB\xBF")) return false;
  line.erase(0, 3);
  return true;
}

}  // namespace kijun::runtime
