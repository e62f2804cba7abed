#include "runtime/audit/applicant_json.hpp"

#include <algorithm>

#include "dsl/support/calendar.hpp"
#include "dsl/support/text.hpp"
#include "runtime/output.hpp"

namespace kijun::runtime {

namespace {

// Exact decimal digits of num/den when den has no prime factor but 2 and 5.
std::string rate_digits(ir::Value v) {
  std::int64_t den = v.den, twos = 0, fives = 0;
  while (den % 2 == 0) den /= 2, ++twos;
  while (den % 5 == 0) den /= 5, ++fives;
  if (den != 1 || std::max(twos, fives) > 18) return rate_text(v);
  std::int64_t digits = std::max(twos, fives), scale = 1;
  for (std::int64_t i = 0; i < digits; ++i) scale *= 10;
  __extension__ __int128 n = static_cast<__int128>(v.num) * (scale / v.den);
  bool negative = n < 0;
  if (negative) n = -n;
  std::string s;
  for (std::int64_t i = 0; i <= digits || n > 0; ++i) {
    if (i == digits && digits > 0) s.insert(s.begin(), '.');
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(n % 10)));
    n /= 10;
  }
  return (negative ? "-" : "") + s;
}

bool is_enum_value(const ir::Ruleset& rs, const ir::Input& in, ir::Value v) {
  return v.num >= 0 && static_cast<std::size_t>(v.num) < rs.enums[in.type.enum_id].values.size();
}

}  // namespace

std::string input_value_text(const ir::Ruleset& rs, const ir::Input& in, ir::Value v) {
  if (!v.present()) return "(absent)";
  switch (in.type.kind) {
    case dsl::Kind::bool_: return v.num ? "true" : "false";
    case dsl::Kind::date: return dsl::format_date(v.num);
    case dsl::Kind::enumeration:
      return is_enum_value(rs, in, v) ? rs.enums[in.type.enum_id].values[static_cast<std::size_t>(v.num)] : "?";
    case dsl::Kind::rate: return rate_digits(v);
    case dsl::Kind::list: return std::to_string(v.num) + (v.num == 1 ? " element" : " elements");
    default: return std::to_string(v.num);
  }
}

std::string list_value_json(const ir::Ruleset& rs, std::uint32_t slot, const std::vector<ir::Value>& values) {
  ir::Value v = values[slot];
  const auto& fields = rs.records[rs.inputs[slot].type.enum_id].fields;
  std::string out = "[";
  for (std::int64_t e = 0; v.present() && e < v.num; ++e) {
    out += e ? ",{" : "{";
    bool first = true;
    for (std::size_t f = 0; f < fields.size(); ++f) {
      ir::Value x = values[static_cast<std::size_t>(v.den) + static_cast<std::size_t>(e) * fields.size() + f];
      if (fields[f].type.kind == dsl::Kind::text || !x.present()) continue;
      if (!first) out += ",";
      first = false;
      dsl::append_json_string(out, fields[f].name);
      out += ":" + input_value_json(rs, fields[f], x);
    }
    out += "}";
  }
  return out + "]";
}

std::string input_value_json(const ir::Ruleset& rs, const ir::Input& in, ir::Value v) {
  if (!v.present()) return "null";
  switch (in.type.kind) {
    case dsl::Kind::bool_:
    case dsl::Kind::int_:
    case dsl::Kind::yen: return input_value_text(rs, in, v);
    default: {
      std::string out;
      dsl::append_json_string(out, input_value_text(rs, in, v));
      return out;
    }
  }
}

}  // namespace kijun::runtime
