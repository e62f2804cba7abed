#include "cli/common.hpp"

#include <cstdio>

namespace kijun::cli {

void print_diagnostics(const compiler::Compilation& c, bool json) {
  if (json) {
    std::fprintf(stderr, "%s\n", dsl::render_json(c.diagnostics, c.sources).c_str());
    return;
  }
  std::fputs(dsl::render_all(c.diagnostics, c.sources).c_str(), stderr);
}

std::unique_ptr<compiler::Compilation> load_ruleset(const std::string& path, const LogFn& log, bool json_diagnostics) {
  auto c = compiler::compile_path(path, log);
  print_diagnostics(*c, json_diagnostics);
  if (!c->ok()) {
    auto errors = c->diagnostics.error_count();
    std::fprintf(stderr, "%s: %zu error%s\n", path.c_str(), errors, errors == 1 ? "" : "s");
    return nullptr;
  }
  return c;
}

}  // namespace kijun::cli
