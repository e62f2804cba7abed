#include "runtime/engine.hpp"

#include "dsl/calendar.hpp"
#include "runtime/output.hpp"

namespace kijun::runtime {

std::optional<std::uint32_t> Engine::frame(const std::string& name) const {
  auto i = ruleset().frame_index(name);
  if (i < 0) return std::nullopt;
  return static_cast<std::uint32_t>(i);
}

std::string Engine::frame_names() const {
  std::string out;
  for (auto& f : ruleset().frames) out += (out.empty() ? "" : ", ") + f.name;
  return out;
}

std::string Engine::describe_error(const ir::Evaluation& e) const {
  std::string out = std::string("evaluation: ") + ir::error_name(e.error);
  if (e.error_span.file < c_->sources.size()) out += " at " + c_->sources.location(e.error_span);
  if (e.error_rule >= 0) {
    const auto& r = ruleset().rules[static_cast<std::size_t>(e.error_rule)];
    out += " in " + std::string(dsl::rule_kind_name(r.kind)) + " `" + r.id + "`";
    if (!r.cite.empty()) out += " (" + r.cite + ")";
  }
  return out;
}

Decision Engine::decide(ir::Interpreter& interp, std::uint32_t frame, const Record& record, std::optional<std::int64_t> as_of,
                        bool trace) const {
  Decision d;
  const auto& rs = ruleset();
  if (as_of) {
    d.as_of = *as_of;
  } else if (rs.as_of_input < rs.inputs.size() && record.values[rs.as_of_input].present()) {
    d.as_of = record.values[rs.as_of_input].num;
  } else {
    d.error = "as_of: no as-of date (the ruleset names no as-of input; pass --as-of)";
    return d;
  }
  auto version = rs.version_on(d.as_of);
  if (!version) {
    d.error = "as_of: " + dsl::format_date(d.as_of) + " is before the ruleset's first version " +
              (rs.versions.empty() ? std::string("(none)") : dsl::format_date(rs.versions.front().date));
    return d;
  }
  d.version = *version;
  d.evaluation = interp.evaluate(frame, record.values.data(), d.as_of, trace);
  if (d.evaluation.error != ir::EvalError::none) {
    d.error = describe_error(d.evaluation);
    return d;
  }
  d.ok = true;
  return d;
}

std::string Engine::line(ir::Interpreter& interp, std::uint32_t frame, const Record& record, std::optional<std::int64_t> as_of,
                         bool& is_error) const {
  is_error = true;
  if (!record.error.empty()) return error_json(record.id, record.has_id, record.line, record.error);
  Decision d = decide(interp, frame, record, as_of);
  if (!d.ok) return error_json(record.id, record.has_id, record.line, d.error);
  is_error = false;
  return result_json({ruleset(), frame, content_hash(), record.id, d.as_of, d.version}, d.evaluation);
}

}  // namespace kijun::runtime
