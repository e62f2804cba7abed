// The seal of a plugin file on any bytes: refused, or accepted only when the digest in the
// trailer is that of the bytes before it and a signature there verifies; a seal made for
// bytes, signed or not, is always accepted, and a signed one names its key.
#include "compiler/ir/seal.hpp"
#include "fuzz/fuzz_target.hpp"

namespace {

// A fixed key: the fuzzer explores the bytes, not the key.
const kijun::keys::SecretKey& fuzz_key() {
  static const unsigned char seed[32] = {'k', 'i', 'j', 'u', 'n', '-', 'f', 'u', 'z', 'z'};
  static kijun::keys::SecretKey key;
  static const bool ready = key.from_seed(seed);
  KIJUN_FUZZ_CHECK(ready);
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto bytes = kijun::fuzz::text(data, size);
  std::string_view library;
  kijun::seal::Manifest m;
  std::string error;
  std::optional<kijun::keys::PublicKey> signer;
  auto problem = kijun::seal::check(bytes, library, m, error, &signer);
  KIJUN_FUZZ_CHECK((problem == kijun::seal::Problem::none) == error.empty());
  if (problem == kijun::seal::Problem::none) KIJUN_FUZZ_CHECK(library.size() < bytes.size());
  // Sealing the input as a library: the result is accepted and gives the library back.
  kijun::seal::Manifest made{1, "p", 2026, "sha256:0", "x86_64-pc-linux-gnu x86-64", "", false};
  std::string sealed = std::string(bytes) + kijun::seal::make(bytes, made);
  KIJUN_FUZZ_CHECK(kijun::seal::check(sealed, library, m, error, &signer) == kijun::seal::Problem::none);
  KIJUN_FUZZ_CHECK(library == bytes && m.programme == "p" && m.fiscal_year == 2026 && !signer);
  // Signed, the same, and the seal names the key.
  sealed = std::string(bytes) + kijun::seal::make(bytes, made, &fuzz_key());
  KIJUN_FUZZ_CHECK(kijun::seal::check(sealed, library, m, error, &signer) == kijun::seal::Problem::none);
  KIJUN_FUZZ_CHECK(library == bytes && signer && *signer == fuzz_key().public_key());
  return 0;
}
