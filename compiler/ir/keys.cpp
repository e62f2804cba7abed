#include "compiler/ir/keys.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "dsl/support/hash.hpp"

namespace kijun::keys {

static_assert(public_key_size == crypto_sign_PUBLICKEYBYTES && signature_size == crypto_sign_BYTES);

namespace {

constexpr std::string_view secret_tag = "kijun-ed25519-secret ";
constexpr std::string_view public_tag = "kijun-ed25519-public ";
constexpr std::size_t hex_digits = 64;       // of a seed or a public key
constexpr std::size_t max_key_file = 4096;   // a key file is one short line

// `text` of exactly 64 hex digits into 32 bytes.
bool from_hex(std::string_view text, unsigned char out[32]) {
  if (text.size() != hex_digits) return false;
  std::size_t written = 0;
  const char* end = nullptr;
  return sodium_hex2bin(out, 32, text.data(), text.size(), nullptr, &written, &end) == 0 && written == 32 &&
         end == text.data() + text.size();
}

// Creates `path` (never replacing a file) holding `text` with permissions `mode`.
bool write_new(const std::string& path, std::string_view text, mode_t mode, std::string& error) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    error = "cannot create `" + path + "`: " + (errno == EEXIST ? "it already exists, and a key is never replaced" : std::strerror(errno));
    return false;
  }
  // The umask may have taken bits away; a secret key must end up exactly 0600.
  bool ok = fchmod(fd, mode) == 0;
  for (std::size_t done = 0; ok && done < text.size();) {
    auto n = write(fd, text.data() + done, text.size() - done);
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && fsync(fd) == 0;
  int why = errno;
  ok = close(fd) == 0 && ok;
  if (!ok) {
    error = "cannot write `" + path + "`: " + std::strerror(why ? why : errno);
    unlink(path.c_str());
  }
  return ok;
}

// A key file's one line, without its newline, into `buf`; its size, or 0 with `error`.
// `st` is the file's status, for the caller to judge its permissions.
std::size_t read_line(const std::string& path, char (&buf)[max_key_file], struct stat& st, std::string& error) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot read the key `" + path + "`: " + std::strerror(errno);
    return 0;
  }
  std::size_t size = 0;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  while (ok && size < sizeof buf) {
    auto n = read(fd, buf + size, sizeof buf - size);
    if (n <= 0) {
      ok = n == 0;
      break;
    }
    size += static_cast<std::size_t>(n);
  }
  close(fd);
  if (!ok || size == sizeof buf) {
    error = "cannot read the key `" + path + "`: " + (ok ? "too large for a key file" : "not a readable file");
    return 0;
  }
  if (size > 0 && buf[size - 1] == '\n') --size;
  if (size > 0 && buf[size - 1] == '\r') --size;
  if (size == 0) error = "`" + path + "` is empty, not a kijun key";
  return size;
}

}  // namespace

bool crypto_ready() {
  // sodium_init: 0 the first time, 1 after; -1 when the library cannot start.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::string key_id(const PublicKey& key) {
  dsl::Sha256 sha;
  sha.update({reinterpret_cast<const char*>(key.data()), key.size()});
  return sha.hex().substr(0, 16);
}

bool verify(const PublicKey& key, std::string_view message, const Signature& signature) {
  return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     key.data()) == 0;
}

SecretKey::~SecretKey() { sodium_memzero(secret_, sizeof secret_); }

bool SecretKey::generate() { return crypto_ready() && crypto_sign_keypair(public_.data(), secret_) == 0; }

bool SecretKey::from_seed(const unsigned char* seed) {
  return crypto_ready() && crypto_sign_seed_keypair(public_.data(), secret_, seed) == 0;
}

Signature SecretKey::sign(std::string_view message) const {
  Signature out{};
  crypto_sign_detached(out.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(), secret_);
  return out;
}

void SecretKey::seed_hex(char out[65]) const {
  unsigned char seed[crypto_sign_SEEDBYTES];
  crypto_sign_ed25519_sk_to_seed(seed, secret_);
  sodium_bin2hex(out, 65, seed, sizeof seed);
  sodium_memzero(seed, sizeof seed);
}

bool write_key_pair(const std::string& prefix, const SecretKey& key, const std::string& comment, std::string& error) {
  if (comment.find_first_of("\r\n") != std::string::npos) {
    error = "a key's comment is one line";
    return false;
  }
  std::string secret_path = prefix + ".key", public_path = prefix + ".pub";
  struct stat st;
  for (auto* path : {&secret_path, &public_path})
    if (lstat(path->c_str(), &st) == 0) {
      error = "`" + *path + "` already exists, and a key is never replaced: remove it or choose another name";
      return false;
    }
  char line[secret_tag.size() + hex_digits + 2];
  std::memcpy(line, secret_tag.data(), secret_tag.size());
  key.seed_hex(line + secret_tag.size());  // writes 64 digits and a NUL
  line[sizeof line - 2] = '\n';
  bool ok = write_new(secret_path, {line, sizeof line - 1}, 0600, error);
  sodium_memzero(line, sizeof line);
  if (!ok) return false;
  char hex[hex_digits + 1];
  sodium_bin2hex(hex, sizeof hex, key.public_key().data(), key.public_key().size());
  std::string text = std::string(public_tag) + hex + (comment.empty() ? "" : " " + comment) + "\n";
  if (write_new(public_path, text, 0644, error)) return true;
  unlink(secret_path.c_str());  // half a pair is no use
  return false;
}

bool read_secret_key(const std::string& path, SecretKey& key, std::string& error, const LogFn& log) {
  if (!crypto_ready()) return error = "cannot start libsodium", false;
  char buf[max_key_file];
  struct stat st;
  std::string_view text(buf, read_line(path, buf, st, error));
  unsigned char seed[crypto_sign_SEEDBYTES];
  bool ok = text.starts_with(secret_tag) && from_hex(text.substr(secret_tag.size()), seed) && key.from_seed(seed);
  // Never quote the file: its text is the secret.
  if (!ok && !text.empty())
    error = text.starts_with(public_tag) ? "`" + path + "` is a public key; signing needs the secret key (the .key file)"
                                         : "`" + path + "` is not a kijun secret key (a line `kijun-ed25519-secret` and 64 hex digits)";
  sodium_memzero(seed, sizeof seed);
  sodium_memzero(buf, sizeof buf);
  if (ok && (st.st_mode & 077) && log)
    log(LogLevel::warn, "the secret key `" + path + "` can be read by other users; `chmod 600` it");
  return ok;
}

bool read_public_key(const std::string& path, PublicKey& key, std::string& error) {
  char buf[max_key_file];
  struct stat st;
  std::string_view text(buf, read_line(path, buf, st, error));
  bool ok = false;
  if (text.starts_with(public_tag)) {
    auto rest = text.substr(public_tag.size());
    bool comment_ok = rest.size() == hex_digits || (rest.size() > hex_digits && rest[hex_digits] == ' ' &&
                                                    rest.find('\n') == std::string_view::npos);
    ok = comment_ok && from_hex(rest.substr(0, hex_digits), key.data());
  }
  // Never quote the file: given a secret key by mistake, its text must not reach a log.
  if (!ok && !text.empty())
    error = text.starts_with(secret_tag) ? "`" + path + "` is a secret key; trust its public key (the .pub file) instead"
                                         : "`" + path + "` is not a kijun public key (a line `kijun-ed25519-public`, 64 hex digits, a comment)";
  sodium_memzero(buf, sizeof buf);
  return ok;
}

}  // namespace kijun::keys
