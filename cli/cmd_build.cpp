// kijun build RULESET -o FILE [--cpu CPU] [--sign KEY]: compiles every frame ahead of time
// into a plugin the runtime loads with no compiler (include/kijun/plugin.h), its seal signed
// with KEY (a .key file from `kijun keygen`) when one is given.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "compiler/backend/aot.hpp"
#include "compiler/ir/keys.hpp"

namespace kijun::cli {

int run_build(const BuildOptions& o, const LogFn& log) {
  // The key first: a build takes a while, and an unusable key should not wait for it.
  keys::SecretKey key;
  std::string error;
  if (!o.sign.empty() && !keys::read_secret_key(o.sign, key, error, log)) {
    std::fprintf(stderr, "error: --sign: %s\n", error.c_str());
    return exit_usage;
  }
  if (!o.cpu.empty() && !aot::known_cpu(o.cpu, error)) {
    std::fprintf(stderr, "error: --cpu: %s\n", error.c_str());
    return exit_usage;
  }
  if (refuse_plugin(o.ruleset, "build")) return exit_usage;
  auto c = load_ruleset(o.ruleset, log);
  if (!c) return exit_failure;
  aot::BuildOptions options{o.cpu, "cc", log, o.sign.empty() ? nullptr : &key};
  if (!aot::build_plugin(c->ruleset, c->sources, c->content_hash, o.output, options, error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return exit_failure;
  }
  std::string signed_by = o.sign.empty() ? "" : ", signed by key " + keys::key_id(key.public_key());
  std::printf("%s: %s %lld, %zu frame%s, %s%s\n", o.output.c_str(), c->ruleset.programme.c_str(),
              static_cast<long long>(c->ruleset.fiscal_year), c->ruleset.frames.size(), c->ruleset.frames.size() == 1 ? "" : "s",
              c->content_hash.c_str(), signed_by.c_str());
  return exit_ok;
}

}  // namespace kijun::cli
