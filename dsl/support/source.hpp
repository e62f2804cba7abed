// Source files and spans. Every AST node, IR node and diagnostic points into a SourceSet,
// so errors and explanations can always name file:line:col.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kijun::dsl {

using FileId = std::uint32_t;

// A half-open byte range [begin, end) in one file.
struct Span {
  FileId file = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  static Span cover(Span a, Span b) { return {a.file, a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end}; }
};

struct LineCol {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based display column (East Asian wide characters count 2)
};

struct SourceFile {
  std::string path;
  std::string text;
  std::vector<std::uint32_t> line_starts;  // byte offset of each line
};

class SourceSet {
public:
  FileId add(std::string path, std::string text);
  const SourceFile& file(FileId id) const { return files_[id]; }
  std::size_t size() const { return files_.size(); }

  LineCol line_col(FileId file, std::uint32_t offset) const;
  std::string_view line_text(FileId file, std::uint32_t line) const;
  std::string_view text(Span s) const { return std::string_view(files_[s.file].text).substr(s.begin, s.end - s.begin); }
  std::string location(Span s) const;  // "path:line:col"

private:
  std::vector<SourceFile> files_;
};

// Display width of a UTF-8 string in terminal columns.
std::uint32_t display_width(std::string_view utf8);

}  // namespace kijun::dsl
