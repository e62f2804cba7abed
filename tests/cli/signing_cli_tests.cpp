// Signed plugins from the command line: `kijun keygen`, `kijun build --sign`, and
// `--trusted-key` / $KIJUN_TRUSTED_KEYS wherever a plugin is loaded, with the exact lines a
// refusal prints and its exit status.
#define BOOST_TEST_MODULE signing_cli
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <cstdlib>

#include "cli/cli_support.hpp"
#include "scratch_dir.hpp"

using namespace kijun::testing;
namespace fs = std::filesystem;

namespace {

const std::string features = root + "/tests/golden/check/good/features.kj";

// A directory of keys a and b, a plugin signed with a, an unsigned one, and an applicant.
struct Setup {
  kijun::testing::ScratchDir dir{"cli-signing"};
  std::string id_a, id_b;
  std::string at(const std::string& name) const { return dir / name; }

  Setup() {
    id_a = key("a");
    id_b = key("b");
    auto built = run("build " + features + " -o " + at("signed.kjp") + " --sign " + at("a.key"));
    BOOST_REQUIRE_MESSAGE(built.status == 0, built.err);
    BOOST_TEST(built.out.ends_with(", signed by key " + id_a + "\n"));
    BOOST_REQUIRE(run("build " + features + " -o " + at("unsigned.kjp")).status == 0);
    std::ofstream(at("in.jsonl")) << R"({"id":"A1","applied_on":"2026-04-13","sector":"shop","staff":3,"cost_yen":1000000,)"
                                     R"("share":"0.5","grade":2})" "\n";
  }

  // Makes the pair NAME.key, NAME.pub; its id, from what keygen prints.
  std::string key(const std::string& name) {
    auto r = run("keygen --out " + at(name) + " --comment tester");
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
    const std::string head = "key ";
    BOOST_REQUIRE(r.out.rfind(head, 0) == 0u);
    auto id = r.out.substr(head.size(), 16);
    BOOST_TEST(r.out == "key " + id + ": secret " + at(name) + ".key (keep it to yourself), public " + at(name) + ".pub\n");
    return id;
  }

