#include <algorithm>
#include <unordered_map>

#include "runtime/fields.hpp"
#include "runtime/reader.hpp"
#include "runtime/record_text.hpp"

namespace kijun::runtime {

namespace {

// Reads one CSV record (RFC 4180): a quoted cell may hold commas, doubled quotes and line
// breaks, so a record can span lines. CRLF and LF both end a line. `lines` counts the lines
// read; false at the end of input. `closed` is false when a quote is still open there;
// `blank` is true for a line of nothing but spaces and tabs (`""` is a record, not blank).
bool read_record(std::istream& in, std::vector<std::string>& cells, std::size_t& lines, bool& closed, bool& blank) {
  cells.clear();
  std::string line, cell;
  bool quoted = false, any = false;
  while (std::getline(in, line)) {
    ++lines;
    if (lines == 1) strip_bom(line);
    if (any) cell += '\n';  // the line break was inside a quoted cell, so it is the cell's
    if (!quoted && !line.empty() && line.back() == '\r') line.pop_back();
    blank = !any && line.find_first_not_of(" \t") == std::string::npos;
    any = true;
    for (std::size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cell += '"', ++i;
        else if (c == '"') quoted = false;
        else if (c != '\r' || i + 1 < line.size()) cell += c;  // a CRLF inside quotes is a line break
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.push_back(std::move(cell));
        cell.clear();
      } else if (c != '\r') {
        cell += c;
      }
    }
    if (!quoted) break;
  }
  if (!any) return false;
  cells.push_back(std::move(cell));
  closed = !quoted;
  return true;
}

class CsvReader final : public RecordReader {
public:
  CsvReader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots, KnownFields& known)
      : in_(in), rs_(rs), slots_(std::move(slots)), known_(known) {}

  bool next(Record& r) override {
    if (!header_read_ && !read_header()) return false;
    if (!input_error_.empty()) return false;
    std::vector<std::string> cells;
    for (;;) {
      auto start = line_no_ + 1;
      bool closed = true, blank = false;
      if (!read_record(in_, cells, line_no_, closed, blank)) return false;
      if (blank) {
        ++blank_lines_;
        continue;
      }
      read(cells, closed, start, r);
      return true;
    }
  }

private:
  // The header names the field of each column for every record, so a problem with it is the
  // whole input's, said once: a column named twice, or (strict fields) one no input knows.
  bool read_header() {
    header_read_ = true;
    // A cell holds one value: a frame that reads a list cannot be given as CSV.
    for (auto s : slots_)
      if (rs_.inputs[s].type.kind == dsl::Kind::list) {
        input_error_ = "`" + rs_.inputs[s].name + "` is a list of `" + rs_.records[rs_.inputs[s].type.enum_id].name +
                       "`, which a CSV cell cannot hold: give this frame's applicants as JSON Lines";
        return false;
      }
    std::vector<std::string> names;
    bool closed = true, blank = false;
    if (!read_record(in_, names, line_no_, closed, blank)) return false;
    for (std::size_t c = 0; c < names.size(); ++c)
      if (invalid_utf8_at(names[c]) != std::string::npos) {
        input_error_ = "the CSV header is not valid UTF-8 (column " + std::to_string(c + 1) + ")";
        return false;
      }
    if (auto repeated = repeated_column(names); !repeated.empty()) {
      input_error_ = repeated;
      return false;
    }
    auto slot_of = known_.slots_of(rs_, slots_);
    columns_.assign(names.size(), KnownFields::npos);
    names_ = names;
    for (std::size_t c = 0; c < names.size(); ++c) {
      auto index = known_.find(names[c]);
      if (index == KnownFields::npos) {
        auto what = known_.unknown(names[c]);
        if (!known_.strict()) continue;
        input_error_ = "the CSV header names `" + names[c] + "` (column " + std::to_string(c + 1) + "), which is " + what;
        return false;
      }
      if (index == KnownFields::id) id_column_ = static_cast<std::int64_t>(c);
      columns_[c] = slot_of[index];
    }
    input_error_ = missing_columns(names);
    return input_error_.empty();
  }

