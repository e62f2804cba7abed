#include "dsl/support/hash.hpp"

#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <vector>

namespace kijun::dsl {

namespace fs = std::filesystem;

static_assert(sizeof(crypto_hash_sha256_state) <= 128, "Sha256::state_ holds libsodium's state");

Sha256::Sha256() {
  // libsodium asks to be initialised before any use (later calls return at once). Hashing
  // needs nothing it could fail to set up, so its answer does not matter here.
  [[maybe_unused]] int ready = sodium_init();
  crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_));
}

void Sha256::update(std::string_view bytes) {
  crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_),
                            reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string Sha256::hex() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_), digest);
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (auto b : digest) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 sha;
  sha.update(bytes);
  return sha.hex();
}

bool is_test_file(const std::string& path) { return path.ends_with(".test.kj"); }

std::string source_name(const SourceSet& sources, FileId file) {
  fs::path home = fs::path(sources.file(0).path).parent_path();
  fs::path p = sources.file(file).path;
  if (p.parent_path() == home) return p.filename().generic_string();
  if (home.empty()) return p.lexically_normal().generic_string();
  return p.lexically_relative(home).generic_string();
}

std::string content_hash(const SourceSet& sources) {
  std::vector<std::pair<std::string, const std::string*>> files;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    auto& f = sources.file(static_cast<FileId>(i));
    if (!is_test_file(f.path)) files.emplace_back(source_name(sources, static_cast<FileId>(i)), &f.text);
  }
  std::sort(files.begin(), files.end());
  Sha256 sha;
  const std::string_view nul("\0", 1);
  for (auto& [name, text] : files) {
    sha.update(name);
    sha.update(nul);
    sha.update(*text);
    sha.update(nul);
  }
  return "sha256:" + sha.hex();
}

}  // namespace kijun::dsl
