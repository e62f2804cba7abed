// kijun build RULESET -o FILE [--cpu CPU]: compiles every frame ahead of time into a
// plugin the runtime loads with no compiler (include/kijun/plugin.h).
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "compiler/aot.hpp"

namespace kijun::cli {

int run_build(const BuildOptions& o, const LogFn& log) {
  auto c = load_ruleset(o.ruleset, log);
  if (!c) return exit_failure;
  std::string error;
  if (!aot::build_plugin(c->ruleset, c->sources, c->content_hash, o.output, {o.cpu, "cc", log}, error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return exit_failure;
  }
  std::printf("%s: %s %lld, %zu frame%s, %s\n", o.output.c_str(), c->ruleset.programme.c_str(),
              static_cast<long long>(c->ruleset.fiscal_year), c->ruleset.frames.size(), c->ruleset.frames.size() == 1 ? "" : "s",
              c->content_hash.c_str());
  return exit_ok;
}

}  // namespace kijun::cli
