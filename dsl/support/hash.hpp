// SHA-256, and the content hash that names a ruleset by its rule sources: the same sources
// give the same hash on any machine, wherever they are, with or without a compiler.
#pragma once

#include <string>
#include <string_view>

#include "dsl/support/source.hpp"

namespace kijun::dsl {

// Accumulates bytes; `hex` finishes with the digest as 64 lowercase hex digits.
class Sha256 {
public:
  Sha256();
  void update(std::string_view bytes);
  std::string hex();

private:
  alignas(16) unsigned char state_[128];  // crypto_hash_sha256_state (libsodium), opaque here
};

// The SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

// Test sources (`*.test.kj`) are not rules: they are outside the content hash.
bool is_test_file(const std::string& path);
// A source's name relative to the ruleset's own directory: "common.kj", or
// "../2026/common.kj" for a source inherited through `extends`.
std::string source_name(const SourceSet& sources, FileId file);
// "sha256:<hex>" over (name, NUL, text, NUL) of each rule source in name order.
std::string content_hash(const SourceSet& sources);

}  // namespace kijun::dsl