  // A column every record needs and the header lacks would make each record an error line
  // saying the same thing: "the CSV header lacks the required column `employees`".
  std::string missing_columns(const std::vector<std::string>& names) const {
    std::vector<std::string> missing;
    auto lacks = [&](const std::string& name) { return std::find(names.begin(), names.end(), name) == names.end(); };
    if (lacks("id")) missing.emplace_back("id");
    for (auto s : slots_)
      if (!rs_.inputs[s].type.optional && rs_.inputs[s].name != "id" && lacks(rs_.inputs[s].name)) missing.push_back(rs_.inputs[s].name);
    if (missing.empty()) return "";
    std::string list;
    for (std::size_t i = 0; i < missing.size(); ++i)
      list += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + ("`" + missing[i] + "`");
    return "the CSV header lacks the required column" + std::string(missing.size() == 1 ? " " : "s ") + list;
  }

  // "the CSV header names `employees` twice (columns 3 and 7)", or empty.
  static std::string repeated_column(const std::vector<std::string>& names) {
    std::unordered_map<std::string_view, std::size_t> first;
    for (std::size_t c = 0; c < names.size(); ++c) {
      auto [at, fresh] = first.emplace(names[c], c);
      if (!fresh)
        return "the CSV header names `" + names[c] + "` twice (columns " + std::to_string(at->second + 1) + " and " +
               std::to_string(c + 1) + ")";
    }
    return "";
  }

  // `line` is where the record starts: a quoted cell may carry it over several lines.
  void read(const std::vector<std::string>& cells, bool closed, std::size_t line, Record& r) {
    r = Record{};
    r.line = line;
    r.values.assign(rs_.inputs.size(), ir::Value::absent());
    auto id_cell = static_cast<std::size_t>(id_column_);
    if (id_column_ >= 0 && id_cell < cells.size() && !cells[id_cell].empty() && invalid_utf8_at(cells[id_cell]) == std::string::npos) {
      r.id = cells[id_cell];
      r.has_id = true;
    }
    if (!closed) {
      r.error = "record: a quoted cell is still open at the end of the input";
      return;
    }
    if (cells.size() == columns_.size())
      for (std::size_t c = 0; c < cells.size(); ++c)
        if (invalid_utf8_at(cells[c]) != std::string::npos) {
          r.error = shown_utf8(names_[c]) + ": not valid UTF-8";
          return;
        }
    if (cells.size() != columns_.size()) {
      r.error = "record: " + std::to_string(cells.size()) + " cells where the header has " + std::to_string(columns_.size());
      return;
    }
    if (!r.has_id) r.error = "id: required field is missing";
    std::vector<std::uint8_t> seen(rs_.inputs.size(), 0);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (columns_[c] == KnownFields::npos) continue;
      auto slot = columns_[c];
      seen[slot] = 1;
      RawField raw{RawField::Kind::text, cells[c], false};
      std::string why;
      if (!parse_field(rs_, rs_.inputs[slot], raw, r.values[slot], why) && r.error.empty())
        r.error = rs_.inputs[slot].name + ": " + why;
    }
    for (auto s : slots_) {
      if (seen[s]) continue;
      std::string why;
      if (!parse_field(rs_, rs_.inputs[s], RawField{}, r.values[s], why) && r.error.empty()) r.error = rs_.inputs[s].name + ": " + why;
    }
  }

  std::istream& in_;
  const ir::Ruleset& rs_;
  std::vector<std::uint32_t> slots_;
  KnownFields& known_;
  std::vector<std::uint32_t> columns_;  // the slot each column fills, or npos
  std::vector<std::string> names_;      // each column's name, from the header
  std::int64_t id_column_ = -1;
  bool header_read_ = false;
  std::size_t line_no_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> make_csv_reader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots,
                                              KnownFields& known) {
  return std::make_unique<CsvReader>(in, rs, std::move(slots), known);
}

}  // namespace kijun::runtime
