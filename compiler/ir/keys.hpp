// Ed25519 keys that sign plugins (libsodium). `kijun keygen --out PREFIX` writes a pair:
//
//   PREFIX.key  (mode 0600)  "kijun-ed25519-secret <64 hex digits: the 32-byte seed>\n"
//   PREFIX.pub               "kijun-ed25519-public <64 hex digits: the public key>[ comment]\n"
//
// A key is named by its id: the first 8 bytes of the SHA-256 of the public key, in hex (16
// digits). Secret key material stays in this file's types and is wiped when they go: it is
// never put in an error message or a log line.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "kijun/log.hpp"

namespace kijun::keys {

inline constexpr std::size_t public_key_size = 32;
inline constexpr std::size_t signature_size = 64;

using PublicKey = std::array<unsigned char, public_key_size>;
using Signature = std::array<unsigned char, signature_size>;

// Initialises libsodium once (thread-safe); false if it cannot start, and then nothing
// here may be used.
bool crypto_ready();

// "1a2b3c4d5e6f7a8b": how messages and files name a key.
std::string key_id(const PublicKey& key);

// Does `signature` sign `message` under `key`?
bool verify(const PublicKey& key, std::string_view message, const Signature& signature);

// A secret signing key. Not copyable; its bytes are wiped when it is destroyed.
class SecretKey {
public:
  SecretKey() = default;
  ~SecretKey();
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;

  // A new random key pair; false only if libsodium cannot start.
  bool generate();
  // The key pair of a 32-byte seed (what a .key file holds).
  bool from_seed(const unsigned char* seed);

  const PublicKey& public_key() const { return public_; }
  Signature sign(std::string_view message) const;
  // The seed as the .key file writes it: 64 hex digits. The caller wipes the text.
  void seed_hex(char out[65]) const;

private:
  unsigned char secret_[64] = {};  // libsodium's form: seed ‖ public key
  PublicKey public_{};
};

// Writes PREFIX.key (mode 0600) and PREFIX.pub; refuses to replace either file. `comment`
// (one line) ends the public key's line.
bool write_key_pair(const std::string& prefix, const SecretKey& key, const std::string& comment, std::string& error);

// Reads a .key file. A file other users can read is warned about through `log`.
bool read_secret_key(const std::string& path, SecretKey& key, std::string& error, const LogFn& log = {});

// Reads a .pub file.
bool read_public_key(const std::string& path, PublicKey& key, std::string& error);

}  // namespace kijun::keys
