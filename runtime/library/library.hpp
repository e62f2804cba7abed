// The library's private parts, shared by its files (api.cpp: Ruleset; batch.cpp: Batch;
// batch_lists.cpp: list columns): the Ruleset's state, and helpers every call uses.
#pragma once

#include <optional>
#include <sstream>
#include <string>

#include "dsl/support/calendar.hpp"
#include "kijun/kijun.hpp"
#include "runtime/audit/explain.hpp"
#include "runtime/engine.hpp"
#include "runtime/loader.hpp"
#include "runtime/output.hpp"

namespace kijun {

inline Status internal_error() { return Status::failure("internal error in kijun; please report it", ErrorKind::internal); }

inline ErrorKind kind_of(runtime::LoadFailure f) {
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

inline Result<std::string> render_explanation(const runtime::Engine& engine, std::uint32_t frame, const runtime::Record& r,
                                       const runtime::Decision& d, const ExplainStyle& style) {
  if (style.lang != "ja" && style.lang != "en") return Status::failure("explanation language `" + style.lang + "`: use ja or en");
  auto x = runtime::explain(engine, frame, r, d, style.lang == "en" ? runtime::Lang::en : runtime::Lang::ja);
  return style.json ? runtime::explain_json(engine, x) : runtime::explain_text(engine, x);
}

inline std::optional<std::int64_t> optional_day(const std::string& as_of, Status& status) {
  if (as_of.empty()) return std::nullopt;
  auto day = dsl::parse_date(as_of);
  if (!day) status = Status::failure("as_of: `" + as_of + "` is not a date YYYY-MM-DD");
  return day;
}

inline InputType input_type(dsl::Kind k) {
  switch (k) {
    case dsl::Kind::bool_: return InputType::boolean;
    case dsl::Kind::yen: return InputType::yen;
    case dsl::Kind::rate: return InputType::rate;
    case dsl::Kind::date: return InputType::date;
    case dsl::Kind::enumeration: return InputType::enumeration;
    case dsl::Kind::text: return InputType::text;
    case dsl::Kind::list: return InputType::list;
    default: return InputType::integer;
  }
}


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


}  // namespace kijun
