#include "runtime/fields.hpp"

#include <charconv>

#include "compiler/ir/exact.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::runtime {

std::string shown(const RawField& raw) {
  switch (raw.kind) {
    case RawField::Kind::null: return "null";
    case RawField::Kind::boolean: return raw.boolean ? "true" : "false";
    case RawField::Kind::number: return std::string(raw.text);
    case RawField::Kind::string: case RawField::Kind::text: return "\"" + std::string(raw.text) + "\"";
    case RawField::Kind::other: return "an object or array";
    case RawField::Kind::absent: return "nothing";
  }
  return "?";
}

namespace {

std::string range_text(const ir::Input& in, const char* noun, const char* unit) {
  std::string u = unit;
  if (in.min && in.max) return std::string(noun) + " from " + std::to_string(*in.min) + u + " to " + std::to_string(*in.max) + u;
  if (in.min) return std::string(noun) + " ≥ " + std::to_string(*in.min) + u;
  if (in.max) return std::string(noun) + " ≤ " + std::to_string(*in.max) + u;
  return noun;
}

}  // namespace

std::optional<std::int64_t> parse_integer(std::string_view t) {
  if (t.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
  return v;
}

std::optional<ir::Value> parse_rate(std::string_view t) {
  if (auto slash = t.find('/'); slash != std::string_view::npos) {
    auto n = parse_integer(t.substr(0, slash));
    auto d = parse_integer(t.substr(slash + 1));
    if (!n || !d || *d == 0) return std::nullopt;
    ir::Value v;
    if (ir::exact::make(*n, *d, v) != ir::EvalError::none) return std::nullopt;
    return v;
  }
  bool percent = !t.empty() && t.back() == '%';
  if (percent) t.remove_suffix(1);
  bool negative = !t.empty() && t[0] == '-';
  if (negative) t.remove_prefix(1);
  if (t.empty()) return std::nullopt;
  __extension__ __int128 num = 0;
  std::int64_t scale = 0;
  bool dot = false, digit = false;
  for (char c : t) {
    if (c == '.' && !dot) { dot = true; continue; }
    if (c < '0' || c > '9') return std::nullopt;
    digit = true;
    num = num * 10 + (c - '0');
    if (dot) ++scale;
    if (num > INT64_MAX || scale > 18) return std::nullopt;
  }
  if (!digit) return std::nullopt;
  if (percent) scale += 2;
  if (scale > 18) return std::nullopt;
  __extension__ __int128 den = 1;
  for (std::int64_t i = 0; i < scale; ++i) den *= 10;
  ir::Value v;
  if (ir::exact::make(negative ? -num : num, den, v) != ir::EvalError::none) return std::nullopt;
  return v;
}

bool parse_field(const ir::Ruleset& rs, const ir::Input& input, const RawField& raw, ir::Value& out, std::string& error) {
  using K = RawField::Kind;
  const dsl::Type& type = input.type;
  if (raw.kind == K::absent || raw.kind == K::null || (raw.kind == K::text && raw.text.empty())) {
    if (type.optional) {
      out = ir::Value::absent();
      return true;
    }
    error = raw.kind == K::null ? "required, got null" : "required field is missing";
    return false;
  }
  bool textual = raw.kind == K::text;
  switch (type.kind) {
    case dsl::Kind::bool_: {
      if (raw.kind == K::boolean) { out = ir::Value::of(raw.boolean); return true; }
      if (textual && (raw.text == "true" || raw.text == "false")) { out = ir::Value::of(raw.text == "true"); return true; }
      error = "expected true or false, got " + shown(raw);
      return false;
    }
    case dsl::Kind::int_:
    case dsl::Kind::yen: {
      bool yen = type.kind == dsl::Kind::yen;
      std::string want = yen ? range_text(input, "whole yen", "") : range_text(input, "an integer", "");
      std::optional<std::int64_t> v;
      if (raw.kind == K::number || textual) v = parse_integer(raw.text);
      if (!v || (input.min && *v < *input.min) || (input.max && *v > *input.max)) {
        error = "expected " + want + ", got " + shown(raw);
        return false;
      }
      out = ir::Value::of(*v);
      return true;
    }
    case dsl::Kind::rate: {
      std::optional<ir::Value> v;
      if (raw.kind == K::number || raw.kind == K::string || textual) v = parse_rate(raw.text);
      if (!v) {
        error = "expected an exact rate such as 0.035, 3.5% or 2/3, got " + shown(raw);
        return false;
      }
      out = *v;
      return true;
    }
    case dsl::Kind::date: {
      std::optional<std::int64_t> d;
      if (raw.kind == K::string || textual) d = dsl::parse_date(raw.text);
      if (!d) {
        error = "expected a date YYYY-MM-DD, got " + shown(raw);
        return false;
      }
      out = ir::Value::of(*d);
      return true;
    }
    case dsl::Kind::enumeration: {
      const auto& en = rs.enums[type.enum_id];
      if (raw.kind == K::string || textual)
        for (std::size_t i = 0; i < en.values.size(); ++i)
          if (en.values[i] == raw.text) {
            out = ir::Value::of(static_cast<std::int64_t>(i));
            return true;
          }
      std::string list;
      for (std::size_t i = 0; i < en.values.size(); ++i) list += (i ? ", " : "") + en.values[i];
      error = "expected one of " + list + "; got " + shown(raw);
      return false;
    }
    case dsl::Kind::text:
      if (raw.kind == K::string || textual || raw.kind == K::number) {
        out = ir::Value::of(0);
        return true;
      }
      error = "expected text, got " + shown(raw);
      return false;
    default:
      error = "this input's type cannot be read";
      return false;
  }
}

}  // namespace kijun::runtime
