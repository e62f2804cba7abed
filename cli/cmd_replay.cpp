// kijun replay FILE [--ruleset R] [--plugin-path DIR] [--trusted-key PUB…]: makes every recorded decision again
// and checks that the output is the same. A record names the ruleset it was made with and
// that ruleset's content hash; a ruleset whose sources changed since is reported, not used.
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "runtime/audit/decision_record.hpp"

namespace kijun::cli {

namespace {

struct Loaded {
  std::unique_ptr<runtime::Engine> engine;
  // A recorded input may hold a field the ruleset has no input for: warned once, as eval did.
  std::unique_ptr<runtime::KnownFields> fields;
  bool compiled = false;
  std::map<std::uint32_t, std::unique_ptr<runtime::ChunkScratch>> scratch;  // by frame, reused across records
};

// Replays one decision; returns an empty string when it reproduces, else why not.
std::string replay_one(const runtime::RecordedDecision& d, Loaded& loaded) {
  auto& engine = *loaded.engine;
  if (engine.content_hash() != d.hash)
    return "the ruleset now hashes to " + engine.content_hash() + "; the decision was made with " + d.hash;
  auto frame = engine.frame(d.frame);
  if (!frame) return "the ruleset has no frame `" + d.frame + "`";
  auto kind = d.engine == "interp" ? runtime::EngineKind::interp : runtime::EngineKind::jit;
  if (kind == runtime::EngineKind::jit && !loaded.compiled) {
    std::string error;
    if (!engine.compile({2, {}, runtime::default_cache_dir(), nullptr, std::vector<std::uint32_t>{}}, error)) return "cannot compile the ruleset: " + error;
    loaded.compiled = true;
  }
  const auto& rs = engine.ruleset();
  std::istringstream in(d.input);
  auto reader = runtime::make_jsonl_reader(in, rs, rs.frames[*frame].inputs, *loaded.fields);
  std::vector<runtime::Record> records(1);
  if (!reader->next(records[0])) return "the recorded input cannot be read";
  if (!records[0].error.empty()) return "the recorded input cannot be read: " + records[0].error;
  records[0].line = d.input_line;
  auto& scratch = loaded.scratch[*frame];
  if (!scratch) scratch = std::make_unique<runtime::ChunkScratch>(engine, *frame);
  std::string out;
  engine.evaluate(kind, *frame, records, d.as_of, *scratch, out);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  auto replayed = runtime::minified_json(out);
  if (replayed == d.output) return "";
  return "the output differs\n    recorded: " + d.output + "\n    replayed: " + replayed;
}

}  // namespace

int run_replay(const ReplayOptions& o, const LogFn& log) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: cannot open `%s`\n", o.file.c_str());
    return exit_usage;
  }
  runtime::TrustPolicy trust;
  if (!plugin_trust(o.trusted_keys, trust)) return exit_usage;
  std::map<std::string, Loaded> engines;  // by ruleset source
  std::size_t replayed = 0, same = 0, line_no = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++replayed;
    runtime::RecordedDecision d;
    std::string error;
    if (!runtime::parse_decision_record(line, d, error)) {
      write_out(o.file + ":" + std::to_string(line_no) + ": " + error + "\n");
      continue;
    }
    std::string source = o.ruleset.empty() ? d.source : o.ruleset;
    auto& loaded = engines[source];
    if (!loaded.engine) loaded.engine = load_engine(source, o.plugin_path, trust, log);
    if (!loaded.engine) {
      write_out(o.file + ":" + std::to_string(line_no) + ": cannot load the ruleset `" + source + "`\n");
      continue;
    }
    if (!loaded.fields)
      loaded.fields = std::make_unique<runtime::KnownFields>(std::vector{&loaded.engine->ruleset()}, field_policy(false));
    auto why = replay_one(d, loaded);
    if (why.empty()) {
      ++same;
      continue;
    }
    write_out(o.file + ":" + std::to_string(line_no) + ": decision not reproduced: " + why + "\n");
  }
  std::printf("%zu decision%s replayed: %zu identical, %zu not\n", replayed, replayed == 1 ? "" : "s", same, replayed - same);
  return same == replayed ? exit_ok : exit_failure;
}

}  // namespace kijun::cli
