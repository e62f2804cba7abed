// Signed plugins: `kijun keygen` key files and their permissions; a plugin signed with key A
// loads where A is trusted and is refused, naming the key, where only B is; an unsigned
// plugin is refused when a signature is required and loads when none is; a changed byte in
// the signature, its key or the code is refused; format 1 seals are still read; and the
// search path, the C++ API and the C ABI apply the same policy.
#define BOOST_TEST_MODULE signing
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "compiler/backend/aot.hpp"
#include "compiler/ir/keys.hpp"
#include "compiler/ir/seal.hpp"
#include "compiler/pipeline.hpp"
#include "kijun/kijun.h"
#include "kijun/kijun.hpp"
#include "runtime/plugin.hpp"
#include "scratch_dir.hpp"

using namespace kijun;
namespace fs = std::filesystem;

namespace {

testing::ScratchDir& workspace() {
  static testing::ScratchDir w("signing-test");
  return w;
}

std::string bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string write(const std::string& name, const std::string& data) {
  auto out = workspace() / name;
  std::ofstream(out, std::ios::binary) << data;
  return out;
}

// The key pair PREFIX.key / PREFIX.pub, made once.
const keys::SecretKey& key_pair(const std::string& prefix) {
  static std::map<std::string, std::unique_ptr<keys::SecretKey>> made;
  auto& key = made[prefix];
  if (!key) {
    key = std::make_unique<keys::SecretKey>();
    std::string error;
    BOOST_REQUIRE(key->generate());
    BOOST_REQUIRE_MESSAGE(keys::write_key_pair(workspace() / prefix, *key, "test key " + prefix, error), error);
  }
  return *key;
}

std::string id_of(const std::string& prefix) { return keys::key_id(key_pair(prefix).public_key()); }

// A small ruleset built once, unsigned and signed with key A by `kijun build`'s own code.
std::string built(bool sign) {
  auto out = workspace() / (sign ? "signed.kjp" : "unsigned.kjp");
  if (fs::exists(out)) return out;
  auto c = compiler::compile_path(std::string(KIJUN_SOURCE_DIR) + "/tests/golden/check/good/features.kj");
  BOOST_REQUIRE(c->ok());
  aot::BuildOptions options;
  if (sign) options.sign = &key_pair("a");
  std::string error;
  BOOST_REQUIRE_MESSAGE(aot::build_plugin(c->ruleset, c->sources, c->content_hash, out, options, error), error);
  return out;
}

runtime::TrustPolicy trusting(const std::vector<std::string>& prefixes, bool require = false) {
  std::vector<std::string> files;
  for (auto& p : prefixes) {
    key_pair(p);
    files.push_back(workspace() / (p + ".pub"));
  }
  runtime::TrustPolicy policy;
  std::string error;
  BOOST_REQUIRE_MESSAGE(runtime::read_trust_policy(files, require, policy, error), error);
  return policy;
}

// Opens `path` under `policy`: the error, or "" when it loads.
std::string refusal(const std::string& path, const runtime::TrustPolicy& policy) {
  std::string error;
  auto plugin = runtime::Plugin::open(path, error, policy);
  return plugin ? "" : error;
}

// The file's bytes with the byte at `at` (from the end when negative) flipped.
std::string flipped(const std::string& data, std::ptrdiff_t at) {
  std::string copy = data;
  auto i = at < 0 ? copy.size() - static_cast<std::size_t>(-at) : static_cast<std::size_t>(at);
  copy[i] = static_cast<char>(copy[i] ^ 0x10);
  return copy;
}

// Where the signature part of a signed file begins.
std::size_t signature_at(const std::string& data) { return data.size() - seal::trailer_size - seal::signature_part_size; }

}  // namespace

