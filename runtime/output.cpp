#include "runtime/output.hpp"

#include "dsl/support/calendar.hpp"
#include "dsl/support/text.hpp"

namespace kijun::runtime {

using dsl::append_json_string;

std::string rate_text(ir::Value v) {
  if (v.den == 1) return std::to_string(v.num);
  return std::to_string(v.num) + "/" + std::to_string(v.den);
}

std::string yen_text(std::int64_t yen) {
  auto magnitude = yen < 0 ? 0ULL - static_cast<unsigned long long>(yen) : static_cast<unsigned long long>(yen);
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return yen < 0 ? "-" + out : out;
}

const char* failure_kind(dsl::RuleKind k) {
  switch (k) {
    case dsl::RuleKind::exclusion: return "exclusion";
    case dsl::RuleKind::limit: return "amount";
    default: return "requirement";
  }
}

namespace {

void scored(std::string& out, const ir::Ruleset& rs, const std::vector<std::uint32_t>& rules) {
  out += '[';
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rs.rules[rules[i]];
    if (i) out += ',';
    out += "{\"rule\":";
    append_json_string(out, r.id);
    out += ",\"cite\":";
    append_json_string(out, r.cite);
    out += ",\"points\":" + std::to_string(r.points) + "}";
  }
  out += ']';
}

}  // namespace

std::string result_json(const ResultContext& c, const ir::Evaluation& e) {
  std::string out = "{\"id\":";
  append_json_string(out, c.id);
  out += ",\"frame\":";
  append_json_string(out, c.rs.frames[c.frame].name);
  out += ",\"ruleset\":";
  append_json_string(out, c.rs.programme);
  out += ",\"fiscal_year\":" + std::to_string(c.rs.fiscal_year);
  out += ",\"version\":\"" + dsl::format_date(c.version) + "\"";
  out += ",\"ruleset_hash\":\"" + c.content_hash + "\"";
  out += ",\"as_of\":\"" + dsl::format_date(c.as_of) + "\"";
  out += std::string(",\"eligible\":") + (e.eligible ? "true" : "false");
  out += ",\"amount_yen\":" + std::to_string(e.amount_yen());
  out += ",\"rate\":";
  out += e.has_rate ? "\"" + rate_text(e.rate) + "\"" : "null";
  out += ",\"bonus_points\":" + std::to_string(e.bonus_points);
  out += ",\"penalty_points\":" + std::to_string(e.penalty_points);
  out += ",\"score\":" + std::to_string(e.score());
  out += ",\"failed\":[";
  for (std::size_t i = 0; i < e.failed.size(); ++i) {
    const auto& r = c.rs.rules[e.failed[i]];
    if (i) out += ',';
    out += "{\"rule\":";
    append_json_string(out, r.id);
    out += ",\"kind\":\"";
    out += failure_kind(r.kind);
    out += "\",\"cite\":";
    append_json_string(out, r.cite);
    out += ",\"label\":";
    append_json_string(out, r.label);
    out += '}';
  }
  out += "],\"bonus\":";
  scored(out, c.rs, e.bonus);
  out += ",\"penalty\":";
  scored(out, c.rs, e.penalty);
  out += '}';
  return out;
}

std::string error_json(const std::string& id, bool has_id, std::size_t line, const std::string& error) {
  std::string out = "{\"id\":";
  if (has_id) append_json_string(out, id);
  else out += "null";
  out += ",\"line\":" + std::to_string(line) + ",\"error\":";
  append_json_string(out, error);
  out += '}';
  return out;
}

}  // namespace kijun::runtime
