// The C ABI of include/kijun/kijun.h over the C++ API. Every entry catches everything: no
// C++ exception ever reaches a C caller.
#include "kijun/kijun.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string_view>
#include <vector>

#include "kijun/kijun.hpp"
#include "runtime/library/c_api_impl.hpp"

namespace kijun_c {

kijun_error out_of_memory{"out of memory", KIJUN_ERROR_INTERNAL};  // when even an error cannot be allocated

kijun_error* fail(std::string message, int kind) {
  try {
    return new kijun_error{std::move(message), kind};
  } catch (...) {
    return &out_of_memory;
  }
}

kijun_error* internal(const char* function) { return fail(std::string("internal error in ") + function, KIJUN_ERROR_INTERNAL); }

namespace {

int c_kind(kijun::ErrorKind k) {
  switch (k) {
    case kijun::ErrorKind::none:
    case kijun::ErrorKind::usage: return KIJUN_ERROR_USAGE;
    case kijun::ErrorKind::data: return KIJUN_ERROR_DATA;
    case kijun::ErrorKind::ruleset: return KIJUN_ERROR_RULESET;
    case kijun::ErrorKind::plugin_refused: return KIJUN_ERROR_PLUGIN_REFUSED;
    case kijun::ErrorKind::not_found: return KIJUN_ERROR_NOT_FOUND;
    case kijun::ErrorKind::internal: return KIJUN_ERROR_INTERNAL;
  }
  return KIJUN_ERROR_INTERNAL;
}

}  // namespace

kijun_error* from(const kijun::Status& s) { return s.ok() ? nullptr : fail(s.message(), c_kind(s.kind())); }

char* copy(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

kijun_error* string_result(const kijun::Result<std::string>& r, char** out) {
  if (!out) return fail("output pointer is NULL");
  if (!r.ok()) return from(r.status());
  *out = copy(r.value());
  return *out ? nullptr : fail("out of memory");
}

}  // namespace kijun_c

using namespace kijun_c;

namespace {

int32_t c_type(kijun::InputType t) {
  switch (t) {
    case kijun::InputType::boolean: return KIJUN_INPUT_BOOL;
    case kijun::InputType::integer: return KIJUN_INPUT_INT;
    case kijun::InputType::yen: return KIJUN_INPUT_YEN;
    case kijun::InputType::rate: return KIJUN_INPUT_RATE;
    case kijun::InputType::date: return KIJUN_INPUT_DATE;
    case kijun::InputType::enumeration: return KIJUN_INPUT_ENUM;
    case kijun::InputType::text: return KIJUN_INPUT_TEXT;
    case kijun::InputType::list: return KIJUN_INPUT_LIST;
  }
  return KIJUN_INPUT_TEXT;
}

CInputs c_inputs(std::vector<kijun::InputInfo> info) {
  CInputs out;
  out.info = std::move(info);
  out.values.resize(out.info.size());
  out.labels.resize(out.info.size());
  out.fields.reserve(out.info.size());
  for (std::size_t i = 0; i < out.info.size(); ++i) {
    const auto& in = out.info[i];
    out.fields.push_back(c_inputs(in.fields));
    for (auto& v : in.values) out.values[i].push_back(v.c_str());
    for (auto& l : in.value_labels) out.labels[i].push_back(l.c_str());
    out.c.push_back({in.name.c_str(), in.label.c_str(), c_type(in.type), in.optional, in.min.has_value(), in.max.has_value(),
                     in.min.value_or(0), in.max.value_or(0), in.values.size(), out.values[i].data(), out.labels[i].data()});
  }
  return out;
}

CRules c_rules(std::vector<kijun::RuleInfo> info) {
  CRules out;
  out.info = std::move(info);
  for (const auto& r : out.info)
    out.c.push_back({r.id.c_str(), r.cite.c_str(), r.label.c_str(), static_cast<int32_t>(r.kind), r.from.has_value(),
                     r.until.has_value(), r.points, r.from.value_or(0), r.until.value_or(0)});
  return out;
}

kijun_error* load(const char* path, const kijun::LoadOptions& options, kijun_ruleset** out) {
  auto r = kijun::Ruleset::load(path, options);
  if (!r.ok()) return from(r.status());
  auto handle = std::make_unique<kijun_ruleset>(kijun_ruleset{std::move(r.value()), {}, {}, {}, {}, {}});
  handle->programme = handle->ruleset.programme();
  handle->hash = handle->ruleset.content_hash();
  handle->frames = handle->ruleset.frame_infos();
  for (auto& f : handle->frames) {
    auto inputs = handle->ruleset.inputs(f.name);
    if (!inputs.ok()) return from(inputs.status());
    handle->inputs.emplace(f.name, c_inputs(std::move(inputs.value())));
    auto rules = handle->ruleset.rules(f.name);
    if (!rules.ok()) return from(rules.status());
    handle->rules.emplace(f.name, c_rules(std::move(rules.value())));
  }
  *out = handle.release();
  return nullptr;
}

kijun::LogFn c_log(kijun_log_fn log, void* user) {
  if (!log) return {};
  return [log, user](kijun::LogLevel level, std::string_view message) {
    std::string text(message);
    log(static_cast<int>(level), text.c_str(), user);
  };
}

}  // namespace

extern "C" {

uint32_t kijun_abi_version(void) { return KIJUN_ABI_VERSION; }
const char* kijun_version(void) { return kijun::version(); }
int kijun_can_compile(void) { return kijun::can_compile(); }

const char* kijun_error_message(const kijun_error* error) { return error ? error->message.c_str() : ""; }
int kijun_error_kind(const kijun_error* error) { return error ? error->kind : 0; }

void kijun_error_destroy(kijun_error* error) {
  if (error != &out_of_memory) delete error;
}

void kijun_string_free(char* s) { std::free(s); }

kijun_error* kijun_ruleset_load(const char* path, kijun_log_fn log, void* log_user, kijun_ruleset** out) {
  return kijun_ruleset_load_with_flags(path, 0, log, log_user, out);
}

kijun_error* kijun_ruleset_load_with_flags(const char* path, uint32_t flags, kijun_log_fn log, void* log_user,
                                           kijun_ruleset** out) {
  return kijun_ruleset_load_trusted(path, flags, nullptr, log, log_user, out);
}

kijun_error* kijun_ruleset_load_trusted(const char* path, uint32_t flags, const char* const* trusted_keys, kijun_log_fn log,
                                        void* log_user, kijun_ruleset** out) try {
  if (!path || !out) return fail("path and out must not be NULL");
  kijun_load_options o{};
  o.size = sizeof o;
  o.flags = flags;
  o.trusted_keys = trusted_keys;
  o.log = log;
  o.log_user = log_user;
  return kijun_ruleset_open(path, &o, out);
} catch (...) {
  return internal("kijun_ruleset_load_trusted");
}

kijun_error* kijun_ruleset_open(const char* path, const kijun_load_options* given, kijun_ruleset** out) try {
  if (!path || !out) return fail("path and out must not be NULL");
  kijun_load_options o{};
  if (given) {
    if (given->size < offsetof(kijun_load_options, flags) + sizeof o.flags)
      return fail("options: set `size` to sizeof(kijun_load_options)");
    // Only the fields the caller's struct has; a newer caller's extra fields are not read.
    std::memcpy(&o, given, std::min<std::size_t>(given->size, sizeof o));
  }
  // A flag this library does not know asks for something it would not do: refuse it.
  constexpr uint32_t known = KIJUN_LOAD_STRICT_FIELDS | KIJUN_LOAD_REQUIRE_SIGNATURE | KIJUN_LOAD_NO_CACHE;
  if (o.flags & ~known) return fail("unknown flags " + std::to_string(o.flags & ~known));
  if (o.engine != KIJUN_ENGINE_NATIVE && o.engine != KIJUN_ENGINE_INTERPRETER)
    return fail("options: engine " + std::to_string(o.engine) + " is neither KIJUN_ENGINE_NATIVE nor KIJUN_ENGINE_INTERPRETER");
  kijun::LoadOptions options;
  options.strict_fields = (o.flags & KIJUN_LOAD_STRICT_FIELDS) != 0;
  options.require_signature = (o.flags & KIJUN_LOAD_REQUIRE_SIGNATURE) != 0;
  options.cache = (o.flags & KIJUN_LOAD_NO_CACHE) == 0;
  options.native = o.engine == KIJUN_ENGINE_NATIVE;
  if (o.cache_dir) options.cache_dir = o.cache_dir;
  if (o.plugin_path) options.plugin_path = o.plugin_path;
  for (auto key = o.trusted_keys; key && *key; ++key) options.trusted_keys.emplace_back(*key);
  options.log = c_log(o.log, o.log_user);
  return load(path, options, out);
} catch (...) {
  return internal("kijun_ruleset_open");
}

void kijun_ruleset_destroy(kijun_ruleset* ruleset) { delete ruleset; }
const char* kijun_ruleset_programme(const kijun_ruleset* r) { return r ? r->programme.c_str() : ""; }
int64_t kijun_ruleset_fiscal_year(const kijun_ruleset* r) { return r ? r->ruleset.fiscal_year() : 0; }
const char* kijun_ruleset_content_hash(const kijun_ruleset* r) { return r ? r->hash.c_str() : ""; }

size_t kijun_ruleset_frame_count(const kijun_ruleset* r) { return r ? r->frames.size() : 0; }
const char* kijun_ruleset_frame_name(const kijun_ruleset* r, size_t i) {
  return r && i < r->frames.size() ? r->frames[i].name.c_str() : "";
}
const char* kijun_ruleset_frame_label(const kijun_ruleset* r, size_t i) {
  return r && i < r->frames.size() ? r->frames[i].label.c_str() : "";
}
const char* kijun_ruleset_frame_cite(const kijun_ruleset* r, size_t i) {
  return r && i < r->frames.size() ? r->frames[i].cite.c_str() : "";
}

kijun_error* kijun_frame_inputs(const kijun_ruleset* r, const char* frame, const kijun_input** inputs, size_t* count) try {
  if (!r || !frame || !inputs || !count) return fail("ruleset, frame, inputs and count must not be NULL");
  auto found = r->inputs.find(std::string_view(frame));
  if (found == r->inputs.end()) return from(r->ruleset.inputs(frame).status());  // the API's message naming the frames
  *inputs = found->second.c.data();
  *count = found->second.c.size();
  return nullptr;
} catch (...) {
  return internal("kijun_frame_inputs");
}

kijun_error* kijun_frame_rules(const kijun_ruleset* r, const char* frame, const kijun_rule_info** rules, size_t* count) try {
  if (!r || !frame || !rules || !count) return fail("ruleset, frame, rules and count must not be NULL");
  auto found = r->rules.find(std::string_view(frame));
  if (found == r->rules.end()) return from(r->ruleset.rules(frame).status());
  *rules = found->second.c.data();
  *count = found->second.c.size();
  return nullptr;
} catch (...) {
  return internal("kijun_frame_rules");
}

kijun_error* kijun_input_fields(const kijun_ruleset* r, const char* frame, const char* list, const kijun_input** fields,
                                size_t* count) try {
  if (!r || !frame || !list || !fields || !count) return fail("ruleset, frame, list, fields and count must not be NULL");
  auto found = r->inputs.find(std::string_view(frame));
  if (found == r->inputs.end()) return from(r->ruleset.inputs(frame).status());
  const auto& in = found->second;
  for (std::size_t i = 0; i < in.info.size(); ++i)
    if (in.info[i].name == list && in.info[i].type == kijun::InputType::list) {
      *fields = in.fields[i].c.data();
      *count = in.fields[i].c.size();
      return nullptr;
    }
  return fail(std::string("`") + list + "` is not a list input of frame " + frame, KIJUN_ERROR_USAGE);
} catch (...) {
  return internal("kijun_input_fields");
}

int64_t kijun_input_enum_code(const kijun_input* input, const char* value) {
  if (!input || !value) return -1;
  for (size_t i = 0; i < input->value_count; ++i)
    if (std::strcmp(input->values[i], value) == 0) return static_cast<int64_t>(i);
  return -1;
}

kijun_error* kijun_evaluate_json(const kijun_ruleset* ruleset, const char* frame, const char* record_json, const char* as_of,
                                 char** out_json) try {
  if (!ruleset || !frame || !record_json) return fail("ruleset, frame and record must not be NULL");
  return string_result(ruleset->ruleset.evaluate_json(frame, record_json, as_of ? as_of : ""), out_json);
} catch (...) {
  return internal("kijun_evaluate_json");
}

kijun_error* kijun_evaluate_records(const kijun_ruleset* ruleset, const char* frame, const char* text, const char* format,
                                    const char* as_of, char** out_lines) try {
  if (!ruleset || !frame || !text) return fail("ruleset, frame and text must not be NULL");
  std::string f = format ? format : "jsonl";
  if (f != "jsonl" && f != "csv") return fail("format `" + f + "`: use jsonl or csv");
  auto kind = f == "csv" ? kijun::RecordFormat::csv : kijun::RecordFormat::jsonl;
  return string_result(ruleset->ruleset.evaluate_records(frame, text, kind, as_of ? as_of : ""), out_lines);
} catch (...) {
  return internal("kijun_evaluate_records");
}

kijun_error* kijun_explain_json(const kijun_ruleset* ruleset, const char* frame, const char* record_json, const char* as_of,
                                char** out_text) {
  return kijun_explain_styled(ruleset, frame, record_json, as_of, nullptr, 0, out_text);
}

kijun_error* kijun_explain_styled(const kijun_ruleset* ruleset, const char* frame, const char* record_json, const char* as_of,
                                  const char* lang, int as_json, char** out) try {
  if (!ruleset || !frame || !record_json) return fail("ruleset, frame and record must not be NULL");
  kijun::ExplainStyle style{lang ? lang : "ja", as_json != 0};
  return string_result(ruleset->ruleset.explain(frame, record_json, as_of ? as_of : "", style), out);
} catch (...) {
  return internal("kijun_explain_styled");
}

int64_t kijun_parse_day(const char* date, int* ok) {
  auto day = date ? kijun::parse_day(date) : std::nullopt;
  if (ok) *ok = day.has_value();
  return day.value_or(0);
}

}  // extern "C"
