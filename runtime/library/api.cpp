// The C++ API of include/kijun/kijun.hpp over the runtime's Engine. Every entry point
// catches whatever escapes and turns it into a Status: nothing throws across the API.
#include "kijun/kijun.hpp"
#include "kijun/version.h"

#include <filesystem>
#include <sstream>

#include "dsl/support/calendar.hpp"
#include "runtime/audit/explain.hpp"
#include "runtime/engine.hpp"
#include "runtime/loader.hpp"
#include "runtime/output.hpp"
#include "runtime/toolchain.hpp"

namespace kijun {

namespace {

Status internal_error() { return Status::failure("internal error in kijun; please report it", ErrorKind::internal); }

ErrorKind kind_of(runtime::LoadFailure f) {
  switch (f) {
    case runtime::LoadFailure::none: return ErrorKind::none;
    case runtime::LoadFailure::usage: return ErrorKind::usage;
    case runtime::LoadFailure::ruleset: return ErrorKind::ruleset;
    case runtime::LoadFailure::plugin_refused: return ErrorKind::plugin_refused;
    case runtime::LoadFailure::not_found: return ErrorKind::not_found;
    case runtime::LoadFailure::extension: return ErrorKind::plugin_refused;
  }
  return ErrorKind::internal;
}

Result<std::string> render_explanation(const runtime::Engine& engine, std::uint32_t frame, const runtime::Record& r,
                                       const runtime::Decision& d, const ExplainStyle& style) {
  if (style.lang != "ja" && style.lang != "en") return Status::failure("explanation language `" + style.lang + "`: use ja or en");
  auto x = runtime::explain(engine, frame, r, d, style.lang == "en" ? runtime::Lang::en : runtime::Lang::ja);
  return style.json ? runtime::explain_json(engine, x) : runtime::explain_text(engine, x);
}

std::optional<std::int64_t> optional_day(const std::string& as_of, Status& status) {
  if (as_of.empty()) return std::nullopt;
  auto day = dsl::parse_date(as_of);
  if (!day) status = Status::failure("as_of: `" + as_of + "` is not a date YYYY-MM-DD");
  return day;
}

InputType input_type(dsl::Kind k) {
  switch (k) {
    case dsl::Kind::bool_: return InputType::boolean;
    case dsl::Kind::yen: return InputType::yen;
    case dsl::Kind::rate: return InputType::rate;
    case dsl::Kind::date: return InputType::date;
    case dsl::Kind::enumeration: return InputType::enumeration;
    case dsl::Kind::text: return InputType::text;
    default: return InputType::integer;
  }
}

}  // namespace

struct Ruleset::Impl {
  std::unique_ptr<runtime::Engine> engine;
  std::unique_ptr<runtime::KnownFields> fields;  // shared by every call: each name is warned of once

  Result<std::uint32_t> frame(const std::string& name) const {
    auto f = engine->frame(name);
    if (!f) return Status::failure("`" + name + "` is not a frame (frames: " + engine->frame_names() + ")");
    return *f;
  }

