#include "runtime/explain.hpp"

#include "dsl/calendar.hpp"
#include "dsl/source.hpp"
#include "runtime/output.hpp"

namespace kijun::runtime {

using ir::RuleOutcome;

std::string value_text(const ir::Ruleset& rs, const dsl::Type& type, ir::Value v) {
  if (!v.present()) return "absent";
  switch (type.kind) {
    case dsl::Kind::bool_: return v.num ? "true" : "false";
    case dsl::Kind::yen: return yen_text(v.num) + " yen";
    case dsl::Kind::date: return dsl::format_date(v.num);
    case dsl::Kind::enumeration: {
      const auto& en = rs.enums[type.enum_id];
      return v.num >= 0 && static_cast<std::size_t>(v.num) < en.values.size() ? en.values[v.num] : "?";
    }
    case dsl::Kind::rate: case dsl::Kind::yen_exact: return rate_text(v);
    default: return std::to_string(v.num);
  }
}

namespace {

std::string verdict(const ir::Rule& r, const ir::RuleTrace& t, std::int64_t as_of) {
  switch (t.outcome) {
    case RuleOutcome::not_in_force: return "not in force on " + dsl::format_date(as_of);
    case RuleOutcome::not_applicable: return "does not apply";
    case RuleOutcome::exempted: {
      const auto& ex = r.exceptions[static_cast<std::size_t>(t.exception)];
      return "exempt (unless #" + std::to_string(t.exception + 1) + (ex.cite.empty() ? "" : ", " + ex.cite) + ")";
    }
    default: break;
  }
  bool held = t.outcome == RuleOutcome::holds;
  switch (r.kind) {
    case dsl::RuleKind::requirement: return held ? "met" : "NOT MET";
    case dsl::RuleKind::exclusion: return held ? "HIT: excluded" : "not hit";
    case dsl::RuleKind::limit: return held ? "within limit" : "NOT FUNDABLE";
    case dsl::RuleKind::bonus: return held ? "+" + std::to_string(r.points) + " point(s)" : "not awarded";
    case dsl::RuleKind::penalty: return held ? "-" + std::to_string(r.points) + " point(s)" : "not applied";
  }
  return "";
}

std::string reads(const ir::Ruleset& rs, const Record& record, const std::vector<std::uint32_t>& slots) {
  std::string out;
  for (auto s : slots) {
    if (!out.empty()) out += ", ";
    out += rs.inputs[s].name + " = " + value_text(rs, rs.inputs[s].type, record.values[s]);
  }
  return out;
}

std::string pad(std::string s, std::size_t width) {
  auto w = dsl::display_width(s);
  if (w < width) s += std::string(width - w, ' ');
  return s;
}

}  // namespace

std::string explain_text(const Engine& engine, std::uint32_t frame, const Record& record, const Decision& d) {
  const auto& rs = engine.ruleset();
  const auto& f = rs.frames[frame];
  const auto& e = d.evaluation;
  std::string out = "Applicant " + record.id + " — frame " + f.name + (f.label.empty() ? "" : " (" + f.label + ")") + "\n";
  out += "Ruleset " + rs.programme + " " + std::to_string(rs.fiscal_year) + ", version " + dsl::format_date(d.version) +
         ", as of " + dsl::format_date(d.as_of) + "\n\n";
  if (e.eligible) {
    out += "Outcome: ELIGIBLE, " + yen_text(e.amount) + " yen";
    if (e.has_rate) out += " at rate " + rate_text(e.rate);
  } else {
    out += "Outcome: NOT ELIGIBLE (" + std::to_string(e.failed.size()) + (e.failed.size() == 1 ? " reason" : " reasons") +
           "); the computed amount " + yen_text(e.amount) + " yen is not paid";
  }
  out += "\nScore: " + std::to_string(e.score()) + " (bonus " + std::to_string(e.bonus_points) + ", penalty " +
         std::to_string(e.penalty_points) + ")\n";
  if (!e.failed.empty()) {
    out += "\nWhy not eligible:\n";
    for (auto r : e.failed) {
      const auto& rule = rs.rules[r];
      out += "  " + rule.cite + "  " + rule.id + (rule.label.empty() ? "" : ": " + rule.label) + "\n";
    }
  }
  out += "\nRules:\n";
  std::string not_in_force;
  for (const auto& t : e.trace) {
    const auto& r = rs.rules[t.rule];
    if (t.outcome == RuleOutcome::not_in_force) {
      not_in_force += (not_in_force.empty() ? "" : ", ") + r.id;
      continue;
    }
    out += "  " + pad(std::string(dsl::rule_kind_name(r.kind)), 12) + pad(r.id, 34) + pad(r.cite, 16) + verdict(r, t, d.as_of) + "\n";
    if (!r.label.empty()) out += "      " + r.label + "\n";
    if (!t.inputs.empty()) out += "      read: " + reads(rs, record, t.inputs) + "\n";
  }
  if (!not_in_force.empty()) out += "  not in force on " + dsl::format_date(d.as_of) + ": " + not_in_force + "\n";
  out += "\nAmount";
  if (f.amount != UINT32_MAX && !rs.defs[f.amount].cite.empty()) out += " (" + rs.defs[f.amount].cite + ")";
  out += ":\n";
  if (e.has_rate) out += "  rate   = " + rate_text(e.rate) + "\n";
  out += "  amount = " + yen_text(e.amount) + " yen" + (e.eligible ? "" : " (not paid)") + "\n";
  if (!e.amount_inputs.empty()) out += "  read: " + reads(rs, record, e.amount_inputs) + "\n";
  return out;
}

}  // namespace kijun::runtime
