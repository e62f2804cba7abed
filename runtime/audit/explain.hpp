// Explanations of one decision, for the applicant and the auditor: the outcome first, then
// the failing rules with the values that made them fail ("employees 101 > 100"), how the
// amount was computed step by step, the points, and every rule with what it read.
// `explain` builds the explanation once, from the interpreter (the oracle); it is then
// rendered as text in Japanese or English, or as JSON.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/engine.hpp"

namespace kijun::runtime {

enum class Lang { ja, en };

// One side of a comparison: what the rule says there and what it came to.
struct Operand {
  std::string expr;   // source text: "(largest_large_enterprise_shares ?? 0) / shares_total"
  std::string value;  // as shown: "1/2", "1,500,000 yen"
  std::string cite;   // the citation of a table row the value came from, else empty
};

// A comparison that decided a condition, as data beside its line of text, so programs need
// not take the text apart.
struct Comparison {
  std::string op;  // as the rule writes it: <, <=, >, >=, ==, !=, in, not in
  bool holds = false;
  Operand left, right;  // for `in`, right is the set: "{a, b}"
};

// An element of a list input a line is about: `members[9]`, and its id (`member_id`).
struct ElementRef {
  std::string list;
  std::size_t index = 0;
  std::string id;
};

// One line of why a condition came out as it did; deeper lines explain the line above.
struct Reason {
  int depth = 0;
  std::string text;  // "employees 101 > 100"
  std::optional<Comparison> comparison;  // when the line is a comparison
  std::optional<ElementRef> element{};   // a line about one element of a list (a member that fails)
};

struct RuleNote {
  std::uint32_t rule = 0;  // index into Ruleset::rules
  ir::RuleOutcome outcome{};
  std::int32_t exception = -1;
  std::vector<std::pair<std::string, std::string>> reads;  // input name, value as shown
  std::vector<Reason> reasons;  // for failed rules and for points awarded
  // A rule with an `as_of` clause: the date it was judged on, the clause as written, and
  // that date's value as shown ("rounds.deadline 2026-06-15 (締切回 2次)").
  std::optional<std::int64_t> judged_on;
  std::string judged_by, judged_value;
};

// One step of the amount: a definition or a sub-expression and its value.
struct AmountStep {
  int depth = 0;
  std::string name;   // the definition's name, or empty for an expression
  std::string expr;   // source text
  std::string value;  // as shown: "300,000 yen", "1/2"
  std::string note;   // "rounded down from 49,999.5 yen", "the cap applies"
  std::string cite, label;
  std::optional<Comparison> comparison;  // a line of a condition's reasons that compares
  std::optional<ElementRef> element{};   // one element's row of a sum over a list
};

struct Explanation {
  std::string id;
  std::uint32_t frame = 0;
  std::int64_t as_of = 0;
  std::int64_t version = 0;
  Lang lang = Lang::ja;
  ir::Evaluation evaluation;
  std::vector<RuleNote> rules;  // frame order
  std::vector<AmountStep> amount;
};

// `decision` must come from Engine::decide with tracing on.
Explanation explain(const Engine& engine, std::uint32_t frame, const Record& record, const Decision& decision, Lang lang);
std::string explain_text(const Engine& engine, const Explanation& x);
// The explanation as one JSON object (no newline).
std::string explain_json(const Engine& engine, const Explanation& x);

// An input value as a person reads it: 1,500,000 yen, 1/2, 2026-03-30, retail, true.
std::string value_text(const ir::Ruleset& rs, const dsl::Type& type, ir::Value v, Lang lang = Lang::en);
// A rule id as English words: "sme_definition" → "SME definition".
std::string english_name(const std::string& id);

}  // namespace kijun::runtime
