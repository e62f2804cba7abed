// The types of kijun values. `yen_exact` is the type of exact yen fractions such as
// `fee * 2/3`: it can be compared, but must pass through `floor`/`ceil` to become yen.
#pragma once

#include <cstdint>
#include <string>

namespace kijun::dsl {

// `list`: a list of records (docs/design/lists.md), appended so that the kinds an image
// stores keep their numbers.
enum class Kind : std::uint8_t { error, bool_, int_, yen, yen_exact, rate, date, duration, text, enumeration, list };

struct Type {
  Kind kind = Kind::error;
  std::uint16_t enum_id = 0;  // an enum's index; for a list, its record's
  bool optional = false;

  static Type of(Kind k) { return {k, 0, false}; }
  static Type enumeration(std::uint16_t id) { return {Kind::enumeration, id, false}; }
  static Type list_of(std::uint16_t record) { return {Kind::list, record, false}; }
  Type required() const { return {kind, enum_id, false}; }
  Type maybe() const { return {kind, enum_id, true}; }
  bool is_error() const { return kind == Kind::error; }
  bool is(Kind k) const { return kind == k && !optional; }
  friend bool operator==(const Type&, const Type&) = default;
};

// What a rule does to a decision.
enum class RuleKind : std::uint8_t { requirement, exclusion, bonus, penalty, limit };
const char* rule_kind_name(RuleKind k);

// Values that are exact rationals at run time (int and yen have denominator 1).
inline bool is_numeric(Kind k) { return k == Kind::int_ || k == Kind::yen || k == Kind::yen_exact || k == Kind::rate; }
inline bool is_money(Kind k) { return k == Kind::yen || k == Kind::yen_exact; }
inline bool is_ratio(Kind k) { return k == Kind::int_ || k == Kind::rate; }
// Kind that both sides can be compared or combined as (int+rate → rate…), or error.
inline Kind common_kind(Kind a, Kind b) {
  if (a == b) return a;
  if (is_ratio(a) && is_ratio(b)) return Kind::rate;
  if (is_money(a) && is_money(b)) return Kind::yen_exact;
  return Kind::error;
}

}  // namespace kijun::dsl
