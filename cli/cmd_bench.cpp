// kijun bench RULESET --frame F [--n N] [--seed S]: throughput of the hand-written C++
// loop (bench/), the JIT and the interpreter over the same generated columns, measured in
// one run on one core, as ratios; plus the JIT's compile time and memory use.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <thread>

#include "bench/security_baseline.hpp"
#include "cli/bench_library.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "compiler/backend/aot.hpp"
#include "compiler/backend/jit.hpp"
#include "runtime/audit/generator.hpp"
#include "runtime/audit/test_runner.hpp"
#include "runtime/columns.hpp"
#include "runtime/driver/driver.hpp"
#include "runtime/output.hpp"

namespace kijun::cli {

namespace {

using clock_type = std::chrono::steady_clock;
constexpr std::size_t chunk_rows = 65536;

double seconds_since(clock_type::time_point t) { return std::chrono::duration<double>(clock_type::now() - t).count(); }

// Resident memory now, in bytes (/proc/self/statm counts pages).
long resident_bytes() {
  long pages = 0, resident = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * sysconf(_SC_PAGESIZE);
}

std::string count(std::size_t n) { return runtime::yen_text(static_cast<std::int64_t>(n)); }

// What the native code (`j`: the JIT's or a plugin's) and the hand-written code (`h`) decided differently for row `r` of a
// chunk (applicant `applicant`): the outputs, then the rules failed or scored by one only.
std::string disagreement(const char* native, const ir::Ruleset& rs, std::uint32_t frame, const kijun_batch_out& j, const kijun_batch_out& h,
                         std::size_t r, std::uint32_t words, std::int64_t applicant) {
  std::string out = "applicant " + std::to_string(applicant) + ":";
  auto field = [&](const char* name, std::int64_t a, std::int64_t b) {
    if (a != b) out += std::string(" ") + name + " " + std::to_string(a) + " (" + native + ") / " + std::to_string(b) + " (hand-written);";
  };
  field("fault", j.error[r], h.error[r]);
  field("eligible", j.eligible[r], h.eligible[r]);
  field("amount", j.amount[r], h.amount[r]);
  field("rate numerator", j.rate_num[r], h.rate_num[r]);
  field("rate denominator", j.rate_den[r], h.rate_den[r]);
  field("bonus points", j.bonus_points[r], h.bonus_points[r]);
  field("penalty points", j.penalty_points[r], h.penalty_points[r]);
  const auto& rules = rs.frames[frame].rules;
  for (std::size_t k = 0; k < rules.size(); ++k) {
    std::size_t w = r * words + k / 64;
    std::uint64_t bit = 1ULL << (k % 64);
    const std::string& id = rs.rules[rules[k]].id;
    if ((j.failed[w] & bit) != (h.failed[w] & bit)) out += " `" + id + "` failed by " + ((j.failed[w] & bit) ? native : "hand-written") + " only;";
    if ((j.scored[w] & bit) != (h.scored[w] & bit)) out += " `" + id + "` scored by " + ((j.scored[w] & bit) ? native : "hand-written") + " only;";
  }
  if (out.back() == ';') out.pop_back();
  return out;
}

// Runs `fn(in, out, begin, end)` over all rows, chunk by chunk into reused outputs; the
// best of `repeats` runs, in seconds.
template <typename Fn>
double timed_run(runtime::ColumnBatch& batch, runtime::BatchResults& results, std::uint32_t words, Fn fn, int repeats) {
  double best = 1e300;
  auto& in = batch.view();
  for (int r = 0; r < repeats; ++r) {
    auto start = clock_type::now();
    for (std::int64_t begin = 0; begin < in.rows; begin += chunk_rows) {
      std::int64_t end = std::min<std::int64_t>(in.rows, begin + chunk_rows);
      auto out = runtime::addressed_by_row(results.view(static_cast<std::size_t>(end - begin)), begin, words);
      fn(in, out, begin, end);
    }
    best = std::min(best, seconds_since(start));
  }
  return best;
}

}  // namespace

int run_bench(const BenchOptions& o, const LogFn& log) {
  auto loaded = load_engine(o.ruleset, "", {}, log);
  if (!loaded) return exit_failure;
  runtime::Engine& engine = *loaded;
  // A plugin's code is measured as built; sources are compiled by the JIT here.
  const char* native = engine.is_plugin() ? "plugin" : "jit";
  auto frame_index = engine.frame(o.frame);
  if (!frame_index) {
    std::fprintf(stderr, "error: --frame: `%s` is not a frame (frames: %s)\n", o.frame.c_str(), engine.frame_names().c_str());
    return exit_usage;
  }
  std::uint32_t frame = *frame_index;
  const auto& rs = engine.ruleset();
  bench::SecurityBaseline baseline;
  std::string why;
  bool has_baseline = o.frame == "security" && baseline.bind(rs, frame, why);

  // Generate the population once, as columns.
  runtime::ApplicantGenerator gen(rs, frame, o.seed, runtime::test_applicants(engine, frame));
  runtime::ColumnBatch batch(rs, frame);
  std::vector<ir::Value> values;
  std::int64_t as_of = 0;
  std::vector<std::int64_t> elements;  // per applicant: the elements of its lists, summed
  std::int64_t first_version = INT64_MAX;
  for (const auto& v : rs.versions) first_version = std::min(first_version, v.date);
  for (std::size_t i = 0; i < o.n; ++i) {
    gen.next(values, as_of);
    // The generator also makes as-of days before the ruleset's first version, which the
    // product refuses (an error line): here every applicant is one the product decides.
    if (!rs.version_on(as_of)) as_of = first_version;
    batch.push(values.data(), as_of);
    std::int64_t count = 0;
    for (auto s : rs.frames[frame].inputs)
      if (rs.inputs[s].type.kind == dsl::Kind::list && values[s].present()) count += values[s].num;
    elements.push_back(count);
  }

  // A private cache directory: the first compile is a real one, the second a cached load.
  char cache_template[] = "kijun-bench-cache-XXXXXX";
  auto cache_dir = std::filesystem::temp_directory_path() / cache_template;
  std::string cache = cache_dir.string();
  if (!mkdtemp(cache.data())) cache.clear();
  std::string error;
  // The frame alone, as `kijun eval --frame F` and a library batch compile it: cold (a cache
  // of its own), then from that cache.
  double frame_ms = -1, frame_load_ms = -1;
  if (!engine.is_plugin() && !cache.empty()) {
    jit::JitOptions one{2, log, cache + "/one-frame", engine.extension_table(), std::vector<std::uint32_t>{frame}};
    auto start = clock_type::now();
    if (jit::CompiledRuleset::compile(rs, one, error)) {
      frame_ms = seconds_since(start) * 1000;
      start = clock_type::now();
      auto again = jit::CompiledRuleset::compile(rs, one, error);
      if (again && again->from_cache()) frame_load_ms = seconds_since(start) * 1000;
    }
  }
  auto compile_start = clock_type::now();
  if (!engine.compile({2, log, cache, nullptr, std::nullopt}, error)) {
    std::fprintf(stderr, "error: cannot compile %s: %s\n", o.ruleset.c_str(), error.c_str());
    return exit_failure;
  }
  double compile_ms = seconds_since(compile_start) * 1000;
  auto load_start = clock_type::now();
  auto reloaded = jit::CompiledRuleset::compile(rs, {2, log, cache, engine.extension_table(), std::nullopt}, error);
  double load_ms = seconds_since(load_start) * 1000;
  bool cached_load = reloaded && reloaded->from_cache();
  reloaded.reset();
  // A plugin built ahead of time, then loaded as a deployment would.
  // The first load in a process pays for what is done once (the dynamic loader's and the
  // libraries' first use); a service loading the plugins of several years pays the steady cost for
  // the others: the median of 21 more.
  double plugin_ms = -1, plugin_steady_ms = -1;
  auto time_loads = [&](const std::string& path, int times) {
    std::vector<double> loads;
    std::string load_error;
    for (int i = 0; i < times; ++i) {
      auto plugin_start = clock_type::now();
      if (!runtime::Plugin::open(path, load_error)) return std::vector<double>{};
      loads.push_back(seconds_since(plugin_start) * 1000);
    }
    return loads;
  };
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  if (auto* compilation = driver::compilation_of(engine); compilation && !cache.empty()) {
    auto plugin_path = cache + "/bench.kjp";
    std::string build_error;
    if (aot::build_plugin(rs, compilation->sources, compilation->content_hash, plugin_path, {}, build_error)) {
      if (auto loads = time_loads(plugin_path, 22); !loads.empty()) {
        plugin_ms = loads[0];
        plugin_steady_ms = median({loads.begin() + 1, loads.end()});
      }
    }
  } else if (engine.is_plugin() && runtime::looks_like_plugin(o.ruleset)) {
    // The plugin measured was the first loaded in this process: the loads after it.
    if (auto loads = time_loads(o.ruleset, 21); !loads.empty()) plugin_steady_ms = median(loads);
  }
  auto fn = engine.native_frame(frame);

  long rss_before = resident_bytes();
  runtime::BatchResults jit_out(rs, frame), base_out(rs, frame);
  auto words = ir::bitset_words(rs.frames[frame].rules.size());
  double jit_s = timed_run(batch, jit_out, words,
                           [&](const kijun_batch_in& in, kijun_batch_out& out, std::int64_t b, std::int64_t e) { fn(&in, &out, b, e); }, 3);
  long rss_after = resident_bytes();
  double base_s = 0;
  std::size_t checked = 0, mismatches = 0, eligible = 0, faults = 0;
  std::string first_disagreement;
  if (has_baseline) {
    base_s = timed_run(batch, base_out, words,
                       [&](const kijun_batch_in& in, kijun_batch_out& out, std::int64_t b, std::int64_t e) { baseline.run(in, out, b, e); }, 3);
    // Same outputs, row by row, chunk by chunk.
    auto& in = batch.view();
    for (std::int64_t begin = 0; begin < in.rows; begin += chunk_rows) {
      std::int64_t end = std::min<std::int64_t>(in.rows, begin + chunk_rows);
      auto n = static_cast<std::size_t>(end - begin);
      auto& jo = jit_out.view(n);
      auto& bo = base_out.view(n);
      auto j2 = runtime::addressed_by_row(jo, begin, words), b2 = runtime::addressed_by_row(bo, begin, words);
      fn(&in, &j2, begin, end);
      baseline.run(in, b2, begin, end);
      for (std::size_t r = 0; r < n; ++r) {
        ++checked;
        bool jf = jo.error[r] != 0, bf = bo.error[r] != 0;
        faults += jf;
        bool same = jf == bf;
        if (same && !jf) {
          same = jo.eligible[r] == bo.eligible[r] && jo.amount[r] == bo.amount[r] && jo.rate_num[r] == bo.rate_num[r] &&
                 jo.rate_den[r] == bo.rate_den[r] && jo.bonus_points[r] == bo.bonus_points[r] &&
                 jo.penalty_points[r] == bo.penalty_points[r];
          for (std::uint32_t w = 0; w < words && same; ++w)
            same = jo.failed[r * words + w] == bo.failed[r * words + w] && jo.scored[r * words + w] == bo.scored[r * words + w];
          eligible += jo.eligible[r];
        }
        if (!same && first_disagreement.empty())
          first_disagreement = disagreement(native, engine.ruleset(), frame, jo, bo, r, words, begin + static_cast<std::int64_t>(r));
        mismatches += !same;
      }
    }
  }
  // The public library path over the same columns (its JIT objects from the cache above).
  auto library = time_library(o.ruleset, cache, rs, frame, fn, batch, std::max(2, static_cast<int>(std::thread::hardware_concurrency())));
  if (!cache.empty()) std::filesystem::remove_all(cache);
  // The interpreter, on as many rows as it can do in reasonable time.
  std::size_t interp_rows = std::min<std::size_t>(o.n, 200'000);
  std::vector<std::vector<ir::Value>> rows(interp_rows);
  for (std::size_t i = 0; i < interp_rows; ++i) batch.row(i, rows[i]);
  auto interp = engine.interpreter();
  auto interp_start = clock_type::now();
  std::int64_t sink = 0;
  for (std::size_t i = 0; i < interp_rows; ++i) sink += interp.evaluate(frame, rows[i].data(), batch.as_of(i)).amount;
  double interp_s = seconds_since(interp_start);

  double n = static_cast<double>(o.n);
  double jit_ns = jit_s * 1e9 / n, interp_ns = interp_s * 1e9 / static_cast<double>(interp_rows);
  std::printf("kijun bench: %s, frame %s, %s applicants (seed %llu), one core, %s\n", o.ruleset.c_str(), o.frame.c_str(),
              count(o.n).c_str(), static_cast<unsigned long long>(o.seed), jit::host_description().c_str());
  std::printf("%-14s %14s %16s %10s\n", "engine", "ns/applicant", "applicants/s", "ratio");
  double reference = has_baseline ? base_s * 1e9 / n : jit_ns;
  auto row = [&](const char* name, double ns, const char* note) {
    std::printf("%-14s %14.1f %16s %9.2fx%s\n", name, ns, count(static_cast<std::size_t>(1e9 / ns)).c_str(), ns / reference, note);
  };
  if (has_baseline) row("hand-written", reference, "");
  row(native, jit_ns, "");
  row("interpreter", interp_ns, interp_rows < o.n ? "  (measured on the first 200,000)" : "");
  std::printf("interpreter / %s: %.1fx\n", native, interp_ns / jit_ns);
  // A frame with lists: what one element costs, so a group of ten can be compared with ten
  // single applicants (each engine's time over the elements of the rows it decided).
  if (auto all = std::accumulate(elements.begin(), elements.end(), std::int64_t{0}); all > 0) {
    auto interp_elements = std::accumulate(elements.begin(), elements.begin() + static_cast<std::ptrdiff_t>(interp_rows), std::int64_t{0});
    std::printf("lists: %.1f elements per applicant; %s %.1f ns and interpreter %.1f ns per element\n",
                static_cast<double>(all) / static_cast<double>(o.n), native, jit_s * 1e9 / static_cast<double>(all),
                interp_elements ? interp_s * 1e9 / static_cast<double>(interp_elements) : 0.0);
  }
  if (library.error.empty()) {
    std::printf("library: Batch::run %.1f ns/applicant, %.2fx the frame function called once over the same columns (%.1f ns); "
                "on %d threads %.1f ns\n",
                library.batch_s * 1e9 / n, library.batch_s / library.raw_s, library.raw_s * 1e9 / n, library.threads,
                library.threaded_s * 1e9 / n);
    std::printf("library: the same outputs on %s rows; %s refused as the product refuses them (an as-of day before the "
                "first version)\n", count(static_cast<std::size_t>(o.n) - library.mismatches - library.refused).c_str(),
                count(library.refused).c_str());
    if (library.mismatches) std::printf("library: %s rows differ from the frame function's outputs\n", count(library.mismatches).c_str());
  } else {
    std::printf("library: not measured: %s\n", library.error.c_str());
  }
  if (engine.is_plugin()) std::printf("a built plugin: its code as built, nothing compiled; ");
  else {
    if (frame_ms >= 0) std::printf("jit compile of frame %s alone (O2): %.1f ms; from the object cache: %.1f ms\n", o.frame.c_str(), frame_ms, frame_load_ms);
    std::printf("jit compile (all %zu frames, O2, in parallel on %u threads): %.1f ms; ", rs.frames.size(),
                std::max(1u, std::min(static_cast<unsigned>(rs.frames.size()), std::thread::hardware_concurrency())), compile_ms);
    if (cached_load) std::printf("load from the object cache: %.1f ms; ", load_ms);
    else std::printf("load from the object cache: not measured; ");
  }
  if (plugin_ms >= 0)
    std::printf("load of a built plugin, verified: %.1f ms the first in a process, %.2f ms each after (median)\n", plugin_ms,
                plugin_steady_ms);
  else if (plugin_steady_ms >= 0) std::printf("load of this plugin again, verified: %.2f ms (median)\n", plugin_steady_ms);
  else std::printf("load of a built plugin: not measured\n");
  double extra = rss_after > rss_before ? static_cast<double>(rss_after - rss_before) / n : 0.0;
  std::printf("memory the %s's runs add to the input columns: %.1f bytes/applicant (outputs in chunks of %s)\n", native, extra,
              count(chunk_rows).c_str());
  if (has_baseline) {
    std::printf("%s and hand-written agree on %s of %s applicants (%s eligible, %s faults)\n", native, count(checked - mismatches).c_str(),
                count(checked).c_str(), count(eligible).c_str(), count(faults).c_str());
    if (mismatches) std::printf("first disagreement: %s\n", first_disagreement.c_str());
  } else {
    std::printf("no hand-written baseline for this frame%s%s\n", why.empty() ? "" : ": ", why.c_str());
  }
  if (sink == 42) std::puts("");  // keeps the interpreter's work observable
  return mismatches || library.mismatches ? exit_failure : exit_ok;
}

}  // namespace kijun::cli
