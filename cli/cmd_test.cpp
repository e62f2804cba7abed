// kijun test RULESET|PLUGIN: runs the ruleset's tests, reports rule coverage per frame, and ends
// with "N passed, N failed".
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "runtime/audit/test_runner.hpp"
#include "runtime/driver/driver.hpp"

namespace kijun::cli {

int run_test(const TestOptions& o, const LogFn& log) {
  // Sources or a plugin alike: lowering puts the tests in the IR, and a plugin carries them.
  auto engine = load_engine(o.ruleset, "", {}, log);
  const auto* c = engine ? driver::compilation_of(*engine) : nullptr;
  if (c && o.strict && c->diagnostics.warning_count() > 0) {
    auto n = c->diagnostics.warning_count();
    std::fprintf(stderr, "%s: %zu warning%s, errors under --strict\n", o.ruleset.c_str(), n, n == 1 ? "" : "s");
    engine.reset();
  }
  if (!engine || !read_tests_and_description(*engine)) {
    std::printf("0 passed, 0 failed\n");
    return exit_failure;
  }
  auto kind = o.engine == "jit" ? runtime::EngineKind::jit : runtime::EngineKind::interp;
  std::string error;
  if (kind == runtime::EngineKind::jit && !engine->compile({2, log, runtime::default_cache_dir(), nullptr, std::nullopt}, error)) {
    std::fprintf(stderr, "error: %s: cannot compile to native code: %s\n", o.ruleset.c_str(), error.c_str());
    std::printf("0 passed, 0 failed\n");
    return exit_failure;
  }
  auto report = runtime::run_tests(*engine, kind);
  for (auto& t : report.cases) {
    if (t.passed) continue;
    std::printf("FAIL %s [%s] (%s)\n", t.name.c_str(), t.frame.c_str(), t.location.c_str());
    for (auto& p : t.problems) std::printf("     %s\n", p.c_str());
  }
  bool full = true;
  for (auto& cov : report.coverage) {
    double pct = cov.total ? 100.0 * static_cast<double>(cov.covered) / static_cast<double>(cov.total) : 100.0;
    std::printf("coverage %s: %zu/%zu rule outcomes (%.1f%%)\n", cov.frame.c_str(), cov.covered, cov.total, pct);
    for (auto& g : cov.gaps) std::printf("  not exercised: %s\n", g.c_str());
    full = full && cov.covered == cov.total;
  }
  std::printf("%zu passed, %zu failed\n", report.passed, report.failed);
  if (report.failed) return exit_failure;
  if (o.require_full_coverage && !full) return exit_failure;
  return exit_ok;
}

}  // namespace kijun::cli
