#include "runtime/trust.hpp"

#include <algorithm>

namespace kijun::runtime {

namespace {

// "trusted: 1a2b3c4d5e6f7a8b, …", or that no key is.
std::string trusted_ids(const TrustPolicy& policy) {
  if (policy.trusted.empty()) return "no key is trusted";
  std::string out = "trusted: ";
  for (std::size_t i = 0; i < policy.trusted.size(); ++i) out += (i ? ", " : "") + keys::key_id(policy.trusted[i]);
  return out;
}

}  // namespace

bool read_trust_policy(const std::vector<std::string>& key_files, bool require, TrustPolicy& policy, std::string& error) {
  policy = {};
  policy.require_signature = require || !key_files.empty();
  for (auto& file : key_files) {
    keys::PublicKey key;
    if (!keys::read_public_key(file, key, error)) return false;
    policy.trusted.push_back(key);
  }
  return true;
}

std::string refusal(const TrustPolicy& policy, const std::optional<keys::PublicKey>& signer) {
  if (!policy.require_signature) return "";
  if (!signer) return "unsigned: it has no signature, and one by a trusted key is required (" + trusted_ids(policy) + ")";
  if (std::find(policy.trusted.begin(), policy.trusted.end(), *signer) != policy.trusted.end()) return "";
  return "untrusted key: it is signed by key " + keys::key_id(*signer) + ", which is not trusted here (" +
         trusted_ids(policy) + ")";
}

}  // namespace kijun::runtime
