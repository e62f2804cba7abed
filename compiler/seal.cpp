#include "compiler/seal.hpp"

#include <sodium.h>

#include <cstring>

namespace kijun::seal {

namespace {

constexpr char magic[12] = {'K', 'I', 'J', 'U', 'N', 'S', 'E', 'A', 'L', 0, 0, 0};

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint64_t get_u64(std::string_view s, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

void digest(std::string_view bytes, unsigned char out[crypto_hash_sha256_BYTES]) {
  static const int ready = sodium_init();  // once, thread-safe; picks the fastest code for this CPU
  (void)ready;
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

bool parse_manifest(std::string_view text, Manifest& m) {
  bool abi = false, programme = false, year = false, hash = false, target = false;
  while (!text.empty()) {
    auto nl = text.find('\n');
    if (nl == std::string_view::npos) return false;
    auto line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    auto eq = line.find('=');
    if (eq == std::string_view::npos) return false;
    auto key = line.substr(0, eq);
    std::string value(line.substr(eq + 1));
    auto number = [&](auto& out) {
      if (value.empty() || value.size() > 19) return false;
      std::int64_t v = 0;
      bool neg = value[0] == '-';
      for (std::size_t i = neg ? 1 : 0; i < value.size(); ++i) {
        if (value[i] < '0' || value[i] > '9') return false;
        v = v * 10 + (value[i] - '0');
      }
      out = static_cast<std::remove_reference_t<decltype(out)>>(neg ? -v : v);
      return true;
    };
    if (key == "abi") abi = number(m.abi);
    else if (key == "programme") m.programme = value, programme = true;
    else if (key == "fiscal_year") year = number(m.fiscal_year);
    else if (key == "content_hash") m.content_hash = value, hash = true;
    else if (key == "target") m.target = value, target = true;
  }
  return abi && programme && year && hash && target;
}

}  // namespace

std::string sha256(std::string_view bytes) {
  unsigned char d[crypto_hash_sha256_BYTES];
  digest(bytes, d);
  static const char* hex = "0123456789abcdef";
  std::string out = "sha256:";
  for (auto c : d) out += hex[c >> 4], out += hex[c & 15];
  return out;
}

std::string make(std::string_view library, const Manifest& manifest) {
  std::string text = "abi=" + std::to_string(manifest.abi) + "\nprogramme=" + manifest.programme +
                     "\nfiscal_year=" + std::to_string(manifest.fiscal_year) + "\ncontent_hash=" + manifest.content_hash +
                     "\ntarget=" + manifest.target + "\n";
  std::string signed_part;
  signed_part.reserve(library.size() + text.size());
  signed_part.append(library).append(text);
  unsigned char d[crypto_hash_sha256_BYTES];
  digest(signed_part, d);
  std::string out = text;
  out.append(magic, sizeof magic);
  for (int i = 0; i < 4; ++i) out += static_cast<char>((format_version >> (8 * i)) & 0xFF);
  put_u64(out, library.size());
  put_u64(out, text.size());
  out.append(reinterpret_cast<const char*>(d), sizeof d);
  return out;
}

Problem check(std::string_view file, std::string_view& library, Manifest& manifest, std::string& error) {
  // Cheap tests first: a truncated file has no trailer where one should end.
  if (file.size() < trailer_size || std::memcmp(file.data() + file.size() - trailer_size, magic, sizeof magic) != 0) {
    error = "no kijun seal at its end: the file is truncated, or was not written by `kijun build`";
    return Problem::unsealed;
  }
  std::size_t t = file.size() - trailer_size;
  std::uint32_t format = 0;
  for (int i = 3; i >= 0; --i) format = (format << 8) | static_cast<unsigned char>(file[t + 12 + static_cast<std::size_t>(i)]);
  std::uint64_t lib = get_u64(file, t + 16), man = get_u64(file, t + 24);
  if (format != format_version) {
    error = "sealed in format " + std::to_string(format) + "; this kijun reads format " + std::to_string(format_version);
    return Problem::malformed;
  }
  if (lib > t || man > t - lib || lib + man != t) {
    error = "its seal does not fit the file: the file is truncated or damaged";
    return Problem::malformed;
  }
  unsigned char d[crypto_hash_sha256_BYTES];
  digest(file.substr(0, t), d);
  if (std::memcmp(d, file.data() + t + 32, sizeof d) != 0) {
    error = "its bytes do not match the digest in its seal: the file has been altered or damaged; rebuild it";
    return Problem::damaged;
  }
  if (!parse_manifest(file.substr(lib, man), manifest)) {
    error = "its seal's manifest cannot be read";
    return Problem::malformed;
  }
  library = file.substr(0, lib);
  return Problem::none;
}

}  // namespace kijun::seal