  std::string eval(const std::string& plugin, const std::string& options = "") const {
    return "eval " + plugin + " --frame main --input " + at("in.jsonl") + " " + options;
  }
};

Setup& setup() {
  static Setup s;
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(keygen_writes_a_secret_only_its_owner_reads_and_never_replaces_one) {
  auto& s = setup();
  struct stat st;
  BOOST_REQUIRE(stat(s.at("a.key").c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
  BOOST_TEST(s.id_a != s.id_b);
  auto again = run("keygen --out " + s.at("a"));
  BOOST_TEST(again.status == 1);
  BOOST_TEST(again.err == "error: `" + s.at("a.key") + "` already exists, and a key is never replaced: remove it or choose another name\n");
}

BOOST_AUTO_TEST_CASE(a_plugin_signed_by_a_trusted_key_is_evaluated) {
  auto& s = setup();
  auto plain = run(s.eval(s.at("unsigned.kjp")));
  BOOST_REQUIRE(plain.status == 0);
  auto trusted = run(s.eval(s.at("signed.kjp"), "--trusted-key " + s.at("b.pub") + " --trusted-key " + s.at("a.pub")));
  BOOST_TEST(trusted.status == 0, trusted.err);
  BOOST_TEST(trusted.out == plain.out);
  BOOST_TEST(run(s.eval(s.at("signed.kjp"))).out == plain.out);  // nothing required: loads
}

BOOST_AUTO_TEST_CASE(a_plugin_signed_by_another_key_is_refused_naming_it) {
  auto& s = setup();
  auto r = run(s.eval(s.at("signed.kjp"), "--trusted-key " + s.at("b.pub")));
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out == "");
  BOOST_TEST(r.err == "error: " + s.at("signed.kjp") + ": not a trusted plugin: untrusted key: it is signed by key " + s.id_a +
                          ", which is not trusted here (trusted: " + s.id_b + ")\n");
  auto by_name = run("eval features:2026 --plugin-path " + s.dir.path().string() + " --frame main --input " + s.at("in.jsonl") +
                     " --trusted-key " + s.at("b.pub"));
  BOOST_TEST(by_name.status == 1);
  // Both plugins are on the path: two of one programme and year are refused before trust.
  BOOST_TEST(by_name.err.find("error: two plugins for features 2026 on the plugin search path") == 0u);
}

BOOST_AUTO_TEST_CASE(an_unsigned_plugin_is_refused_when_a_key_is_given) {
  auto& s = setup();
  auto r = run(s.eval(s.at("unsigned.kjp"), "--trusted-key " + s.at("a.pub")));
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err == "error: " + s.at("unsigned.kjp") +
                          ": not a trusted plugin: unsigned: it has no signature, and one by a trusted key is required (trusted: " +
                          s.id_a + ")\n");
  auto x = run("explain " + s.at("unsigned.kjp") + " --frame main --input " + s.at("in.jsonl") + " --id A1 --trusted-key " +
               s.at("a.pub"));
  BOOST_TEST(x.status == 1);
  BOOST_TEST(x.err.find(": not a trusted plugin: unsigned: ") != std::string::npos);
  auto g = run("generate " + s.at("unsigned.kjp") + " --frame main --trusted-key " + s.at("a.pub"));
  BOOST_TEST(g.status == 1);
  BOOST_TEST(g.err.find(": not a trusted plugin: unsigned: ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_search_path_applies_the_trusted_keys) {
  auto& s = setup();
  auto dir = s.dir.path() / "path";
  fs::create_directories(dir);
  fs::copy_file(s.at("signed.kjp"), dir / "features-2026.kjp", fs::copy_options::overwrite_existing);
  std::string by_name = "eval features:2026 --plugin-path " + dir.string() + " --frame main --input " + s.at("in.jsonl");
  BOOST_TEST(run(by_name + " --trusted-key " + s.at("a.pub")).status == 0);
  auto r = run(by_name + " --trusted-key " + s.at("b.pub"));
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err == "error: " + (dir / "features-2026.kjp").string() + ": not a trusted plugin: untrusted key: it is signed by key " +
                          s.id_a + ", which is not trusted here (trusted: " + s.id_b + ")\n");
}

BOOST_AUTO_TEST_CASE(kijun_trusted_keys_is_used_when_no_key_is_given) {
  auto& s = setup();
  setenv("KIJUN_TRUSTED_KEYS", (s.at("missing.pub") + ":" + s.at("b.pub")).c_str(), 1);
  auto unreadable = run(s.eval(s.at("signed.kjp")));
  setenv("KIJUN_TRUSTED_KEYS", (":" + s.at("b.pub")).c_str(), 1);
  auto refused = run(s.eval(s.at("signed.kjp")));
  auto overridden = run(s.eval(s.at("signed.kjp"), "--trusted-key " + s.at("a.pub")));
  unsetenv("KIJUN_TRUSTED_KEYS");
  BOOST_TEST(unreadable.status == 2);
  BOOST_TEST(unreadable.err.find("error: KIJUN_TRUSTED_KEYS: cannot read the key `" + s.at("missing.pub") + "`: ") == 0u);
  BOOST_TEST(refused.status == 1);
  BOOST_TEST(refused.err.find(": not a trusted plugin: untrusted key: it is signed by key " + s.id_a) != std::string::npos);
  BOOST_TEST(overridden.status == 0, overridden.err);
}

BOOST_AUTO_TEST_CASE(a_key_of_the_wrong_kind_is_a_usage_error) {
  auto& s = setup();
  auto secret_as_trusted = run(s.eval(s.at("signed.kjp"), "--trusted-key " + s.at("a.key")));
  BOOST_TEST(secret_as_trusted.status == 2);
  BOOST_TEST(secret_as_trusted.err ==
             "error: --trusted-key: `" + s.at("a.key") + "` is a secret key; trust its public key (the .pub file) instead\n");
  auto public_to_sign = run("build " + features + " -o " + s.at("never.kjp") + " --sign " + s.at("a.pub"));
  BOOST_TEST(public_to_sign.status == 2);
  BOOST_TEST(public_to_sign.err == "error: --sign: `" + s.at("a.pub") + "` is a public key; signing needs the secret key (the .key file)\n");
  BOOST_TEST(!fs::exists(s.at("never.kjp")));
}
