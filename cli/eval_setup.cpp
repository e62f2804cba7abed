#include "cli/eval_setup.hpp"

#include <cstdio>
#include <iostream>

#include "cli/common.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::cli {

int prepare_eval(const EvalOptions& o, const LogFn& log, EvalSetup& s) {
  if (!o.as_of.empty()) {
    s.as_of = dsl::parse_date(o.as_of);
    if (!s.as_of) {
      std::fprintf(stderr, "error: --as-of: `%s` is not a date YYYY-MM-DD\n", o.as_of.c_str());
      return exit_usage;
    }
  }
  std::string format = applicant_format(o.format, o.input);
  if (format != "jsonl" && format != "csv") {
    std::fprintf(stderr, "error: --format must be jsonl or csv, not `%s`\n", format.c_str());
    return exit_usage;
  }
  runtime::TrustPolicy trust;
  if (!plugin_trust(o.trusted_keys, trust)) return exit_usage;
  s.engine = load_engine(o.ruleset, o.plugin_path, trust, log);
  if (!s.engine) return exit_failure;
  auto frame = s.engine->frame(o.frame);
  if (!frame) {
    std::fprintf(stderr, "error: --frame: `%s` is not a frame of %s (frames: %s)\n", o.frame.c_str(), o.ruleset.c_str(),
                 s.engine->frame_names().c_str());
    return exit_usage;
  }
  s.frame = *frame;
  std::istream* in = &std::cin;
  if (o.input != "-") {
    s.file.open(o.input, std::ios::binary);
    if (!s.file) {
      std::fprintf(stderr, "error: --input: cannot open `%s`\n", o.input.c_str());
      return exit_usage;
    }
    in = &s.file;
  }
  s.input = in;
  const auto& rs = s.engine->ruleset();
  auto slots = rs.frames[s.frame].inputs;
  s.fields = std::make_unique<runtime::KnownFields>(std::vector{&rs}, field_policy(o.strict_fields));
  s.reader = format == "csv" ? runtime::make_csv_reader(*in, rs, slots, *s.fields)
                             : runtime::make_jsonl_reader(*in, rs, slots, *s.fields);
  return exit_ok;
}

bool input_refused(const EvalOptions& o, const EvalSetup& setup) {
  return report_refused_input("--input", o.input, *setup.reader);
}

}  // namespace kijun::cli
