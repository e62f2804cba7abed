// The seal of a plugin file on any bytes: refused, or accepted only when the digest in the
// trailer is that of the bytes before it; a seal made for bytes is always accepted.
#include "compiler/seal.hpp"
#include "fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto bytes = kijun::fuzz::text(data, size);
  std::string_view library;
  kijun::seal::Manifest m;
  std::string error;
  auto problem = kijun::seal::check(bytes, library, m, error);
  KIJUN_FUZZ_CHECK((problem == kijun::seal::Problem::none) == error.empty());
  if (problem == kijun::seal::Problem::none) KIJUN_FUZZ_CHECK(library.size() < bytes.size());
  // Sealing the input as a library: the result is accepted and gives the library back.
  kijun::seal::Manifest made{1, "p", 2026, "sha256:0", "x86_64-pc-linux-gnu x86-64"};
  std::string sealed = std::string(bytes) + kijun::seal::make(bytes, made);
  KIJUN_FUZZ_CHECK(kijun::seal::check(sealed, library, m, error) == kijun::seal::Problem::none);
  KIJUN_FUZZ_CHECK(library == bytes && m.programme == "p" && m.fiscal_year == 2026);
  return 0;
}