  // One JSON record through the reader, as a line of a JSON Lines file.
  runtime::Record read(std::uint32_t frame, std::string_view text) const {
    std::string line(text);
    for (auto& c : line)
      if (c == '\n' || c == '\r') c = ' ';  // a JSON string holds no raw newline: joining lines is safe
    std::istringstream in(line);
    auto reader = runtime::make_jsonl_reader(in, engine->ruleset(), engine->ruleset().frames[frame].inputs, *fields);
    runtime::Record r;
    if (!reader->next(r)) r.error = "record: empty";
    return r;
  }
};

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
    if (!impl->engine->compile({2, options.log, cache}, error))
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

Result<std::vector<InputInfo>> Ruleset::inputs(const std::string& frame) const try {
  auto f = impl_->frame(frame);
  if (!f.ok()) return f.status();
  const auto& rs = impl_->engine->ruleset();
  std::vector<InputInfo> out;
  for (auto slot : rs.frames[f.value()].inputs) {
    const auto& in = rs.inputs[slot];
    InputInfo info{in.name, input_type(in.type.kind), in.type.optional, {}, in.label, {}, in.min, in.max};
    if (in.type.kind == dsl::Kind::enumeration) {
      info.values = rs.enums[in.type.enum_id].values;
      info.value_labels = rs.enums[in.type.enum_id].labels;
    }
    out.push_back(std::move(info));
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

struct Batch::Impl {
  const runtime::Engine* engine;
  std::uint32_t frame;
  std::vector<const void*> values;
  std::vector<const std::int64_t*> denoms;
  std::vector<const std::uint8_t*> validity;
  std::vector<bool> bound;
  const std::int64_t* as_of_rows = nullptr;
  std::optional<std::int64_t> as_of_day;
  std::int64_t rows = 0;
  runtime::BatchResults results;
  std::vector<std::string> invalid;    // per row: why it could not be decided
  std::vector<std::int64_t> as_of;     // per row, as used
  std::vector<std::int64_t> unbound_values;   // zeros for the optional inputs left unbound
  std::vector<std::int64_t> unbound_denoms;
  std::vector<std::uint8_t> unbound_validity; // all absent
  std::vector<std::int64_t> paid;             // per row: the amount when eligible and decided, else 0

  // Fills `paid` from the results of a run of `n` rows.
  void pay(std::size_t n) {
    paid.assign(std::max<std::size_t>(n, 1), 0);
    for (std::size_t r = 0; r < n; ++r)
      if (results.error()[r] == 0 && results.eligible()[r]) paid[r] = results.amount()[r];
  }
  Impl(const runtime::Engine* e, std::uint32_t f)
      : engine(e), frame(f), values(e->ruleset().inputs.size(), nullptr), denoms(e->ruleset().inputs.size(), nullptr),
        validity(e->ruleset().inputs.size(), nullptr), bound(e->ruleset().inputs.size(), false), results(e->ruleset(), f) {}

  Result<std::uint32_t> slot(const std::string& name, dsl::Kind want) const {
    const auto& rs = engine->ruleset();
    auto s = rs.input_index(name);
    const auto& inputs = rs.frames[frame].inputs;
    if (s < 0 || std::find(inputs.begin(), inputs.end(), static_cast<std::uint32_t>(s)) == inputs.end())
      return Status::failure("`" + name + "` is not an input of frame " + rs.frames[frame].name);
    auto kind = rs.inputs[s].type.kind;
    bool fits = kind == want || (want == dsl::Kind::int_ && (kind == dsl::Kind::yen || kind == dsl::Kind::date ||
                                                            kind == dsl::Kind::enumeration));
    if (!fits) return Status::failure("`" + name + "` is not bound that way: see kijun::InputType of the input");
    return static_cast<std::uint32_t>(s);
  }

  bool present(std::uint32_t s, std::int64_t row) const {
    return !validity[s] || ((validity[s][row >> 3] >> (row & 7)) & 1);
  }

  ir::Value value(std::uint32_t s, std::int64_t row) const {
    const auto& type = engine->ruleset().inputs[s].type;
    if (!present(s, row)) return ir::Value::absent();
    if (type.kind == dsl::Kind::bool_) return ir::Value::of(static_cast<const std::uint8_t*>(values[s])[row]);
    if (type.kind == dsl::Kind::rate) return {static_cast<const std::int64_t*>(values[s])[row], denoms[s][row]};
    return ir::Value::of(static_cast<const std::int64_t*>(values[s])[row]);
  }

  // Why this row cannot be given to compiled code, or empty. Generated code trusts what it
  // reads: a zero denominator or an enum code out of range must never reach it.
  std::string check(std::int64_t row) const {
    const auto& rs = engine->ruleset();
    for (auto s : rs.frames[frame].inputs) {
      const auto& in = rs.inputs[s];
      if (in.type.kind == dsl::Kind::text) continue;
      if (!present(s, row)) {
        if (!in.type.optional) return in.name + ": required value missing";
        continue;
      }
      ir::Value v = value(s, row);
      switch (in.type.kind) {
        case dsl::Kind::bool_:
          if (v.num != 0 && v.num != 1) return in.name + ": a bool must be 0 or 1";
          break;
        case dsl::Kind::rate:
          if (v.den <= 0) return in.name + ": a rate's denominator must be positive";
          break;
        case dsl::Kind::enumeration:
          if (v.num < 0 || static_cast<std::size_t>(v.num) >= rs.enums[in.type.enum_id].values.size())
            return in.name + ": " + std::to_string(v.num) + " is not a value of " + rs.enums[in.type.enum_id].name;
          break;
        case dsl::Kind::date:
          if (v.num < dsl::min_day || v.num > dsl::max_day) return in.name + ": not a date within years 1 to 9999";
          break;
        default:
          if ((in.min && v.num < *in.min) || (in.max && v.num > *in.max))
            return in.name + ": " + std::to_string(v.num) + " is outside the input's range";
      }
    }
    return "";
  }
};

Batch::Batch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Batch::Batch(Batch&&) noexcept = default;
Batch& Batch::operator=(Batch&&) noexcept = default;
Batch::~Batch() = default;

Result<Batch> Ruleset::batch(const std::string& frame) const try {
  auto f = impl_->frame(frame);
  if (!f.ok()) return f.status();
  return Batch(std::make_unique<Batch::Impl>(impl_->engine.get(), f.value()));
} catch (...) {
  return internal_error();
}

Status Batch::bind_bool(const std::string& input, const std::uint8_t* values, const std::uint8_t* validity) {
  auto s = impl_->slot(input, dsl::Kind::bool_);
  if (!s.ok()) return s.status();
  impl_->values[s.value()] = values, impl_->validity[s.value()] = validity, impl_->bound[s.value()] = true;
  return {};
}

Status Batch::bind_int64(const std::string& input, const std::int64_t* values, const std::uint8_t* validity) {
  auto s = impl_->slot(input, dsl::Kind::int_);
  if (!s.ok()) return s.status();
  impl_->values[s.value()] = values, impl_->validity[s.value()] = validity, impl_->bound[s.value()] = true;
  return {};
}

Status Batch::bind_rate(const std::string& input, const std::int64_t* num, const std::int64_t* den, const std::uint8_t* validity) {
  auto s = impl_->slot(input, dsl::Kind::rate);
  if (!s.ok()) return s.status();
  impl_->values[s.value()] = num, impl_->denoms[s.value()] = den, impl_->validity[s.value()] = validity;
  impl_->bound[s.value()] = true;
  return {};
}

void Batch::set_as_of(const std::int64_t* per_row) { impl_->as_of_rows = per_row, impl_->as_of_day.reset(); }
void Batch::set_as_of(std::int64_t day) { impl_->as_of_day = day, impl_->as_of_rows = nullptr; }

Status Batch::run(std::int64_t rows) try {
  auto& b = *impl_;
  const auto& rs = b.engine->ruleset();
  if (rows < 0) return Status::failure("rows must not be negative");
  if (rows > max_batch_rows)
    return Status::failure("rows: " + std::to_string(rows) + " is more than one run decides (at most " +
                           std::to_string(max_batch_rows) + "); run the batch in parts");
  for (auto s : rs.frames[b.frame].inputs)
    if (!b.bound[s] && rs.inputs[s].type.kind != dsl::Kind::text && !rs.inputs[s].type.optional)
      return Status::failure("input `" + rs.inputs[s].name + "` is not bound");
  // An optional input the caller does not bind is absent in every row, as a field left out
  // of a record is: a ruleset can add optional inputs without breaking its callers.
  auto n = static_cast<std::size_t>(rows);
  b.unbound_values.assign(std::max<std::size_t>(n, 1), 0);
  b.unbound_denoms.assign(std::max<std::size_t>(n, 1), 0);
  b.unbound_validity.assign(std::max<std::size_t>((n + 7) / 8, 1), 0);
  for (auto s : rs.frames[b.frame].inputs)
    if (!b.bound[s] && rs.inputs[s].type.optional) {
      b.values[s] = b.unbound_values.data();
      b.denoms[s] = b.unbound_denoms.data();
      b.validity[s] = b.unbound_validity.data();
    }
  b.rows = rows;
  b.invalid.assign(static_cast<std::size_t>(rows), std::string());
  b.as_of.assign(static_cast<std::size_t>(rows), 0);
  auto out = b.results.view(static_cast<std::size_t>(rows));
  std::int64_t bad = 0;
  for (std::int64_t r = 0; r < rows; ++r) {
    std::int64_t day = b.as_of_day ? *b.as_of_day
                     : b.as_of_rows ? b.as_of_rows[r]
                     : rs.as_of_input < rs.inputs.size() && b.present(rs.as_of_input, r) ? b.value(rs.as_of_input, r).num
                                                                                         : INT64_MIN;
    b.as_of[r] = day;
    auto why = b.check(r);
    if (why.empty() && day == INT64_MIN) why = "as_of: no as-of date";
    if (why.empty() && (day < dsl::min_day || day > dsl::max_day))
      why = "as_of: day " + std::to_string(day) + " is outside the calendar (0001-01-01 to 9999-12-31)";
    if (why.empty() && !rs.version_on(day)) why = "as_of: " + dsl::format_date(day) + " is before the ruleset's first version";
    if (!why.empty()) b.invalid[r] = std::move(why), ++bad;
  }
  auto native = b.engine->native_frame(b.frame);
  if (bad == 0 && native) {
    // Every row is valid: the caller's columns go to native code as they are.
    kijun_batch_in in{rows, b.values.data(), b.denoms.data(), b.validity.data(), b.as_of.data(), 0, nullptr};
    native(&in, &out, 0, rows);
    b.pay(n);
    return {};
  }
  // Some rows are invalid (or no native code): decide the valid ones one by one.
  auto interp = b.engine->interpreter();
  std::vector<ir::Value> row(rs.inputs.size());
  runtime::ColumnBatch one(rs, b.frame);
  runtime::BatchResults one_out(rs, b.frame);
  ir::Evaluation e;
  for (std::int64_t r = 0; r < rows; ++r) {
    if (!b.invalid[r].empty()) {
      e = ir::Evaluation{};
      e.error = ir::EvalError::missing_value;
      b.results.store(static_cast<std::size_t>(r), e);
      continue;
    }
    for (auto s : rs.frames[b.frame].inputs) row[s] = rs.inputs[s].type.kind == dsl::Kind::text ? ir::Value::of(0) : b.value(s, r);
    if (native) {
      one.clear();
      one.push(row.data(), b.as_of[r]);
      auto& o = one_out.view(1);
      native(&one.view(), &o, 0, 1);
      one_out.evaluation(0, e);
    } else {
      e = interp.evaluate(b.frame, row.data(), b.as_of[r]);
    }
    b.results.store(static_cast<std::size_t>(r), e);
  }
  b.pay(n);
  return {};
} catch (...) {
  return internal_error();
}

std::int64_t Batch::rows() const { return impl_->rows; }
const std::uint8_t* Batch::eligible() const { return impl_->results.eligible(); }
const std::int64_t* Batch::amount() const { return impl_->results.amount(); }
const std::int64_t* Batch::paid_amount() const { return impl_->paid.data(); }
const std::int64_t* Batch::rate_num() const { return impl_->results.rate_num(); }
const std::int64_t* Batch::rate_den() const { return impl_->results.rate_den(); }
const std::int64_t* Batch::bonus_points() const { return impl_->results.bonus_points(); }
const std::int64_t* Batch::penalty_points() const { return impl_->results.penalty_points(); }
const std::uint8_t* Batch::error() const { return impl_->results.error(); }

Decision Batch::decision(std::int64_t row) const {
  const auto& b = *impl_;
  Decision d;
  if (row < 0 || row >= b.rows) {
    d.error = "no row " + std::to_string(row);
    return d;
  }
  if (!b.invalid[row].empty()) {
    d.error = b.invalid[row];
    return d;
  }
  ir::Evaluation e;
  b.results.evaluation(static_cast<std::size_t>(row), e);
  if (e.error != ir::EvalError::none) {
    d.error = b.engine->describe_error(e);
    return d;
  }
  const auto& rs = b.engine->ruleset();
  d.eligible = e.eligible;
  d.amount_yen = e.amount_yen();
  d.computed_amount_yen = e.amount;
  d.rate_num = e.rate.num, d.rate_den = e.rate.den;
  d.bonus_points = e.bonus_points, d.penalty_points = e.penalty_points;
  for (auto r : e.failed) d.failed.push_back({rs.rules[r].id, rs.rules[r].cite});
  for (auto r : e.bonus) d.bonus.push_back({rs.rules[r].id, rs.rules[r].cite});
  for (auto r : e.penalty) d.penalty.push_back({rs.rules[r].id, rs.rules[r].cite});
  return d;
}

std::string Batch::json(std::int64_t row, const std::string& id) const {
  const auto& b = *impl_;
  auto line = static_cast<std::size_t>(row + 1);
  if (row < 0 || row >= b.rows) return runtime::error_json(id, true, line, "no such row");
  if (!b.invalid[row].empty()) return runtime::error_json(id, true, line, b.invalid[row]);
  ir::Evaluation e;
  b.results.evaluation(static_cast<std::size_t>(row), e);
  if (e.error != ir::EvalError::none) return runtime::error_json(id, true, line, b.engine->describe_error(e));
  auto day = b.as_of[row];
  return runtime::result_json({b.engine->ruleset(), b.frame, b.engine->content_hash(), id, day, *b.engine->ruleset().version_on(day)}, e);
}

Result<std::string> Batch::explain(std::int64_t row, const std::string& id, const ExplainStyle& style) const try {
  const auto& b = *impl_;
  if (row < 0 || row >= b.rows) return Status::failure("no row " + std::to_string(row));
  if (!b.invalid[row].empty()) return Status::failure(b.invalid[row]);
  const auto& rs = b.engine->ruleset();
  runtime::Record r;
  r.id = id;
  r.has_id = true;
  r.line = static_cast<std::size_t>(row + 1);
  r.values.assign(rs.inputs.size(), ir::Value::absent());
  for (auto s : rs.frames[b.frame].inputs)
    if (rs.inputs[s].type.kind != dsl::Kind::text) r.values[s] = b.value(s, row);
  auto interp = b.engine->interpreter();
  auto d = b.engine->decide(interp, b.frame, r.values, b.as_of[row], true);
  if (!d.ok) return Status::failure(d.error);
  return render_explanation(*b.engine, b.frame, r, d, style);
} catch (...) {
  return internal_error();
}

std::optional<std::int64_t> parse_day(std::string_view date) { return dsl::parse_date(date); }

const char* version() { return KIJUN_VERSION_STRING; }

bool can_compile() { return runtime::toolchain().compile != nullptr; }

}  // namespace kijun
