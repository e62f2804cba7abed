// kijun generate RULESET --frame F [--n N] [--seed S]: N applicants for the frame as JSON
// Lines, from the seeded generator `kijun bench` uses (the ruleset's test applicants with
// inputs moved to the edges the rules mention). For benchmarks and behavioural diffs.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dsl/calendar.hpp"
#include "dsl/text.hpp"
#include "runtime/generator.hpp"
#include "runtime/output.hpp"
#include "runtime/test_runner.hpp"

namespace kijun::cli {

namespace {

// A rate as exact text: a decimal when it terminates, else "num/den".
std::string rate_json(ir::Value v) {
  std::int64_t den = v.den, twos = 0, fives = 0;
  while (den % 2 == 0) den /= 2, ++twos;
  while (den % 5 == 0) den /= 5, ++fives;
  if (den != 1 || std::max(twos, fives) > 18) return "\"" + runtime::rate_text(v) + "\"";
  std::int64_t digits = std::max(twos, fives), scale = 1;
  for (std::int64_t i = 0; i < digits; ++i) scale *= 10;
  __extension__ __int128 n = static_cast<__int128>(v.num) * (scale / v.den);
  bool negative = n < 0;
  if (negative) n = -n;
  std::string s;
  for (std::int64_t i = 0; i <= digits || n > 0; ++i) {
    if (i == digits && digits > 0) s.insert(s.begin(), '.');
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(n % 10)));
    n /= 10;
  }
  return "\"" + std::string(negative ? "-" : "") + s + "\"";
}

}  // namespace

int run_generate(const GenerateOptions& o, const LogFn& log) {
  auto engine = load_engine(o.ruleset, "", log);
  if (!engine) return exit_failure;
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
    char id[32];
    std::snprintf(id, sizeof id, "G%07zu", i + 1);
    line = "{\"id\":\"";
    line += id;
    line += '"';
    for (auto s : rs.frames[*frame].inputs) {
      const auto& in = rs.inputs[s];
      if (in.type.kind == dsl::Kind::text || !values[s].present()) continue;
      line += ",\"" + in.name + "\":";
      ir::Value v = values[s];
      switch (in.type.kind) {
        case dsl::Kind::bool_: line += v.num ? "true" : "false"; break;
        case dsl::Kind::date: line += "\"" + dsl::format_date(v.num) + "\""; break;
        case dsl::Kind::enumeration: dsl::append_json_string(line, rs.enums[in.type.enum_id].values[static_cast<std::size_t>(v.num)]); break;
        case dsl::Kind::rate: line += rate_json(v); break;
        default: line += std::to_string(v.num);
      }
    }
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return exit_ok;
}

}  // namespace kijun::cli
