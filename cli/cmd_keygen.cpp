// kijun keygen --out PREFIX [--comment TEXT]: a new Ed25519 key pair to sign plugins with
// (`kijun build --sign PREFIX.key`) and to trust them by (`--trusted-key PREFIX.pub`).
#include <cstdio>

#include "cli/commands.hpp"
#include "compiler/ir/keys.hpp"

namespace kijun::cli {

int run_keygen(const KeygenOptions& o) {
  keys::SecretKey key;
  std::string error;
  if (!key.generate()) {
    std::fputs("error: cannot make a key: libsodium cannot start\n", stderr);
    return exit_failure;
  }
  if (!keys::write_key_pair(o.out, key, o.comment, error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return exit_failure;
  }
  std::printf("key %s: secret %s.key (keep it to yourself), public %s.pub\n", keys::key_id(key.public_key()).c_str(),
              o.out.c_str(), o.out.c_str());
  return exit_ok;
}

}  // namespace kijun::cli
