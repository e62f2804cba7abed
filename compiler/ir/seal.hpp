// The seal of a plugin file. `kijun build` appends to the shared library a manifest (what
// the plugin is: programme, fiscal year, ABI, content hash, target), optionally a signature,
// and a trailer holding the SHA-256 digest of library and manifest. The runtime reads and
// checks the seal before any of the plugin's code is loaded, and loads exactly the bytes it
// checked: a truncated, damaged or foreign file is refused without being opened as a
// library, and the search path learns what a plugin is without running it.
//
//   [shared library: L bytes][manifest: M bytes][signature: S bytes][trailer: 64 bytes]
//   trailer   = "KIJUNSEAL\0\0\0" (12) · format u32 · L u64 · M u64 · sha256(library ‖ manifest) (32)
//   manifest  = "key=value\n" lines: abi, programme, fiscal_year, content_hash, target, isa
//               (isa since 0.2; unknown keys are ignored, so an older runtime reads it)
//   signature = nothing (S = 0: unsigned), or (S = 104)
//               "KIJUNSIG" (8) · Ed25519 public key (32) · Ed25519 signature of the trailer (64)
// Integers are little-endian. The ELF loader ignores bytes after the library's sections.
// S is what lies between the manifest and the trailer: file size − 64 − L − M.
//
// The signature signs the 64 bytes of the trailer, which hold the format, both lengths and
// the digest: so it covers every byte of library and manifest and where one ends. It cannot
// sign itself; instead `check` verifies it, whenever it is there, under the key it names, so
// a changed byte in the signature, its key or its marker is found like any other. Who may
// sign is the loader's business (runtime/trust.hpp): the seal says only who did.
//
// Format 1, written before plugins could be signed, is format 2 without a signature part:
// it is still read, as unsigned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/ir/keys.hpp"

namespace kijun::seal {

inline constexpr std::uint32_t format_version = 2;
inline constexpr std::uint32_t oldest_format = 1;
inline constexpr std::size_t trailer_size = 64;
inline constexpr std::size_t signature_part_size = 8 + keys::public_key_size + keys::signature_size;

struct Manifest {
  std::uint32_t abi = 0;
  std::string programme;
  std::int64_t fiscal_year = 0;
  std::string content_hash;
  std::string target;
  // The instruction-set extensions its code needs (compiler/ir/isa.hpp), comma-separated.
  // Optional in the manifest: plugins built before it was recorded have none.
  std::string isa;
  bool has_isa = false;
};

enum class Problem : std::uint8_t {
  none,
  unsealed,   // no seal: truncated, or not written by `kijun build`
  damaged,    // the digest does not match the bytes: altered or damaged
  malformed,  // a seal whose parts do not fit together
  bad_signature,  // a signature that does not verify under the key it names
  unverifiable,   // libsodium cannot start: a signature cannot be checked
};

// The bytes to append to `library` to seal it (the manifest, a signature by `key` when
// one is given, and the trailer).
std::string make(std::string_view library, const Manifest& manifest, const keys::SecretKey* key = nullptr);

// Checks the seal of a whole file's bytes, and its signature if it has one. On success
// `library` is the shared library's bytes (a view into `file`), `manifest` what the seal
// says and `signer` (when asked for) the key that signed it, or nullopt when it is unsigned;
// otherwise `error` says why.
Problem check(std::string_view file, std::string_view& library, Manifest& manifest, std::string& error,
              std::optional<keys::PublicKey>* signer = nullptr);

}  // namespace kijun::seal
