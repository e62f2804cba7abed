// kijun generate RULESET --frame F [--n N] [--seed S]: N applicants for the frame as JSON
// Lines, from the seeded generator `kijun bench` uses (the ruleset's test applicants with
// inputs moved to the edges the rules mention). For benchmarks and behavioural diffs.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "runtime/audit/applicant_json.hpp"
#include "runtime/audit/generator.hpp"
#include "runtime/audit/test_runner.hpp"

namespace kijun::cli {

int run_generate(const GenerateOptions& o, const LogFn& log) {
  runtime::TrustPolicy trust;
  if (!plugin_trust(o.trusted_keys, trust)) return exit_usage;
  auto engine = load_engine(o.ruleset, "", trust, log);
  if (!engine || !read_tests_and_description(*engine)) return exit_failure;
  auto frame = engine->frame(o.frame);
  if (!frame) {
    std::fprintf(stderr, "error: --frame: `%s` is not a frame (frames: %s)\n", o.frame.c_str(), engine->frame_names().c_str());
    return exit_usage;
  }
  const auto& rs = engine->ruleset();
  runtime::ApplicantGenerator gen(rs, *frame, o.seed, runtime::test_applicants(*engine, *frame));
  std::vector<ir::Value> values;
  std::int64_t as_of;
  std::string line;
  for (std::size_t i = 0; i < o.n; ++i) {
    gen.next(values, as_of);
    line = "{\"id\":\"" + runtime::generated_id(i) + "\"";
    for (auto s : rs.frames[*frame].inputs) {
      const auto& in = rs.inputs[s];
      if (in.type.kind == dsl::Kind::text || !values[s].present()) continue;
      line += ",\"" + in.name + "\":";
      line += runtime::input_value_json(rs, in, values[s]);
    }
    line += "}\n";
    if (!write_out(line)) return exit_failure;  // the reason is said once, at the end
  }
  return exit_ok;
}

}  // namespace kijun::cli
