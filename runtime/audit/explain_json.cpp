// The explanation as JSON, for programs: the same content as the text, with stable keys.
//   {"id","frame","ruleset","fiscal_year","version","as_of","lang","eligible","amount_yen",
//    "computed_amount_yen","rate","score","bonus_points","penalty_points",
//    "failed":[{"rule","kind","cite","label","reasons":[{"depth","text",<comparison>}]}],
//    "amount_steps":[{"depth","name","expr","value","note","cite","label",<comparison>,<element>}],
//    (<element>: "element":{"list","index","id"} on a line about one element of a list)
//    "points":[{"rule","kind","cite","label","points","reasons":[…]}],
//    "rules":[{"rule","kind","cite","label","outcome","reads":{"input":"value"}}]}
// <comparison>, only on a line that compares: "left":{"expr","value","cite"},"op",
// "right":{…},"holds" (README.md, "The explanation as JSON").
// A rule with an `as_of` clause adds "judged":{"on","by","value"} to its entries.
#include "dsl/support/calendar.hpp"
#include "dsl/support/text.hpp"
#include "runtime/audit/explain.hpp"
#include "runtime/output.hpp"

namespace kijun::runtime {

using dsl::append_json_string;

namespace {

const char* outcome_name(ir::RuleOutcome o) {
  switch (o) {
    case ir::RuleOutcome::not_in_force: return "not_in_force";
    case ir::RuleOutcome::not_applicable: return "not_applicable";
    case ir::RuleOutcome::exempted: return "exempted";
    case ir::RuleOutcome::holds: return "holds";
    case ir::RuleOutcome::fails: return "fails";
  }
  return "";
}

void field(std::string& out, const char* key, const std::string& value) {
  out += ",\"";
  out += key;
  out += "\":";
  append_json_string(out, value);
}

void rule_head(std::string& out, const ir::Rule& r) {
  out += "{\"rule\":";
  append_json_string(out, r.id);
  field(out, "kind", dsl::rule_kind_name(r.kind));
  field(out, "cite", r.cite);
  field(out, "label", r.label);
}

void operand(std::string& out, const char* key, const Operand& o) {
  out += ",\"";
  out += key;
  out += "\":{\"expr\":";
  append_json_string(out, o.expr);
  field(out, "value", o.value);
  field(out, "cite", o.cite);
  out += '}';
}

// A comparison's parts beside its line of text, so a program need not parse the text.
void comparison(std::string& out, const std::optional<Comparison>& c) {
  if (!c) return;
  operand(out, "left", c->left);
  field(out, "op", c->op);
  operand(out, "right", c->right);
  out += std::string(",\"holds\":") + (c->holds ? "true" : "false");
}

// The element of a list a line is about: {"list":"members","index":9,"id":"M05-10"}.
void element(std::string& out, const std::optional<ElementRef>& e) {
  if (!e) return;
  out += ",\"element\":{\"list\":";
  append_json_string(out, e->list);
  out += ",\"index\":" + std::to_string(e->index) + ",\"id\":";
  append_json_string(out, e->id);
  out += '}';
}

void reasons(std::string& out, const std::vector<Reason>& rs) {
  out += ",\"reasons\":[";
  for (std::size_t i = 0; i < rs.size(); ++i) {
    out += i ? ",{\"depth\":" : "{\"depth\":";
    out += std::to_string(rs[i].depth);
    field(out, "text", rs[i].text);
    comparison(out, rs[i].comparison);
    element(out, rs[i].element);
    out += '}';
  }
  out += ']';
}

void judged(std::string& out, const RuleNote* n) {
  if (!n || !n->judged_on) return;
  out += ",\"judged\":{";
  out += "\"on\":";
  append_json_string(out, dsl::format_date(*n->judged_on));
  field(out, "by", n->judged_by);
  field(out, "value", n->judged_value);
  out += '}';
}

const RuleNote* note_of(const Explanation& x, std::uint32_t rule) {
  for (auto& n : x.rules)
    if (n.rule == rule) return &n;
  return nullptr;
}

}  // namespace

std::string explain_json(const Engine& engine, const Explanation& x) {
  const auto& rs = engine.ruleset();
  const auto& e = x.evaluation;
  std::string out = "{\"id\":";
  append_json_string(out, x.id);
  field(out, "frame", rs.frames[x.frame].name);
  field(out, "ruleset", rs.programme);
  out += ",\"fiscal_year\":" + std::to_string(rs.fiscal_year);
  field(out, "version", dsl::format_date(x.version));
  field(out, "as_of", dsl::format_date(x.as_of));
  field(out, "lang", x.lang == Lang::ja ? "ja" : "en");
  out += std::string(",\"eligible\":") + (e.eligible ? "true" : "false");
  out += ",\"amount_yen\":" + std::to_string(e.amount_yen());
  out += ",\"computed_amount_yen\":" + std::to_string(e.amount);
  out += ",\"rate\":";
  out += e.has_rate ? "\"" + rate_text(e.rate) + "\"" : "null";
  out += ",\"score\":" + std::to_string(e.score());
  out += ",\"bonus_points\":" + std::to_string(e.bonus_points);
  out += ",\"penalty_points\":" + std::to_string(e.penalty_points);
  out += ",\"failed\":[";
  for (std::size_t i = 0; i < e.failed.size(); ++i) {
    if (i) out += ',';
    rule_head(out, rs.rules[e.failed[i]]);
    if (auto* n = note_of(x, e.failed[i])) reasons(out, n->reasons), judged(out, n);
    out += '}';
  }
  out += "],\"amount_steps\":[";
  for (std::size_t i = 0; i < x.amount.size(); ++i) {
    const auto& s = x.amount[i];
    out += i ? ",{\"depth\":" : "{\"depth\":";
    out += std::to_string(s.depth);
    field(out, "name", s.name);
    field(out, "expr", s.expr);
    field(out, "value", s.value);
    field(out, "note", s.note);
    field(out, "cite", s.cite);
    field(out, "label", s.label);
    comparison(out, s.comparison);
    element(out, s.element);
    out += '}';
  }
  out += "],\"points\":[";
  bool first = true;
  for (auto& n : x.rules) {
    const auto& r = rs.rules[n.rule];
    bool scored = (r.kind == dsl::RuleKind::bonus || r.kind == dsl::RuleKind::penalty) && n.outcome == ir::RuleOutcome::holds;
    if (!scored) continue;
    if (!first) out += ',';
    first = false;
    rule_head(out, r);
    out += ",\"points\":" + std::to_string(r.kind == dsl::RuleKind::penalty ? -r.points : r.points);
    reasons(out, n.reasons);
    judged(out, &n);
    out += '}';
  }
  out += "],\"rules\":[";
  for (std::size_t i = 0; i < x.rules.size(); ++i) {
    const auto& n = x.rules[i];
    if (i) out += ',';
    rule_head(out, rs.rules[n.rule]);
    field(out, "outcome", outcome_name(n.outcome));
    judged(out, &n);
    out += ",\"reads\":{";
    for (std::size_t k = 0; k < n.reads.size(); ++k) {
      if (k) out += ',';
      append_json_string(out, n.reads[k].first);
      out += ':';
      append_json_string(out, n.reads[k].second);
    }
    out += "}}";
  }
  out += "]}";
  return out;
}

}  // namespace kijun::runtime
