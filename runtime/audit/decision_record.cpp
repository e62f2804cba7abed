#include "runtime/audit/decision_record.hpp"

#include <simdjson.h>

#include "dsl/support/calendar.hpp"
#include "dsl/support/text.hpp"
#include "kijun/version.h"

namespace kijun::runtime {

using dsl::append_json_string;

namespace {

void append_value(std::string& out, const ir::Ruleset& rs, const ir::Input& in, ir::Value v) {
  switch (in.type.kind) {
    case dsl::Kind::bool_: out += v.num ? "true" : "false"; break;
    case dsl::Kind::date: out += "\"" + dsl::format_date(v.num) + "\""; break;
    case dsl::Kind::enumeration: append_json_string(out, rs.enums[in.type.enum_id].values[static_cast<std::size_t>(v.num)]); break;
    case dsl::Kind::rate:
      out += v.den == 1 ? std::to_string(v.num) : "\"" + std::to_string(v.num) + "/" + std::to_string(v.den) + "\"";
      break;
    default: out += std::to_string(v.num); break;
  }
}

// A list's elements as objects; a text field (not kept as a value) is the element's id as
// read for the first, empty for any other.
void append_list(std::string& out, const ir::Ruleset& rs, std::uint32_t slot, const Record& record) {
  ir::Value v = record.values[slot];
  const auto& fields = rs.records[rs.inputs[slot].type.enum_id].fields;
  const std::vector<std::string>* ids = slot < record.element_ids.size() ? &record.element_ids[slot] : nullptr;
  out += '[';
  for (std::int64_t e = 0; e < v.num; ++e) {
    out += e ? ",{" : "{";
    bool first = true, named = false;
    for (std::size_t f = 0; f < fields.size(); ++f) {
      ir::Value x = record.values[static_cast<std::size_t>(v.den) + static_cast<std::size_t>(e) * fields.size() + f];
      bool text = fields[f].type.kind == dsl::Kind::text;
      if (!text && !x.present()) continue;
      out += first ? "" : ",";
      first = false;
      append_json_string(out, fields[f].name);
      out += ':';
      if (!text) {
        append_value(out, rs, fields[f], x);
        continue;
      }
      append_json_string(out, !named && ids && static_cast<std::size_t>(e) < ids->size() ? (*ids)[static_cast<std::size_t>(e)] : "");
      named = true;
    }
    out += '}';
  }
  out += ']';
}

}  // namespace

std::string input_json(const ir::Ruleset& rs, std::uint32_t frame, const Record& record) {
  std::string out = "{\"id\":";
  if (record.has_id) append_json_string(out, record.id);
  else out += "null";
  for (auto slot : rs.frames[frame].inputs) {
    const auto& in = rs.inputs[slot];
    ir::Value v = record.values[slot];
    if (!v.present() || in.type.kind == dsl::Kind::text) continue;
    out += ',';
    append_json_string(out, in.name);
    out += ':';
    if (in.type.kind == dsl::Kind::list) append_list(out, rs, slot, record);
    else append_value(out, rs, in, v);
  }
  return out + "}";
}

std::string decision_record(const Engine& engine, std::uint32_t frame, const Record& record, std::string_view output,
                            const RecordMeta& meta) {
  const auto& rs = engine.ruleset();
  std::string out = "{\"record\":\"";
  out += decision_record_format;
  out += "\",\"kijun\":";
  append_json_string(out, KIJUN_VERSION_STRING);
  out += ",\"source\":";
  append_json_string(out, meta.source);
  out += ",\"ruleset\":";
  append_json_string(out, rs.programme);
  out += ",\"fiscal_year\":" + std::to_string(rs.fiscal_year);
  out += ",\"ruleset_hash\":\"" + engine.content_hash() + "\"";
  out += ",\"frame\":";
  append_json_string(out, rs.frames[frame].name);
  out += ",\"engine\":";
  append_json_string(out, meta.engine);
  out += ",\"as_of_override\":";
  out += meta.as_of ? "\"" + dsl::format_date(*meta.as_of) + "\"" : "null";
  out += ",\"input_line\":" + std::to_string(record.line);
  out += ",\"input\":" + input_json(rs, frame, record);
  out += ",\"output\":";
  out += output;
  return out + "}";
}

namespace {

bool text_field(simdjson::dom::object& o, const char* key, std::string& out) {
  std::string_view v;
  if (o[key].get_string().get(v)) return false;
  out = std::string(v);
  return true;
}

}  // namespace

std::string minified_json(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(simdjson::padded_string(json)).get(e)) return "";
  return simdjson::minify(e);
}

bool parse_decision_record(std::string_view line, RecordedDecision& out, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::object o;
  if (parser.parse(simdjson::padded_string(line)).get(doc) || doc.get_object().get(o)) {
    error = "not a JSON object";
    return false;
  }
  std::string format;
  if (!text_field(o, "record", format) || format != decision_record_format) {
    error = "not a kijun decision record (no \"record\":\"" + std::string(decision_record_format) + "\")";
    return false;
  }
  const char* missing = nullptr;
  if (!text_field(o, "kijun", out.kijun)) missing = "kijun";
  else if (!text_field(o, "source", out.source)) missing = "source";
  else if (!text_field(o, "ruleset", out.ruleset)) missing = "ruleset";
  else if (!text_field(o, "ruleset_hash", out.hash)) missing = "ruleset_hash";
  else if (!text_field(o, "frame", out.frame)) missing = "frame";
  else if (!text_field(o, "engine", out.engine)) missing = "engine";
  else if (o["fiscal_year"].get_int64().get(out.fiscal_year)) missing = "fiscal_year";
  if (missing) {
    error = std::string("the record has no valid \"") + missing + "\"";
    return false;
  }
  std::uint64_t line_no = 0;
  if (o["input_line"].get_uint64().get(line_no)) {
    error = "the record has no valid \"input_line\"";
    return false;
  }
  out.input_line = static_cast<std::size_t>(line_no);
  out.as_of.reset();
  simdjson::dom::element as_of;
  if (!o["as_of_override"].get(as_of) && !as_of.is_null()) {
    std::string_view day;
    auto parsed = as_of.get_string().get(day) ? std::nullopt : dsl::parse_date(std::string(day));
    if (!parsed) {
      error = "the record's \"as_of_override\" is not a date";
      return false;
    }
    out.as_of = parsed;
  }
  simdjson::dom::object input, output;
  if (o["input"].get_object().get(input) || o["output"].get_object().get(output)) {
    error = "the record has no \"input\" or \"output\" object";
    return false;
  }
  out.input = simdjson::minify(input);
  out.output = simdjson::minify(output);
  return true;
}

}  // namespace kijun::runtime
