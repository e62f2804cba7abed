#include <simdjson.h>

#include <unordered_map>

#include "runtime/fields.hpp"
#include "runtime/reader.hpp"

namespace kijun::runtime {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

class JsonlReader final : public RecordReader {
public:
  JsonlReader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots) : in_(in), rs_(rs), slots_(std::move(slots)) {
    for (auto s : slots_) by_name_[rs_.inputs[s].name] = s;
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
  void fail(Record& r, const std::string& field, const std::string& what) {
    if (r.error.empty()) r.error = field + ": " + what;
  }

  void read(const std::string& line, Record& r) {
    r = Record{};
    r.line = line_no_;
    r.values.assign(rs_.inputs.size(), ir::Value::absent());
    std::vector<std::uint8_t> seen(rs_.inputs.size(), 0);
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object obj;
    if (parser_.iterate(padded).get(doc) || doc.get_object().get(obj)) {
      r.error = "record: not a JSON object";
      return;
    }
    for (auto field_result : obj) {
      simdjson::ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        fail(r, "record", "invalid JSON");
        return;
      }
      simdjson::ondemand::value value = field.value();
      RawField raw;
      simdjson::ondemand::json_type type;
      if (value.type().get(type)) {
        fail(r, std::string(key), "invalid JSON value");
        return;
      }
      std::string_view s;
      switch (type) {
        case simdjson::ondemand::json_type::null: raw.kind = RawField::Kind::null; break;
        case simdjson::ondemand::json_type::boolean:
          raw.kind = RawField::Kind::boolean;
          if (value.get_bool().get(raw.boolean)) return fail(r, std::string(key), "invalid JSON value");
          break;
        case simdjson::ondemand::json_type::number:
          raw.kind = RawField::Kind::number;
          raw.text = trim(value.raw_json_token());
          break;
        case simdjson::ondemand::json_type::string:
          raw.kind = RawField::Kind::string;
          if (value.get_string().get(s)) return fail(r, std::string(key), "invalid JSON string");
          raw.text = s;
          break;
        default: raw.kind = RawField::Kind::other; break;
      }
      if (key == "id") {
        if (raw.kind == RawField::Kind::string || raw.kind == RawField::Kind::number) {
          r.id = std::string(raw.text);
          r.has_id = true;
        }
      }
      auto slot = by_name_.find(std::string(key));
      if (slot == by_name_.end()) continue;
      seen[slot->second] = 1;
      std::string why;
      if (!parse_field(rs_, rs_.inputs[slot->second], raw, r.values[slot->second], why)) fail(r, std::string(key), why);
    }
    if (!r.has_id) fail(r, "id", "required field is missing");
    for (auto s : slots_) {
      if (seen[s]) continue;
      std::string why;
      if (!parse_field(rs_, rs_.inputs[s], RawField{}, r.values[s], why)) fail(r, rs_.inputs[s].name, why);
    }
  }

  std::istream& in_;
  const ir::Ruleset& rs_;
  std::vector<std::uint32_t> slots_;
  std::unordered_map<std::string, std::uint32_t> by_name_;
  simdjson::ondemand::parser parser_;
  std::size_t line_no_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> make_jsonl_reader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots) {
  return std::make_unique<JsonlReader>(in, rs, std::move(slots));
}

}  // namespace kijun::runtime
