// The C++ API of include/kijun/kijun.hpp over the runtime's Engine. Every entry point
// catches whatever escapes and turns it into a Status: nothing throws across the API.
#include "kijun/kijun.hpp"
#include "kijun/version.h"

#include <filesystem>
#include <sstream>

#include "runtime/library/library.hpp"
#include "runtime/toolchain.hpp"

namespace kijun {

Ruleset::Ruleset(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ruleset::Ruleset(Ruleset&&) noexcept = default;
Ruleset& Ruleset::operator=(Ruleset&&) noexcept = default;
Ruleset::~Ruleset() = default;

Result<Ruleset> Ruleset::load(const std::string& path, const LoadOptions& options) try {
  std::string error;
  auto impl = std::make_unique<Impl>();
  // Keys are read whatever `path` is: a key file that cannot be read is a mistake to hear of
  // now, not when a plugin is first loaded.
  runtime::TrustPolicy trust;
  if (!runtime::read_trust_policy(options.trusted_keys, options.require_signature, trust, error))
    return Status::failure("trusted_keys: " + error, ErrorKind::not_found);
  auto loaded = runtime::load({path, options.plugin_path, trust, options.log});
  if (!loaded.engine) return Status::failure(loaded.error, kind_of(loaded.failure));
  if (!loaded.diagnostics.empty() && options.log) options.log(LogLevel::warn, loaded.diagnostics);
  impl->engine = std::move(loaded.engine);
  if (options.native && !impl->engine->is_plugin()) {
    std::string cache = !options.cache ? "" : options.cache_dir.empty() ? runtime::default_cache_dir() : options.cache_dir;
    if (!impl->engine->compile({2, options.log, cache, nullptr, std::vector<std::uint32_t>{}}, error))
      return Status::failure("native compilation failed: " + error, ErrorKind::internal);
  }
  runtime::UnknownFieldPolicy policy{options.strict_fields, {}};
  if (options.log) policy.warn = [log = options.log](const std::string& warning) { log(LogLevel::warn, warning); };
  impl->fields = std::make_unique<runtime::KnownFields>(std::vector{&impl->engine->ruleset()}, std::move(policy));
  return Ruleset(std::move(impl));
} catch (...) {
  return internal_error();
}

std::string Ruleset::programme() const { return impl_->engine->ruleset().programme; }
std::int64_t Ruleset::fiscal_year() const { return impl_->engine->ruleset().fiscal_year; }
std::string Ruleset::content_hash() const { return impl_->engine->content_hash(); }

std::vector<FrameInfo> Ruleset::frame_infos() const {
  std::vector<FrameInfo> out;
  for (auto& f : impl_->engine->ruleset().frames) out.push_back({f.name, f.label, f.cite});
  return out;
}

std::vector<std::string> Ruleset::frames() const {
  std::vector<std::string> out;
  for (auto& f : impl_->engine->ruleset().frames) out.push_back(f.name);
  return out;
}

namespace {

InputInfo input_info(const ir::Ruleset& rs, const ir::Input& in) {
  InputInfo info{in.name, input_type(in.type.kind), in.type.optional, {}, in.label, {}, in.min, in.max, {}};
  if (in.type.kind == dsl::Kind::enumeration) {
    info.values = rs.enums[in.type.enum_id].values;
    info.value_labels = rs.enums[in.type.enum_id].labels;
  }
  if (in.type.kind == dsl::Kind::list) {
    info.min = in.min_length, info.max = in.max_length;
    for (const auto& f : rs.records[in.type.enum_id].fields) info.fields.push_back(input_info(rs, f));
  }
  return info;
}

}  // namespace

static_assert(static_cast<int>(RuleKind::requirement) == static_cast<int>(dsl::RuleKind::requirement) &&
              static_cast<int>(RuleKind::exclusion) == static_cast<int>(dsl::RuleKind::exclusion) &&
              static_cast<int>(RuleKind::bonus) == static_cast<int>(dsl::RuleKind::bonus) &&
              static_cast<int>(RuleKind::penalty) == static_cast<int>(dsl::RuleKind::penalty) &&
              static_cast<int>(RuleKind::limit) == static_cast<int>(dsl::RuleKind::limit));

Result<std::vector<RuleInfo>> Ruleset::rules(const std::string& frame) const try {
  auto f = impl_->frame(frame);
  if (!f.ok()) return f.status();
  const auto& rs = impl_->engine->ruleset();
  std::vector<RuleInfo> out;
  for (auto r : rs.frames[f.value()].rules) {
    const auto& rule = rs.rules[r];
    out.push_back({rule.id, rule.cite, rule.label, static_cast<RuleKind>(rule.kind), rule.points, rule.period.from, rule.period.until});
  }
  return out;
} catch (...) {
  return internal_error();
}

Result<std::vector<InputInfo>> Ruleset::inputs(const std::string& frame) const try {
  auto f = impl_->frame(frame);
  if (!f.ok()) return f.status();
  const auto& rs = impl_->engine->ruleset();
  std::vector<InputInfo> out;
  for (auto slot : rs.frames[f.value()].inputs) {
    const auto& in = rs.inputs[slot];
    out.push_back(input_info(rs, in));
  }
  return out;
} catch (...) {
  return internal_error();
}

Result<std::string> Ruleset::evaluate_json(const std::string& frame, std::string_view record, const std::string& as_of) const try {
  auto f = impl_->frame(frame);
  if (!f.ok()) return f.status();
  Status status;
  auto day = optional_day(as_of, status);
  if (!status.ok()) return status;
  std::vector<runtime::Record> records{impl_->read(f.value(), record)};
  records[0].line = 1;
  runtime::ChunkScratch scratch(*impl_->engine, f.value());
  std::string out;
  impl_->engine->evaluate(runtime::EngineKind::jit, f.value(), records, day, scratch, out);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
} catch (...) {
  return internal_error();
}

Result<std::string> Ruleset::evaluate_records(const std::string& frame, std::string_view text, RecordFormat format,
                                              const std::string& as_of) const try {
  auto f = impl_->frame(frame);
  if (!f.ok()) return f.status();
  Status status;
  auto day = optional_day(as_of, status);
  if (!status.ok()) return status;
  const auto& rs = impl_->engine->ruleset();
  std::istringstream in{std::string(text)};
  const auto& slots = rs.frames[f.value()].inputs;
  auto reader = format == RecordFormat::csv ? runtime::make_csv_reader(in, rs, slots, *impl_->fields)
                                            : runtime::make_jsonl_reader(in, rs, slots, *impl_->fields);
  runtime::ChunkScratch scratch(*impl_->engine, f.value());
  std::vector<runtime::Record> records;
  runtime::Record record;
  std::string out;
  for (bool more = true; more;) {
    records.clear();
    while (records.size() < 4096 && (more = reader->next(record))) records.push_back(std::move(record));
    if (!records.empty()) impl_->engine->evaluate(runtime::EngineKind::jit, f.value(), records, day, scratch, out);
  }
  if (!reader->input_error().empty()) return Status::failure(reader->input_error(), ErrorKind::data);
  return out;
} catch (...) {
  return internal_error();
}

Result<std::string> Ruleset::explain(const std::string& frame, std::string_view record, const std::string& as_of,
                                     const ExplainStyle& style) const try {
  auto f = impl_->frame(frame);
  if (!f.ok()) return f.status();
  Status status;
  auto day = optional_day(as_of, status);
  if (!status.ok()) return status;
  auto r = impl_->read(f.value(), record);
  if (!r.error.empty()) return Status::failure(r.error, ErrorKind::data);
  auto interp = impl_->engine->interpreter();
  auto d = impl_->engine->decide(interp, f.value(), r.values, day, true);
  if (!d.ok) return Status::failure(d.error, ErrorKind::data);
  return render_explanation(*impl_->engine, f.value(), r, d, style);
} catch (...) {
  return internal_error();
}

// ---- Batch -----------------------------------------------------------------------------

std::optional<std::int64_t> parse_day(std::string_view date) { return dsl::parse_date(date); }

const char* version() { return KIJUN_VERSION_STRING; }

bool can_compile() { return runtime::toolchain().compile != nullptr; }

}  // namespace kijun
