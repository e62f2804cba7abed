#include <simdjson.h>

#include <algorithm>

#include "runtime/fields.hpp"
#include "runtime/reader.hpp"

namespace kijun::runtime {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// One JSON value as the field parser takes it; null, or what is wrong with the value.
const char* raw_value(simdjson::ondemand::value& value, RawField& raw) {
  simdjson::ondemand::json_type type;
  if (value.type().get(type)) return "invalid JSON value";
  std::string_view s;
  switch (type) {
    case simdjson::ondemand::json_type::null: raw.kind = RawField::Kind::null; return nullptr;
    case simdjson::ondemand::json_type::boolean:
      raw.kind = RawField::Kind::boolean;
      return value.get_bool().get(raw.boolean) ? "invalid JSON value" : nullptr;
    case simdjson::ondemand::json_type::number:
      raw.kind = RawField::Kind::number;
      raw.text = trim(value.raw_json_token());
      return nullptr;
    case simdjson::ondemand::json_type::string:
      raw.kind = RawField::Kind::string;
      if (value.get_string().get(s)) return "invalid JSON string";
      raw.text = s;
      return nullptr;
    default: raw.kind = RawField::Kind::other; return nullptr;
  }
}

class JsonlReader final : public RecordReader {
public:
  JsonlReader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots, KnownFields& known)
      : in_(in), rs_(rs), slots_(std::move(slots)), known_(known), slot_of_(known.slots_of(rs_, slots_)),
        stamp_(known.size(), 0) {
    for (auto s : slots_) index_of_slot_.push_back(known_.find(rs_.inputs[s].name));
  }

  bool next(Record& r) override {
    std::string line;
    while (std::getline(in_, line)) {
      ++line_no_;
      if (trim(line).empty()) continue;
      read(line, r);
      return true;
    }
    return false;
  }

private:
  void fail(Record& r, std::string_view field, const std::string& what) {
    if (r.error.empty()) r.error = std::string(field) + ": " + what;
  }

  // The first problem in field order is the record's error, except that a field given twice
  // comes before any other: which of its values would the record mean?
  void read(const std::string& line, Record& r) {
    r = Record{};
    r.line = line_no_;
    r.values.assign(rs_.inputs.size(), ir::Value::absent());
    ++record_no_;
    unknown_names_.clear();
    repeated_.clear();
    if (read_fields(line, r) && repeated_.empty()) check_missing(r);
    if (!repeated_.empty()) r.error = repeated_ + ": the field is given twice";
  }

  // Reads the object's fields in order; false when the line cannot be read to its end.
  bool read_fields(const std::string& line, Record& r) {
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object obj;
    if (parser_.iterate(padded).get(doc) || doc.get_object().get(obj)) {
      r.error = "record: not a JSON object";
      return false;
    }
    for (auto field_result : obj) {
      simdjson::ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        fail(r, "record", "invalid JSON");
        return false;
      }
      if (!read_field(key, field.value(), r)) return false;
    }
    return true;
  }

  // One field: its value is parsed even when no input reads it, so that invalid JSON is
  // found wherever it is; false when it is invalid.
  bool read_field(std::string_view key, simdjson::ondemand::value value, Record& r) {
    RawField raw;
    if (const char* bad = raw_value(value, raw)) {
      fail(r, key, bad);
      return false;
    }
    auto index = known_.find(key);
    if (!first_time(key, index)) {
      if (repeated_.empty()) repeated_ = key;
      return true;
    }
    if (index == KnownFields::npos) {
      auto what = known_.unknown(key);
      if (known_.strict()) fail(r, key, what);
      return true;
    }
    if (index == KnownFields::id && (raw.kind == RawField::Kind::string || raw.kind == RawField::Kind::number)) {
      r.id = std::string(raw.text);
      r.has_id = true;
    }
    auto slot = slot_of_[index];
    if (slot == KnownFields::npos) return true;
    std::string why;
    if (!parse_field(rs_, rs_.inputs[slot], raw, r.values[slot], why)) fail(r, key, why);
    return true;
  }

  // True the first time this record names `key`. Known names are stamped with the record's
  // number, so nothing is cleared per record; unknown names (rare) are kept by name.
  bool first_time(std::string_view key, std::uint32_t index) {
    if (index != KnownFields::npos) {
      if (stamp_[index] == record_no_) return false;
      stamp_[index] = record_no_;
      return true;
    }
    if (std::find(unknown_names_.begin(), unknown_names_.end(), key) != unknown_names_.end()) return false;
    unknown_names_.emplace_back(key);
    return true;
  }

  void check_missing(Record& r) {
    if (!r.has_id) fail(r, "id", "required field is missing");
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (stamp_[index_of_slot_[i]] == record_no_) continue;
      auto s = slots_[i];
      std::string why;
      if (!parse_field(rs_, rs_.inputs[s], RawField{}, r.values[s], why)) fail(r, rs_.inputs[s].name, why);
    }
  }

  std::istream& in_;
  const ir::Ruleset& rs_;
  std::vector<std::uint32_t> slots_;
  KnownFields& known_;
  std::vector<std::uint32_t> slot_of_;        // by known index: the slot read, or npos
  std::vector<std::uint32_t> index_of_slot_;  // parallel to slots_
  std::vector<std::uint64_t> stamp_;          // by known index: the last record that named it
  std::uint64_t record_no_ = 0;
  std::vector<std::string> unknown_names_;    // named by this record
  std::string repeated_;                      // the first field this record gives twice
  simdjson::ondemand::parser parser_;
  std::size_t line_no_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> make_jsonl_reader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots,
                                                KnownFields& known) {
  return std::make_unique<JsonlReader>(in, rs, std::move(slots), known);
}

}  // namespace kijun::runtime