BOOST_AUTO_TEST_CASE(keygen_writes_a_private_secret_and_a_public_key) {
  const auto& a = key_pair("a");
  struct stat st;
  BOOST_REQUIRE(stat((workspace() / "a.key").c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
  auto secret = bytes(workspace() / "a.key");
  BOOST_TEST(secret.size() == 21u + 64u + 1u);
  BOOST_TEST(secret.rfind("kijun-ed25519-secret ", 0) == 0u);
  BOOST_TEST(bytes(workspace() / "a.pub").rfind("kijun-ed25519-public ", 0) == 0u);
  BOOST_TEST(bytes(workspace() / "a.pub").ends_with(" test key a\n"));
  // Read back: the same pair.
  keys::SecretKey again;
  keys::PublicKey pub;
  std::string error;
  BOOST_REQUIRE_MESSAGE(keys::read_secret_key(workspace() / "a.key", again, error), error);
  BOOST_REQUIRE_MESSAGE(keys::read_public_key(workspace() / "a.pub", pub, error), error);
  BOOST_TEST((again.public_key() == a.public_key()));
  BOOST_TEST((pub == a.public_key()));
  BOOST_TEST(id_of("a").size() == 16u);
  BOOST_TEST(id_of("a") != id_of("b"));
  // Never replaced.
  BOOST_TEST(!keys::write_key_pair(workspace() / "a", again, "", error));
  BOOST_TEST(error == "`" + workspace() / "a.key" + "` already exists, and a key is never replaced: remove it or choose another name");
}

BOOST_AUTO_TEST_CASE(a_key_of_the_wrong_kind_is_refused_without_quoting_it) {
  key_pair("a");
  keys::SecretKey key;
  keys::PublicKey pub;
  std::string error;
  BOOST_TEST(!keys::read_public_key(workspace() / "a.key", pub, error));
  BOOST_TEST(error == "`" + workspace() / "a.key" + "` is a secret key; trust its public key (the .pub file) instead");
  auto seed = bytes(workspace() / "a.key").substr(21, 64);
  BOOST_TEST(error.find(seed) == std::string::npos);
  BOOST_TEST(!keys::read_secret_key(workspace() / "a.pub", key, error));
  BOOST_TEST(error == "`" + workspace() / "a.pub" + "` is a public key; signing needs the secret key (the .key file)");
  BOOST_TEST(!keys::read_public_key(write("junk.pub", "kijun-ed25519-public 12\n"), pub, error));
  BOOST_TEST(error.find("is not a kijun public key") != std::string::npos);
  BOOST_TEST(!keys::read_public_key(workspace() / "missing.pub", pub, error));
  BOOST_TEST(error.find("cannot read the key `") == 0u);
  // A secret key others can read still signs, with a warning.
  fs::copy_file(workspace() / "a.key", workspace() / "open.key");
  fs::permissions(workspace() / "open.key", fs::perms::others_read, fs::perm_options::add);
  std::vector<std::string> warnings;
  BOOST_TEST(keys::read_secret_key(workspace() / "open.key", key, error,
                                   [&](LogLevel, std::string_view m) { warnings.emplace_back(m); }));
  BOOST_REQUIRE(warnings.size() == 1u);
  BOOST_TEST(warnings[0] == "the secret key `" + workspace() / "open.key" + "` can be read by other users; `chmod 600` it");
}

BOOST_AUTO_TEST_CASE(a_plugin_signed_with_a_trusted_key_loads) {
  std::string error;
  auto plugin = runtime::Plugin::open(built(true), error, trusting({"a"}));
  BOOST_REQUIRE_MESSAGE(plugin, error);
  BOOST_REQUIRE(plugin->signer());
  BOOST_TEST((*plugin->signer() == key_pair("a").public_key()));
  BOOST_TEST(refusal(built(true), trusting({"b", "a"})) == "");
}

BOOST_AUTO_TEST_CASE(a_plugin_signed_with_another_key_is_refused_naming_it) {
  BOOST_TEST(refusal(built(true), trusting({"b"})) == built(true) + ": not a trusted plugin: untrusted key: it is signed by key " +
                                                          id_of("a") + ", which is not trusted here (trusted: " + id_of("b") + ")");
}

BOOST_AUTO_TEST_CASE(an_unsigned_plugin_is_refused_when_a_signature_is_required) {
  BOOST_TEST(refusal(built(false), trusting({"a"})) ==
             built(false) + ": not a trusted plugin: unsigned: it has no signature, and one by a trusted key is required (trusted: " +
                 id_of("a") + ")");
  // Required with no key trusted: nothing loads.
  BOOST_TEST(refusal(built(true), trusting({}, true)).ends_with("which is not trusted here (no key is trusted)"));
  BOOST_TEST(refusal(built(false), trusting({}, true)).find(": not a trusted plugin: unsigned: ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(with_nothing_required_signed_and_unsigned_plugins_load) {
  BOOST_TEST(refusal(built(false), {}) == "");
  BOOST_TEST(refusal(built(true), {}) == "");
  std::string error;
  BOOST_TEST(!runtime::Plugin::open(built(false), error)->signer());
}

// The signature is checked whenever it is there, trusted or not: a changed byte in it is
// damage, like any other.
BOOST_AUTO_TEST_CASE(a_changed_signature_is_refused) {
  auto data = bytes(built(true));
  auto at = static_cast<std::ptrdiff_t>(signature_at(data));
  auto bad_signature = write("bad-signature.kjp", flipped(data, at + 8 + 32 + 5));
  for (auto& policy : {runtime::TrustPolicy{}, trusting({"a"})})
    BOOST_TEST(refusal(bad_signature, policy) == bad_signature + ": not a usable plugin: bad signature: its signature by key " +
                                                     id_of("a") +
                                                     " does not verify: the signature has been altered or damaged; sign it again");
  // Its key changed: the signature is another key's claim, and does not verify under it.
  auto bad_key = write("bad-key.kjp", flipped(data, at + 8 + 3));
  BOOST_TEST(refusal(bad_key, trusting({"a"})).find(": not a usable plugin: bad signature: its signature by key ") !=
             std::string::npos);
  auto bad_marker = write("bad-marker.kjp", flipped(data, at + 2));
  BOOST_TEST(refusal(bad_marker, {}) == bad_marker + ": not a usable plugin: its seal's signature part cannot be read: the file is damaged");
  // Every byte of the signature part and the trailer, in memory.
  std::size_t accepted = 0;
  std::string_view library;
  seal::Manifest m;
  std::string why;
  for (auto i = at; i < static_cast<std::ptrdiff_t>(data.size()); ++i)
    accepted += seal::check(flipped(data, i), library, m, why) == seal::Problem::none;
  BOOST_TEST(accepted == 0u);
}

BOOST_AUTO_TEST_CASE(a_changed_byte_of_a_signed_plugins_code_is_refused) {
  auto data = bytes(built(true));
  auto bad = write("bad-code.kjp", flipped(data, static_cast<std::ptrdiff_t>(data.size() / 3)));
  BOOST_TEST(refusal(bad, trusting({"a"})) == bad + ": not a usable plugin: its bytes do not match the digest in its seal: the "
                                                    "file has been altered or damaged; rebuild it");
}

// Cutting the signature part off leaves an unsigned plugin: whole, and refused wherever a
// signature is required.
BOOST_AUTO_TEST_CASE(a_stripped_signature_leaves_an_unsigned_plugin) {
  auto data = bytes(built(true));
  auto stripped = write("stripped.kjp", data.substr(0, signature_at(data)) + data.substr(data.size() - seal::trailer_size));
  BOOST_TEST(refusal(stripped, {}) == "");
  BOOST_TEST(refusal(stripped, trusting({"a"})).find(": not a trusted plugin: unsigned: ") != std::string::npos);
}

// A seal of format 1 (before signing) is read as unsigned; it cannot carry a signature.
BOOST_AUTO_TEST_CASE(format_1_seals_are_read_as_unsigned) {
  auto as_format_1 = [](std::string data) {
    data[data.size() - seal::trailer_size + 12] = 1;
    return data;
  };
  auto old = write("format-1.kjp", as_format_1(bytes(built(false))));
  BOOST_TEST(refusal(old, {}) == "");
  BOOST_TEST(refusal(old, trusting({"a"})).find(": not a trusted plugin: unsigned: ") != std::string::npos);
  auto old_signed = write("format-1-signed.kjp", as_format_1(bytes(built(true))));
  BOOST_TEST(refusal(old_signed, {}) == old_signed + ": not a usable plugin: its seal does not fit the file: the file is "
                                                         "truncated or damaged");
  auto future = bytes(built(false));
  future[future.size() - seal::trailer_size + 12] = 3;
  BOOST_TEST(refusal(write("format-3.kjp", future), {}).ends_with("sealed in format 3; this kijun reads formats 1 to 2"));
}

BOOST_AUTO_TEST_CASE(the_search_path_applies_the_policy) {
  auto dir = workspace().path() / "path";
  fs::create_directories(dir);
  fs::copy_file(built(true), dir / "features-2026.kjp");
  runtime::PluginRegistry registry({dir.string()});
  std::string error;
  BOOST_TEST(registry.open("features", 2026, error, trusting({"a"})) != nullptr);
  BOOST_TEST(!registry.open("features", 2026, error, trusting({"b"})));
  BOOST_TEST(error == (dir / "features-2026.kjp").string() + ": not a trusted plugin: untrusted key: it is signed by key " +
                          id_of("a") + ", which is not trusted here (trusted: " + id_of("b") + ")");
}

BOOST_AUTO_TEST_CASE(the_library_takes_trusted_keys) {
  LoadOptions options;
  options.trusted_keys = {workspace() / "a.pub"};
  key_pair("a");
  auto loaded = Ruleset::load(built(true), options);
  BOOST_TEST(loaded.ok(), loaded.status().message());
  auto refused = Ruleset::load(built(false), options);
  BOOST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.status().message().find(": not a trusted plugin: unsigned: ") != std::string::npos);
  options.trusted_keys = {workspace() / "missing.pub"};
  refused = Ruleset::load(built(true), options);
  BOOST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.status().message().find("trusted_keys: cannot read the key `") == 0u);
  options.trusted_keys.clear();
  options.require_signature = true;
  refused = Ruleset::load(built(true), options);
  BOOST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.status().message().ends_with("(no key is trusted)"));
  // A source directory is compiled here and carries no signature: not affected.
  options.native = false;
  BOOST_TEST(Ruleset::load(std::string(KIJUN_SOURCE_DIR) + "/tests/golden/check/good/features.kj", options).ok());
}

BOOST_AUTO_TEST_CASE(the_c_abi_takes_trusted_keys) {
  key_pair("a");
  key_pair("b");
  auto a = workspace() / "a.pub", b = workspace() / "b.pub";
  const char* trust_a[] = {a.c_str(), nullptr};
  const char* trust_b[] = {b.c_str(), nullptr};
  kijun_ruleset* rules = nullptr;
  kijun_error* e = kijun_ruleset_load_trusted(built(true).c_str(), 0, trust_a, nullptr, nullptr, &rules);
  BOOST_TEST(!e, kijun_error_message(e));
  kijun_ruleset_destroy(rules);
  e = kijun_ruleset_load_trusted(built(true).c_str(), 0, trust_b, nullptr, nullptr, &rules);
  BOOST_REQUIRE(e);
  BOOST_TEST(std::string(kijun_error_message(e)).find("untrusted key: it is signed by key " + id_of("a")) != std::string::npos);
  kijun_error_destroy(e);
  e = kijun_ruleset_load_with_flags(built(false).c_str(), KIJUN_LOAD_REQUIRE_SIGNATURE, nullptr, nullptr, &rules);
  BOOST_REQUIRE(e);
  BOOST_TEST(std::string(kijun_error_message(e)).find(": not a trusted plugin: unsigned: ") != std::string::npos);
  kijun_error_destroy(e);
  e = kijun_ruleset_load_with_flags(built(false).c_str(), 0, nullptr, nullptr, &rules);
  BOOST_TEST(!e);
  kijun_ruleset_destroy(rules);
}
