#include <simdjson.h>

#include <algorithm>

#include "dsl/support/text.hpp"
#include "runtime/fields.hpp"
#include "runtime/reader.hpp"
#include "runtime/record_text.hpp"

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
      if (++line_no_ == 1) strip_bom(line);
      if (trim(line).empty()) {
        ++blank_lines_;
        continue;
      }
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
  // comes before any other (which of its values would the record mean?), bytes that are not
  // UTF-8 come before that, and more text after the object comes first of all: the line is
  // then not one record, and deciding the first object alone would drop the rest silently.
  void read(std::string& line, Record& r) {
    // simdjson's check is the fast one; ours finds where the bad byte is, on bad lines only.
    bad_byte_ = simdjson::validate_utf8(line.data(), line.size()) ? std::string::npos : invalid_utf8_at(line);
    bad_key_.clear();
    if (bad_byte_ != std::string::npos) {
      original_ = line;
      mask_bad_bytes(line);
    }
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc;
    bool whole = read_object(padded, doc, r);
    if (whole) check_trailing(padded, doc, r);
    if (whole || !not_json_) return;
    // simdjson refuses a whole line whose text after the object is not JSON (`{…} x`): the
    // object alone is read again for its id, and the rest makes the line an error.
    auto end = object_end(line);
    auto rest = end == std::string::npos ? end : line.find_first_not_of(" \t\r", end);
    if (rest == std::string::npos) return;
    simdjson::padded_string object(std::string_view(line).substr(0, end));
    if (read_object(object, doc, r)) r.error = trailing_error(rest);
  }

  // Reads one object into a fresh record; false when it cannot be read to its end.
  bool read_object(simdjson::padded_string& padded, simdjson::ondemand::document& doc, Record& r) {
    r = Record{};
    r.line = line_no_;
    r.values.assign(rs_.inputs.size(), ir::Value::absent());
    ++record_no_;
    unknown_names_.clear();
    repeated_.clear();
    bool whole = read_fields(padded, doc, r);
    if (whole && repeated_.empty() && bad_byte_ == std::string::npos) check_missing(r);
    if (!repeated_.empty()) r.error = repeated_ + ": the field is given twice";
    if (bad_byte_ != std::string::npos) {
      r.error = bad_utf8_error();
      if (bad_key_ == "id") r.id.clear(), r.has_id = false;  // a masked id is not the record's
    }
    return whole;
  }

  // The offset just after the object the line starts with, or npos when it does not start
  // with a whole one. Only braces outside strings count.
  static std::size_t object_end(std::string_view line) {
    auto i = line.find_first_not_of(" \t");
    if (i == std::string_view::npos || line[i] != '{') return std::string_view::npos;
    int depth = 0;
    bool in_string = false;
    for (; i < line.size(); ++i) {
      char c = line[i];
      if (in_string) {
        if (c == '\\') ++i;
        else if (c == '"') in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return std::string_view::npos;
  }

  static std::string trailing_error(std::size_t at) {
    return "record: the line goes on after the JSON object (column " + std::to_string(at + 1) + "); one record per line";
  }

  // Bad bytes become `?` so that the rest of the line can still be read (its id, and which
  // field holds them); offsets stay as they were.
  static void mask_bad_bytes(std::string& line) {
    for (auto at = invalid_utf8_at(line); at != std::string::npos; at = invalid_utf8_at(line)) line[at] = '?';
  }

  std::string bad_utf8_error() const {
    if (bad_key_.empty()) return "record: not valid UTF-8";
    return shown_utf8(bad_key_) + (bad_in_key_ ? ": the field name is not valid UTF-8" : ": not valid UTF-8");
  }

  // Reads the object's fields in order; false when the line cannot be read to its end.
  bool read_fields(simdjson::padded_string& padded, simdjson::ondemand::document& doc, Record& r) {
    simdjson::ondemand::object obj;
    not_json_ = parser_.iterate(padded).get(doc) || doc.get_object().get(obj);
    if (not_json_) {
      r.error = "record: not a JSON object";
      return false;
    }
    std::size_t position = 0;
    for (auto field_result : obj) {
      simdjson::ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field)) {
        fail(r, "record", "invalid JSON");
        return false;
      }
      note_bad_byte(padded, field);  // before unescaped_key(), which consumes the raw key
      if (field.unescaped_key().get(key)) {
        fail(r, "record", "invalid JSON");
        return false;
      }
      if (!read_field(key, index_at(position++, key), field.value(), r)) return false;
    }
    return true;
  }

  // The index of field name `key`, found at `position` of the record: the records of a file
  // mostly name their fields in the same order, so the name at each position is compared
  // with the last one seen there before it is looked up.
  std::uint32_t index_at(std::size_t position, std::string_view key) {
    if (position >= shape_.size()) shape_.resize(position + 1, {std::string(), KnownFields::npos});
    auto& [name, index] = shape_[position];
    if (name != key) name.assign(key), index = known_.find(key);
    return index;
  }

  // The field that holds the first bad byte is the last whose key starts before it.
  void note_bad_byte(const simdjson::padded_string& padded, simdjson::ondemand::field& field) {
    if (bad_byte_ == std::string::npos) return;
    auto start = static_cast<std::size_t>(field.key().raw() - padded.data());  // after the quote
    if (start > bad_byte_ + 1) return;
    auto end = start;
    while (end < original_.size() && original_[end] != '"') end += original_[end] == '\\' ? 2 : 1;
    bad_key_ = original_.substr(start, std::min(end, original_.size()) - start);
    bad_in_key_ = bad_byte_ < end;
  }

  // Text after the object: two records joined by a lost newline, or a stray `}`.
  void check_trailing(const simdjson::padded_string& padded, simdjson::ondemand::document& doc, Record& r) {
    const char* at = nullptr;
    if (doc.current_location().get(at)) return;  // OUT_OF_BOUNDS: the object ended the line
    r.error = trailing_error(static_cast<std::size_t>(at - padded.data()));
  }

  // One field: its value is parsed even when no input reads it, so that invalid JSON is
  // found wherever it is; false when it is invalid.
  bool read_field(std::string_view key, std::uint32_t index, simdjson::ondemand::value value, Record& r) {
    if (index != KnownFields::npos) {
      auto slot = slot_of_[index];
      if (slot != KnownFields::npos && rs_.inputs[slot].type.kind == dsl::Kind::list) {
        if (first_time(key, index)) return read_list(key, value, slot, r);
        if (repeated_.empty()) repeated_ = key;
        return true;
      }
    }
    RawField raw;
    if (const char* bad = raw_value(value, raw)) {
      fail(r, key, bad);
      return false;
    }
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

  // A list input: a JSON array of objects, each read as its record's fields, after the
  // inputs (ir.hpp Record). An element's problem names the list, the element's index and
  // its id; more elements than the list may hold are counted, not kept.
  bool read_list(std::string_view key, simdjson::ondemand::value value, std::uint32_t slot, Record& r) {
    const ir::Input& in = rs_.inputs[slot];
    const ir::Record& rec = rs_.records[in.type.enum_id];
    simdjson::ondemand::json_type type;
    simdjson::ondemand::array array;
    if (value.type().get(type)) return fail(r, key, "invalid JSON value"), false;
    if (type != simdjson::ondemand::json_type::array) {
      RawField raw;
      if (const char* bad = raw_value(value, raw)) return fail(r, key, bad), false;
      fail(r, key, "expected a list of `" + rec.name + "` (a JSON array of objects), got " + shown(raw));
      return true;
    }
    if (value.get_array().get(array)) return fail(r, key, "invalid JSON"), false;
    const auto first = r.values.size();
    if (r.element_ids.empty()) r.element_ids.resize(rs_.inputs.size());
    auto& ids = r.element_ids[slot];
    ids.clear();
    std::int64_t count = 0;
    for (auto element_result : array) {
      simdjson::ondemand::value element;
      if (std::move(element_result).get(element)) return fail(r, key, "invalid JSON"), false;
      bool keep = count < in.max_length;
      if (!read_element(key, count, element, rec, keep, r, ids)) return false;
      ++count;
    }
    std::int64_t kept = std::min(count, in.max_length);
    r.values[slot] = {kept, static_cast<std::int64_t>(first)};
    if (count > in.max_length)
      fail(r, key, std::to_string(count) + " elements, where the list holds at most " + std::to_string(in.max_length));
    else if (count < in.min_length)
      fail(r, key, std::to_string(count) + " elements, where the list needs at least " + std::to_string(in.min_length));
    return true;
  }

  bool read_element(std::string_view list, std::int64_t index, simdjson::ondemand::value element, const ir::Record& rec,
                    bool keep, Record& r, std::vector<std::string>& ids) {
    std::string where = std::string(list) + "[" + std::to_string(index) + "]";
    simdjson::ondemand::json_type type;
    if (element.type().get(type)) return fail(r, where, "invalid JSON value"), false;
    simdjson::ondemand::object obj;
    if (type != simdjson::ondemand::json_type::object || element.get_object().get(obj)) {
      RawField raw;
      if (const char* bad = raw_value(element, raw)) return fail(r, where, bad), false;
      fail(r, where, "expected a `" + rec.name + "` (a JSON object), got " + shown(raw));
      return true;
    }
    const auto base = r.values.size();
    if (keep) r.values.resize(base + rec.fields.size(), ir::Value::absent());
    std::vector<bool> seen(rec.fields.size(), false);
    std::size_t id_field = 0;
    while (id_field < rec.fields.size() && rec.fields[id_field].type.kind != dsl::Kind::text) ++id_field;
    std::string id, problem, repeated;
    for (auto field_result : obj) {
      simdjson::ondemand::field field;
      std::string_view name;
      if (std::move(field_result).get(field) || field.unescaped_key().get(name)) return fail(r, where, "invalid JSON"), false;
      RawField raw;
      if (const char* bad = raw_value(field.value(), raw)) return fail(r, where + "." + std::string(name), bad), false;
      std::size_t f = 0;
      while (f < rec.fields.size() && rec.fields[f].name != name) ++f;
      if (f == rec.fields.size()) {
        if (problem.empty()) problem = unknown_element_field(rec, name);
        continue;
      }
      if (seen[f]) {
        if (repeated.empty()) repeated = std::string(name) + ": the field is given twice";
        continue;
      }
      seen[f] = true;
      if (f == id_field && (raw.kind == RawField::Kind::string || raw.kind == RawField::Kind::number)) id = raw.text;
      std::string why;
      if (keep && !parse_field(rs_, rec.fields[f], raw, r.values[base + f], why) && problem.empty())
        problem = std::string(name) + ": " + why;
    }
    for (std::size_t f = 0; f < rec.fields.size() && keep; ++f) {
      std::string why;
      if (!seen[f] && !parse_field(rs_, rec.fields[f], RawField{}, r.values[base + f], why) && problem.empty())
        problem = rec.fields[f].name + ": " + why;
    }
    if (!repeated.empty()) problem = repeated;
    if (!problem.empty())
      fail(r, where + (id.empty() ? "" : " (" + rec.fields[id_field].name + " " + id + ")"), problem);
    if (keep) ids.push_back(id);
    return true;
  }

  static std::string unknown_element_field(const ir::Record& rec, std::string_view name) {
    std::vector<std::string> names;
    for (auto& f : rec.fields) names.push_back(f.name);
    std::string what = std::string(name) + ": not a field of `" + rec.name + "`";
    if (auto near = dsl::nearest(std::string(name), names); !near.empty()) what += "; did you mean `" + near + "`?";
    return what;
  }

  void check_missing(Record& r) {
    if (!r.has_id) fail(r, "id", "required field is missing");
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (stamp_[index_of_slot_[i]] == record_no_) continue;
      auto s = slots_[i];
      if (rs_.inputs[s].type.kind == dsl::Kind::list) {  // not given: no elements, if the list may be empty
        r.values[s] = {0, static_cast<std::int64_t>(r.values.size())};
        if (rs_.inputs[s].min_length > 0) fail(r, rs_.inputs[s].name, "required field is missing");
        continue;
      }
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
  std::vector<std::pair<std::string, std::uint32_t>> shape_;  // per position: the last name there, its index
  std::vector<std::string> unknown_names_;    // named by this record
  std::string repeated_;                      // the first field this record gives twice
  std::size_t bad_byte_ = std::string::npos;  // the first byte of the line that is not UTF-8
  std::string bad_key_;                       // the field that holds it, if any
  bool bad_in_key_ = false;                   // in the field's name rather than its value
  std::string original_;                      // the line as read, when it has bad bytes
  bool not_json_ = false;                     // simdjson refused the text as a whole
  simdjson::ondemand::parser parser_;
  std::size_t line_no_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> make_jsonl_reader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots,
                                                KnownFields& known) {
  return std::make_unique<JsonlReader>(in, rs, std::move(slots), known);
}

}  // namespace kijun::runtime
