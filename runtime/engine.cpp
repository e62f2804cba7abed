#include "runtime/engine.hpp"

#include "dsl/support/calendar.hpp"
#include "runtime/output.hpp"

namespace kijun::runtime {

Engine::Engine(std::unique_ptr<Plugin> p)
    : plugin_(std::move(p)), rs_(&plugin_->ruleset()), sources_(&plugin_->sources()), hash_(&plugin_->content_hash()) {}

kijun_frame_fn Engine::native_frame(std::uint32_t frame) const {
  if (plugin_) return plugin_->frame(frame);
  return compiled_ ? compiled_->frame(frame) : nullptr;
}

bool Engine::read_tests_and_description(std::string& error) const {
  error.clear();
  return !plugin_ || plugin_->read_deferred(error);
}

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
  if (e.error_span.file < sources().size()) out += " at " + sources().location(e.error_span);
  if (e.error_rule >= 0) {
    const auto& r = ruleset().rules[static_cast<std::size_t>(e.error_rule)];
    out += " in " + std::string(dsl::rule_kind_name(r.kind)) + " `" + r.id + "`";
    if (!r.cite.empty()) out += " (" + r.cite + ")";
  }
  return out;
}

bool Engine::resolve_as_of(const std::vector<ir::Value>& values, std::optional<std::int64_t> as_of, std::int64_t& day,
                           std::int64_t& version, std::string& error) const {
  const auto& rs = ruleset();
  if (as_of) {
    day = *as_of;
  } else if (rs.as_of_input < rs.inputs.size() && values[rs.as_of_input].present()) {
    day = values[rs.as_of_input].num;
  } else {
    error = "as_of: no as-of date (the ruleset names no as-of input; pass --as-of)";
    return false;
  }
  auto v = rs.version_on(day);
  if (!v) {
    error = "as_of: " + dsl::format_date(day) + " is before the ruleset's first version " +
            (rs.versions.empty() ? std::string("(none)") : dsl::format_date(rs.versions.front().date));
    return false;
  }
  version = *v;
  return true;
}

bool Engine::load_extensions(const std::vector<std::string>& directories, std::string& error) {
  if (ruleset().functions.empty()) return true;
  if (!extensions_.load(ruleset(), directories, error)) return false;
  if (plugin_)
    for (std::size_t i = 0; i < ruleset().functions.size(); ++i) plugin_->extension_table()[i] = extensions_.table()[i];
  return true;
}

bool Engine::compile(const NativeOptions& options, std::string& error) {
  if (plugin_) return true;
  if (!toolchain().jit) {
    error = "this library has no JIT (the runtime library runs plugins; link libkijun to compile)";
    return false;
  }
  NativeOptions with_table = options;
  with_table.extension_table = extension_table();
  compiled_ = toolchain().jit(ruleset(), with_table, error);
  return compiled_ != nullptr;
}

std::size_t Engine::evaluate(EngineKind kind, std::uint32_t frame, const std::vector<Record>& records,
                             std::optional<std::int64_t> as_of, ChunkScratch& s, std::string& out) const {
  std::size_t errors = 0;
  kijun_frame_fn native = native_frame(frame);
  if (kind == EngineKind::interp || !native) {
    for (const auto& r : records) {
      bool is_error = false;
      out += line(s.interp, frame, r, as_of, is_error);
      out += '\n';
      errors += is_error;
    }
    return errors;
  }
  // Unreadable records and bad as-of dates become error lines; the rest go to the batch.
  s.batch.clear();
  s.pending.assign(records.size(), std::string());
  s.versions.clear();
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    std::int64_t day = 0, version = 0;
    std::string why = r.error;
    if (why.empty() && resolve_as_of(r.values, as_of, day, version, why)) {
      s.batch.push(r.values.data(), day);
      s.versions.push_back(version);
    } else {
      s.pending[i] = error_json(r.id, r.has_id, r.line, why);
    }
  }
  auto& results = s.results.view(s.batch.rows());
  native(&s.batch.view(), &results, 0, static_cast<std::int64_t>(s.batch.rows()));
  ir::Evaluation e;
  std::size_t row = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    if (!s.pending[i].empty()) {
      out += s.pending[i];
      ++errors;
    } else {
      s.results.evaluation(row, e);
      if (e.error != ir::EvalError::none) {
        out += error_json(r.id, r.has_id, r.line, describe_error(e));
        ++errors;
      } else {
        out += result_json({ruleset(), frame, content_hash(), r.id, s.batch.as_of(row), s.versions[row]}, e);
      }
      ++row;
    }
    out += '\n';
  }
  return errors;
}

Decision Engine::decide(ir::Interpreter& interp, std::uint32_t frame, const std::vector<ir::Value>& values,
                        std::optional<std::int64_t> as_of, bool trace) const {
  Decision d;
  if (!resolve_as_of(values, as_of, d.as_of, d.version, d.error)) return d;
  d.evaluation = interp.evaluate(frame, values.data(), d.as_of, trace);
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
  Decision d = decide(interp, frame, record.values, as_of);
  if (!d.ok) return error_json(record.id, record.has_id, record.line, d.error);
  is_error = false;
  return result_json({ruleset(), frame, content_hash(), record.id, d.as_of, d.version}, d.evaluation);
}

}  // namespace kijun::runtime
