// kijun check RULESET: parse and type-check; diagnostics; exit 1 on errors.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "compiler/backend/jit.hpp"

namespace kijun::cli {

int run_check(const CheckOptions& o, const LogFn& log) {
  if (refuse_plugin(o.ruleset, "check")) return exit_usage;
  bool json = o.diagnostics == "json";
  auto c = compiler::compile_path(o.ruleset, log);
  print_diagnostics(*c, json);
  auto errors = c->diagnostics.error_count();
  auto warnings = c->diagnostics.warning_count();
  if (!c->ok() || (o.strict && warnings > 0)) {
    std::fprintf(stderr, "%s: %zu error%s, %zu warning%s%s\n", o.ruleset.c_str(), errors, errors == 1 ? "" : "s", warnings,
                 warnings == 1 ? "" : "s", o.strict && warnings ? " (errors under --strict)" : "");
    return exit_failure;
  }
  if (o.dump == "ir") std::fputs(ir::dump(c->ruleset).c_str(), stdout);
  if (o.dump == "llvm") {
    std::string error;
    auto text = jit::optimised_llvm(c->ruleset, 2, error);
    if (!error.empty()) std::fprintf(stderr, "error: %s\n", error.c_str());
    std::fputs(text.c_str(), stdout);
  }
  const auto& rs = c->ruleset;
  // With --dump the dump is stdout; the summary moves to stderr.
  std::fprintf(o.dump.empty() ? stdout : stderr, "%s: ok — %s %lld, %zu frame%s, %zu rules, %zu inputs, %zu warning%s\n",
              o.ruleset.c_str(), rs.programme.c_str(),
              static_cast<long long>(rs.fiscal_year), rs.frames.size(), rs.frames.size() == 1 ? "" : "s", rs.rules.size(),
              rs.inputs.size(), warnings, warnings == 1 ? "" : "s");
  return exit_ok;
}

}  // namespace kijun::cli
