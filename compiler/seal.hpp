// The seal of a plugin file. `kijun build` appends to the shared library a manifest (what
// the plugin is: programme, fiscal year, ABI, content hash, target) and a trailer holding
// the SHA-256 digest of every byte before it. The runtime reads and checks the seal before
// any of the plugin's code is loaded, and loads exactly the bytes it checked: a truncated,
// damaged or foreign file is refused without being opened as a library, and the search path
// learns what a plugin is without running it.
//
//   [shared library: L bytes][manifest: M bytes][trailer: 64 bytes]
//   trailer = "KIJUNSEAL\0\0\0" (12) · format u32 · L u64 · M u64 · sha256(library ‖ manifest) (32)
//   manifest = "key=value\n" lines: abi, programme, fiscal_year, content_hash, target
// Integers are little-endian. The ELF loader ignores bytes after the library's sections.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kijun::seal {

inline constexpr std::uint32_t format_version = 1;
inline constexpr std::size_t trailer_size = 64;

struct Manifest {
  std::uint32_t abi = 0;
  std::string programme;
  std::int64_t fiscal_year = 0;
  std::string content_hash;
  std::string target;
};

enum class Problem : std::uint8_t {
  none,
  unsealed,   // no seal: truncated, or not written by `kijun build`
  damaged,    // the digest does not match the bytes: altered or damaged
  malformed,  // a seal whose parts do not fit together
};

// The bytes to append to `library` to seal it (the manifest and the trailer).
std::string make(std::string_view library, const Manifest& manifest);

// Checks the seal of a whole file's bytes. On success `library` is the shared library's
// bytes (a view into `file`) and `manifest` what the seal says; otherwise `error` says why.
Problem check(std::string_view file, std::string_view& library, Manifest& manifest, std::string& error);

// "sha256:<hex>" of `bytes`.
std::string sha256(std::string_view bytes);

}  // namespace kijun::seal
