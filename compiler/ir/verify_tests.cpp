// The tests an image carries, checked as its IR is: every index in range and every value one
// its input can hold, so that running a plugin's tests can trust them as lowering made them.
#include "compiler/ir/verify.hpp"

#include "dsl/support/calendar.hpp"

namespace kijun::ir {

namespace {

// Why `v` cannot be a value of input `in`, or empty. Nothing here allocates unless a test
// is refused: a plugin's tests are checked every time it is loaded.
const char* bad_value(const Ruleset& rs, const Input& in, const Value& v) {
  if (!v.present()) return "";
  switch (in.type.kind) {
    case dsl::Kind::bool_: return v.den == 1 && (v.num == 0 || v.num == 1) ? "" : "a bool other than 0 or 1";
    case dsl::Kind::rate: return v.den > 0 ? "" : "a rate whose denominator is not positive";
    case dsl::Kind::enumeration:
      return v.den == 1 && v.num >= 0 && in.type.enum_id < rs.enums.size() &&
                     static_cast<std::size_t>(v.num) < rs.enums[in.type.enum_id].values.size()
                 ? ""
                 : "an enum code out of range";
    default: return v.den == 1 ? "" : "a fraction where a whole number belongs";
  }
}

}  // namespace

// An applicant's values: one its input can hold per slot, a list slot's elements within the
// values and within its declared length, each field's value one the field can hold.
std::string check_applicant(const Ruleset& rs, const Value* values, std::size_t size) {
  if (size < rs.inputs.size()) return "the applicant does not have one value per input";
  for (std::size_t s = 0; s < rs.inputs.size(); ++s) {
    const Input& in = rs.inputs[s];
    const Value& v = values[s];
    if (in.type.kind != dsl::Kind::list) {
      if (const char* why = bad_value(rs, in, v); *why) return in.name + " is " + why;
      continue;
    }
    if (!v.present()) continue;  // no elements
    const auto& fields = rs.records[in.type.enum_id].fields;
    if (v.num < in.min_length || v.num > in.max_length) return in.name + " has a length outside its declared range";
    if (v.den < static_cast<std::int64_t>(rs.inputs.size()) || static_cast<std::uint64_t>(v.den) > size ||
        static_cast<std::uint64_t>(v.num) * fields.size() > size - static_cast<std::uint64_t>(v.den))
      return in.name + " has elements outside the applicant";
    for (std::int64_t e = 0; e < v.num; ++e)
      for (std::size_t f = 0; f < fields.size(); ++f)
        if (const char* why = bad_value(rs, fields[f], values[static_cast<std::size_t>(v.den) + static_cast<std::size_t>(e) * fields.size() + f]); *why)
          return in.name + "[" + std::to_string(e) + "]." + fields[f].name + " is " + why;
  }
  return "";
}

namespace {

bool within(std::int32_t index, std::size_t size) { return index >= -1 && (index < 0 || static_cast<std::size_t>(index) < size); }

}  // namespace

std::string verify_tests(const Ruleset& rs) {
  for (std::size_t i = 0; i < rs.tests.size(); ++i) {
    const auto& t = rs.tests[i];
    auto where = [i] { return "test " + std::to_string(i) + ": "; };
    if (t.frame >= rs.frames.size()) return where() + "frame out of range";
    if (t.as_of && !dsl::is_calendar_day(*t.as_of)) return where() + "its date is outside years 1..9999";
    if (auto why = check_applicant(rs, t.applicant.data(), t.applicant.size()); !why.empty()) return where() + why;
    for (const auto& x : t.expectations) {
      if (static_cast<std::uint8_t>(x.kind) >= expect_count) return where() + "an unknown expectation";
      if (!within(x.def, rs.defs.size()) || !within(x.table, rs.tables.size()) || !within(x.input, rs.inputs.size()))
        return where() + "an expectation reads out of range";
      if (x.table >= 0 ? !within(x.column, rs.tables[static_cast<std::size_t>(x.table)].outputs.size()) || x.column < 0
                       : x.column != -1)
        return where() + "an expectation reads a table column out of range";
      if (x.value.den < 0 || (x.kind == Expect::rate && x.value.den == 0)) return where() + "an expected value is malformed";
    }
  }
  return "";
}

std::string verify_description(const Ruleset& rs) {
  auto parts = [&](const std::vector<DescribedPart>& ps) {
    for (const auto& p : ps)
      if (p.exception && !p.exception->on_calendar()) return false;
    return true;
  };
  for (const auto& d : rs.description) {
    bool ok = parts(d.before) && parts(d.after);
    for (const auto& f : d.forms) ok = ok && f.period.on_calendar() && parts(f.parts);
    if (!ok) return "description of `" + d.name + "`: a period outside years 1..9999";
  }
  return "";
}

}  // namespace kijun::ir
