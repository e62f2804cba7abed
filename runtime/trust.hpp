// Which plugins the loader trusts. By default any plugin whose seal checks is loaded (the
// seal proves the file is whole, not who built it). When a signature is required, a plugin
// is loaded only if its seal is signed by one of the trusted keys; an unsigned plugin or one
// signed by another key is refused before any of its code is loaded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/keys.hpp"

namespace kijun::runtime {

struct TrustPolicy {
  bool require_signature = false;
  std::vector<keys::PublicKey> trusted;
};

// The policy of public key files (.pub, from `kijun keygen`): a signature is required when
// `require` is set or any file is given. False with `error` when a file cannot be read as a
// public key.
bool read_trust_policy(const std::vector<std::string>& key_files, bool require, TrustPolicy& policy, std::string& error);

// Empty when `policy` lets a plugin signed by `signer` (nullopt: unsigned) load; otherwise
// why not, beginning with the kind of refusal: "unsigned: …" or "untrusted key: …".
std::string refusal(const TrustPolicy& policy, const std::optional<keys::PublicKey>& signer);

}  // namespace kijun::runtime
