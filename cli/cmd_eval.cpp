// kijun eval RULESET --frame F [--input FILE|-] [--format jsonl|csv] [--as-of DATE]
//                   [--engine jit|interp] [--threads N] [--strict-fields]:
// one output line per input record, results and error lines alike, in input order.
// Records are read in chunks; up to N chunks are evaluated at once and written in order.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <deque>
#include <future>

#include <fstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/eval_setup.hpp"
#include "runtime/audit/decision_record.hpp"
#include "runtime/audit/explain.hpp"
#include "runtime/output.hpp"

namespace kijun::cli {

namespace {

constexpr std::size_t chunk_records = 4096;

// "kijun: 1,250,000 records, 38%" on stderr, for a person watching a terminal.
class Progress {
public:
  Progress(std::istream* in, bool enabled) : in_(in), enabled_(enabled && isatty(STDERR_FILENO)) {
    if (!enabled_) return;
    auto here = in_->tellg();
    in_->seekg(0, std::ios::end);
    total_ = in_->tellg();
    in_->seekg(here);
  }
  void update(std::size_t records) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    auto at = in_->tellg();
    int pct = total_ > 0 && at >= 0 ? static_cast<int>(100.0 * static_cast<double>(at) / static_cast<double>(total_)) : 0;
    std::fprintf(stderr, "\rkijun: %s records, %d%%", runtime::yen_text(static_cast<std::int64_t>(records)).c_str(), pct);
    shown_ = true;
  }
  ~Progress() {
    if (shown_) std::fputs("\r\033[K", stderr);
  }

private:
  std::istream* in_;
  bool enabled_;
  std::streamoff total_ = 0;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

struct Chunk {
  std::vector<runtime::Record> records;
  std::string out;
  std::string decisions;  // decision record lines, with --record
  std::size_t errors = 0;
};

struct Extras {
  bool explain = false;
  runtime::Lang lang = runtime::Lang::ja;
  bool record = false;
  runtime::RecordMeta meta;
};

// --explain and --record: each output line of a read record gains its explanation (from
// the interpreter, which the JIT agrees with) and its decision record.
void add_extras(const runtime::Engine& engine, std::uint32_t frame, std::optional<std::int64_t> as_of, const Extras& x,
                ir::Interpreter& interp, Chunk& c) {
  std::string out;
  std::size_t at = 0;
  for (auto& record : c.records) {
    auto end = c.out.find('\n', at);
    std::string line = c.out.substr(at, end - at);
    at = end + 1;
    if (record.error.empty()) {
      if (x.record) c.decisions += runtime::decision_record(engine, frame, record, line, x.meta) + "\n";
      if (x.explain) {
        auto d = engine.decide(interp, frame, record.values, as_of, true);
        if (d.ok && !line.empty() && line.back() == '}') {
          line.pop_back();
          line += ",\"explanation\":" + runtime::explain_json(engine, runtime::explain(engine, frame, record, d, x.lang)) + "}";
        }
      }
    }
    out += line + "\n";
  }
  c.out = std::move(out);
}

}  // namespace

int run_eval(const EvalOptions& o, const LogFn& log) {
  EvalSetup setup;
  if (int status = prepare_eval(o, log, setup); status != exit_ok) return status;
  auto& engine = *setup.engine;
  auto kind = o.engine == "interp" ? runtime::EngineKind::interp : runtime::EngineKind::jit;
  if (kind == runtime::EngineKind::jit) {
    std::string error;
    if (!engine.compile({2, log, runtime::default_cache_dir(), nullptr, std::vector<std::uint32_t>{setup.frame}}, error)) {
      std::fprintf(stderr, "error: cannot compile %s to native code: %s\n", o.ruleset.c_str(), error.c_str());
      return exit_failure;
    }
  }
  std::size_t threads = o.threads > 0 ? o.threads : 1;
  std::vector<std::unique_ptr<runtime::ChunkScratch>> scratch;
  for (std::size_t t = 0; t < threads; ++t) scratch.push_back(std::make_unique<runtime::ChunkScratch>(engine, setup.frame));

  Extras extras{o.explain, o.lang == "en" ? runtime::Lang::en : runtime::Lang::ja, !o.record.empty(),
                {o.ruleset, o.engine, setup.as_of}};
  std::ofstream decisions;
  if (extras.record) {
    errno = 0;
    decisions.open(o.record, std::ios::binary | std::ios::app);
    if (!decisions) {
      report_write_error("`" + o.record + "` (--record)", errno);
      return exit_usage;
    }
  }
  std::deque<std::pair<std::unique_ptr<Chunk>, std::future<void>>> in_flight;
  std::size_t records = 0, errors = 0, launched = 0;
  Progress progress(setup.input, o.input != "-");
  // A failed write ends the run: the lines it would go on to compute could not be seen.
  bool written = true;
  int record_errno = 0;
  auto drain_one = [&] {
    auto& [chunk, done] = in_flight.front();
    done.get();
    written = write_out(chunk->out) && written;
    if (extras.record && decisions && !(decisions << chunk->decisions)) record_errno = errno;
    errors += chunk->errors;
    in_flight.pop_front();
  };
  for (bool more = true; more && written && (!extras.record || decisions);) {
    auto chunk = std::make_unique<Chunk>();
    chunk->records.resize(chunk_records);
    std::size_t n = 0;
    while (n < chunk_records && setup.reader->next(chunk->records[n])) ++n;
    chunk->records.resize(n);
    more = n == chunk_records;
    if (n == 0) break;
    records += n;
    if (in_flight.size() == threads) drain_one();
    auto* c = chunk.get();
    auto* s = scratch[launched++ % threads].get();
    auto work = [&engine, &setup, kind, c, s, &extras] {
      c->errors = engine.evaluate(kind, setup.frame, c->records, setup.as_of, *s, c->out);
      if (extras.explain || extras.record) add_extras(engine, setup.frame, setup.as_of, extras, s->interp, *c);
    };
    in_flight.emplace_back(std::move(chunk), threads == 1 ? std::async(std::launch::deferred, work) : std::async(std::launch::async, work));
    progress.update(records);
  }
  while (!in_flight.empty()) drain_one();
  if (input_refused(o, setup)) return exit_failure;
  if (extras.record && decisions && !decisions.flush()) record_errno = errno;
  if (extras.record) decisions.close();
  if (extras.record && !decisions) {
    report_write_error("`" + o.record + "` (--record)", record_errno ? record_errno : errno);
    return exit_failure;
  }
  if (!written) return exit_failure;
  if (log)
    log(LogLevel::info, std::to_string(records) + " records, " + std::to_string(errors) + " errors, " +
                            std::to_string(setup.reader->blank_lines()) + " blank lines skipped");
  return errors ? exit_failure : exit_ok;
}

}  // namespace kijun::cli
