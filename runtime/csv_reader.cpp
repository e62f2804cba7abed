#include <unordered_map>

#include "runtime/fields.hpp"
#include "runtime/reader.hpp"

namespace kijun::runtime {

namespace {

// Splits one CSV line (RFC 4180 quoting within the line); false on an unclosed quote.
bool split(const std::string& line, std::vector<std::string>& cells) {
  cells.clear();
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cell += '"', ++i;
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.push_back(std::move(cell));
      cell.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  cells.push_back(std::move(cell));
  return !quoted;
}

class CsvReader final : public RecordReader {
public:
  CsvReader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots, KnownFields& known)
      : in_(in), rs_(rs), slots_(std::move(slots)), known_(known) {}

  bool next(Record& r) override {
    if (!header_read_ && !read_header()) return false;
    if (!input_error_.empty()) return false;
    std::string line;
    while (std::getline(in_, line)) {
      ++line_no_;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      read(line, r);
      return true;
    }
    return false;
  }

private:
  // The header names the field of each column for every record, so a problem with it is the
  // whole input's, said once: a column named twice, or (strict fields) one no input knows.
  bool read_header() {
    header_read_ = true;
    std::string line;
    if (!std::getline(in_, line)) return false;
    ++line_no_;
    std::vector<std::string> names;
    split(line, names);
    if (auto repeated = repeated_column(names); !repeated.empty()) {
      input_error_ = repeated;
      return false;
    }
    auto slot_of = known_.slots_of(rs_, slots_);
    columns_.assign(names.size(), KnownFields::npos);
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
    return true;
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

  void read(const std::string& line, Record& r) {
    r = Record{};
    r.line = line_no_;
    r.values.assign(rs_.inputs.size(), ir::Value::absent());
    std::vector<std::string> cells;
    bool closed = split(line, cells);
    if (id_column_ >= 0 && static_cast<std::size_t>(id_column_) < cells.size() && !cells[id_column_].empty()) {
      r.id = cells[id_column_];
      r.has_id = true;
    }
    if (!closed) {
      r.error = "record: unclosed quote";
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
