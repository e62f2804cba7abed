// SHA-256, and the content hash that names a ruleset by its rule sources: the same sources
// give the same hash on any machine, wherever they are, with or without a compiler.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "dsl/support/source.hpp"

namespace kijun::dsl {

// Accumulates bytes; `digest` or `hex` finishes. OpenSSL's libcrypto computes it, with
// the CPU's SHA instructions where it has them: a plugin is hashed every time it is loaded,
// and this is most of a load's time (dsl/support/hash.cpp).
class Sha256 {
public:
  static constexpr std::size_t size = 32;
  Sha256();
  void update(std::string_view bytes);
  std::array<unsigned char, size> digest();
  std::string hex();  // the digest as 64 lowercase hex digits

private:
  alignas(16) unsigned char state_[128];  // SHA256_CTX (libcrypto), opaque here
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
