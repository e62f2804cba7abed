#include "compiler/ir/seal.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "dsl/support/hash.hpp"

namespace kijun::seal {

namespace {

constexpr char magic[12] = {'K', 'I', 'J', 'U', 'N', 'S', 'E', 'A', 'L', 0, 0, 0};
constexpr char signature_magic[8] = {'K', 'I', 'J', 'U', 'N', 'S', 'I', 'G'};

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint64_t get_u64(std::string_view s, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

void digest(std::string_view bytes, unsigned char out[crypto_hash_sha256_BYTES]) {
  dsl::Sha256 sha;  // dsl/support/hash.hpp: the CPU's SHA instructions where it has them
  sha.update(bytes);
  auto d = sha.digest();
  std::copy(d.begin(), d.end(), out);
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
    else if (key == "isa") m.isa = value, m.has_isa = true;
  }
  return abi && programme && year && hash && target;
}

// The signature part for `trailer`: the key that signs and its signature of the trailer.
std::string signature_part(std::string_view trailer, const keys::SecretKey& key) {
  auto signature = key.sign(trailer);
  std::string out(signature_magic, sizeof signature_magic);
  out.append(reinterpret_cast<const char*>(key.public_key().data()), key.public_key().size());
  out.append(reinterpret_cast<const char*>(signature.data()), signature.size());
  return out;
}

// Verifies a signature part against the trailer it signs; on success `signer` is its key.
Problem check_signature(std::string_view part, std::string_view trailer, std::optional<keys::PublicKey>& signer,
                        std::string& error) {
  if (part.size() != signature_part_size || std::memcmp(part.data(), signature_magic, sizeof signature_magic) != 0) {
    error = "its seal's signature part cannot be read: the file is damaged";
    return Problem::malformed;
  }
  keys::PublicKey key;
  keys::Signature signature;
  std::memcpy(key.data(), part.data() + sizeof signature_magic, key.size());
  std::memcpy(signature.data(), part.data() + sizeof signature_magic + key.size(), signature.size());
  if (!keys::verify(key, trailer, signature)) {
    error = "bad signature: its signature by key " + keys::key_id(key) +
            " does not verify: the signature has been altered or damaged; sign it again";
    return Problem::bad_signature;
  }
  signer = key;
  return Problem::none;
}

// The trailer's format, with a message when this kijun does not read it.
bool read_format(std::string_view trailer, std::uint32_t& format, std::string& error) {
  format = 0;
  for (int i = 3; i >= 0; --i) format = (format << 8) | static_cast<unsigned char>(trailer[12 + static_cast<std::size_t>(i)]);
  if (format >= oldest_format && format <= format_version) return true;
  error = "sealed in format " + std::to_string(format) + "; this kijun reads formats " + std::to_string(oldest_format) +
          " to " + std::to_string(format_version);
  return false;
}

}  // namespace

std::string make(std::string_view library, const Manifest& manifest, const keys::SecretKey* key) {
  std::string text = "abi=" + std::to_string(manifest.abi) + "\nprogramme=" + manifest.programme +
                     "\nfiscal_year=" + std::to_string(manifest.fiscal_year) + "\ncontent_hash=" + manifest.content_hash +
                     "\ntarget=" + manifest.target + "\n" + (manifest.has_isa ? "isa=" + manifest.isa + "\n" : "");
  std::string signed_part;
  signed_part.reserve(library.size() + text.size());
  signed_part.append(library).append(text);
  unsigned char d[crypto_hash_sha256_BYTES];
  digest(signed_part, d);
  std::string trailer(magic, sizeof magic);
  for (int i = 0; i < 4; ++i) trailer += static_cast<char>((format_version >> (8 * i)) & 0xFF);
  put_u64(trailer, library.size());
  put_u64(trailer, text.size());
  trailer.append(reinterpret_cast<const char*>(d), sizeof d);
  return text + (key ? signature_part(trailer, *key) : "") + trailer;
}

Problem check(std::string_view file, std::string_view& library, Manifest& manifest, std::string& error,
              std::optional<keys::PublicKey>* signer) {
  // Cheap tests first: a truncated file has no trailer where one should end.
  if (file.size() < trailer_size || std::memcmp(file.data() + file.size() - trailer_size, magic, sizeof magic) != 0) {
    error = "no kijun seal at its end: the file is truncated, or was not written by `kijun build`";
    return Problem::unsealed;
  }
  std::size_t t = file.size() - trailer_size;
  auto trailer = file.substr(t);
  std::uint32_t format = 0;
  if (!read_format(trailer, format, error)) return Problem::malformed;
  std::uint64_t lib = get_u64(file, t + 16), man = get_u64(file, t + 24);
  // Between the manifest and the trailer: nothing, or (from format 2) a signature part.
  std::uint64_t rest = lib <= t && man <= t - lib ? t - lib - man : 1;
  if (rest != 0 && (format < 2 || rest != signature_part_size)) {
    error = "its seal does not fit the file: the file is truncated or damaged";
    return Problem::malformed;
  }
  unsigned char d[crypto_hash_sha256_BYTES];
  digest(file.substr(0, lib + man), d);
  if (std::memcmp(d, file.data() + t + 32, sizeof d) != 0) {
    error = "its bytes do not match the digest in its seal: the file has been altered or damaged; rebuild it";
    return Problem::damaged;
  }
  std::optional<keys::PublicKey> key;
  // libsodium is started only for a signature: an unsigned plugin's load does not pay for it.
  if (rest != 0 && !keys::crypto_ready()) {
    error = "its signature cannot be checked: libsodium cannot start";
    return Problem::unverifiable;
  }
  if (rest != 0)
    if (auto p = check_signature(file.substr(lib + man, rest), trailer, key, error); p != Problem::none) return p;
  if (!parse_manifest(file.substr(lib, man), manifest)) {
    error = "its seal's manifest cannot be read";
    return Problem::malformed;
  }
  library = file.substr(0, lib);
  if (signer) *signer = key;
  return Problem::none;
}

}  // namespace kijun::seal
