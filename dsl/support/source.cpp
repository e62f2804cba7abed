#include "dsl/support/source.hpp"

#include <algorithm>
#include <cstring>

namespace kijun::dsl {

FileId SourceSet::add(std::string path, std::string text) {
  SourceFile f{std::move(path), std::move(text), {0}};
  // memchr from one line to the next: a plugin's sources are indexed every time it loads.
  const char* begin = f.text.data();
  const char* end = begin + f.text.size();
  for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))); ++p)
    f.line_starts.push_back(static_cast<std::uint32_t>(p - begin + 1));
  files_.push_back(std::move(f));
  return static_cast<FileId>(files_.size() - 1);
}

LineCol SourceSet::line_col(FileId file, std::uint32_t offset) const {
  const auto& f = files_[file];
  auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), offset);
  auto line = static_cast<std::uint32_t>(it - f.line_starts.begin());
  auto start = f.line_starts[line - 1];
  auto prefix = std::string_view(f.text).substr(start, offset - start);
  return {line, display_width(prefix) + 1};
}

std::string_view SourceSet::line_text(FileId file, std::uint32_t line) const {
  const auto& f = files_[file];
  if (line == 0 || line > f.line_starts.size()) return {};
  auto start = f.line_starts[line - 1];
  auto end = line < f.line_starts.size() ? f.line_starts[line] : f.text.size();
  auto text = std::string_view(f.text).substr(start, end - start);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::string SourceSet::location(Span s) const {
  auto lc = line_col(s.file, s.begin);
  return files_[s.file].path + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

namespace {

char32_t decode(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return cp;
}

bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
         (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

std::uint32_t display_width(std::string_view utf8) {
  std::uint32_t w = 0;
  for (std::size_t i = 0; i < utf8.size();) w += is_wide(decode(utf8, i)) ? 2 : 1;
  return w;
}

}  // namespace kijun::dsl
