// Ahead-of-time plugins: built from the 2026 ruleset, loaded with no compiler, they give
// the interpreter's results; plugins of other rulesets load beside them; a truncated or
// damaged file is refused by its seal before any code is loaded; and behind a valid seal,
// another ABI, a corrupt image, altered sources or no entry point is refused with a message
// that says so.
#define BOOST_TEST_MODULE plugin
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/backend/aot.hpp"
#include "compiler/ir/image.hpp"
#include "compiler/ir/seal.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/ir/isa.hpp"
#include "runtime/audit/generator.hpp"
#include "runtime/audit/test_runner.hpp"
#include "runtime/columns.hpp"
#include "runtime/engine.hpp"
#include "scratch_dir.hpp"

using namespace kijun;
namespace fs = std::filesystem;

namespace {

testing::ScratchDir& workspace() {
  static testing::ScratchDir w("plugin-test");
  return w;
}

std::unique_ptr<compiler::Compilation> compile(const std::string& path) {
  auto c = compiler::compile_path(std::string(KIJUN_SOURCE_DIR) + "/" + path);
  BOOST_REQUIRE(c->ok());
  return c;
}

// Builds (once) and returns the plugin of a ruleset.
std::string plugin_of(const std::string& ruleset, const std::string& name) {
  auto out = (workspace().path() / name).string();
  if (fs::exists(out)) return out;
  auto c = compile(ruleset);
  std::string error;
  BOOST_REQUIRE_MESSAGE(aot::build_plugin(c->ruleset, c->sources, c->content_hash, out, {}, error), error);
  return out;
}

std::string bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string write(const std::string& name, const std::string& data) {
  auto out = (workspace().path() / name).string();
  std::ofstream(out, std::ios::binary) << data;
  return out;
}

// A library sealed as `kijun build` seals, with `manifest`: as a forger holding the sealing
// code could, so the checks behind the seal are tested on their own.
std::string sealed(const std::string& library, const std::string& name, const seal::Manifest& manifest) {
  return write(name, library + seal::make(library, manifest));
}

const seal::Manifest portable{KIJUN_PLUGIN_ABI_VERSION, "t", 2026, "sha256:0", "x86_64-pc-linux-gnu x86-64", "", false};

// A built plugin with `from` replaced by `to` in its library, sealed again.
std::string copy_with(const std::string& path, const std::string& name, const std::string& from, const std::string& to) {
  auto data = bytes(path);
  std::string_view library;
  seal::Manifest manifest;
  std::string why;
  BOOST_REQUIRE(seal::check(data, library, manifest, why) == seal::Problem::none);
  std::string changed(library);
  auto at = changed.find(from);
  BOOST_REQUIRE(at != std::string::npos);
  changed.replace(at, from.size(), to);
  return sealed(changed, name, manifest);
}

// The plugin's native frame against the interpreter on generated applicants.
std::size_t mismatches(runtime::Engine& engine, runtime::Engine& oracle, std::uint32_t frame, std::size_t n) {
  const auto& rs = engine.ruleset();
  runtime::ApplicantGenerator gen(rs, frame, 7, runtime::test_applicants(oracle, frame));
  runtime::ColumnBatch batch(rs, frame);
  runtime::BatchResults results(rs, frame);
  std::vector<ir::Value> values;
  std::int64_t as_of;
  for (std::size_t i = 0; i < n; ++i) {
    gen.next(values, as_of);
    batch.push(values.data(), as_of);
  }
  auto& out = results.view(n);
  engine.native_frame(frame)(&batch.view(), &out, 0, static_cast<std::int64_t>(n));
  auto interp = oracle.interpreter();
  std::size_t bad = 0;
  ir::Evaluation got;
  for (std::size_t i = 0; i < n; ++i) {
    batch.row(i, values);
    auto want = interp.evaluate(frame, values.data(), batch.as_of(i));
    results.evaluation(i, got);
    bool same = want.error == got.error && (want.error != ir::EvalError::none ||
                                            (want.eligible == got.eligible && want.amount == got.amount &&
                                             want.failed == got.failed && want.bonus == got.bonus && want.penalty == got.penalty &&
                                             want.rate == got.rate));
    bad += !same;
  }
  return bad;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_built_plugin_decides_as_the_interpreter_does) {
  std::string error;
  auto plugin = runtime::Plugin::open(plugin_of("rulesets/it-hojo/2026", "it-hojo-2026.kjp"), error);
  BOOST_REQUIRE_MESSAGE(plugin, error);
  auto c = compile("rulesets/it-hojo/2026");
  BOOST_TEST(plugin->content_hash() == c->content_hash);
  BOOST_TEST(plugin->ruleset().programme == "it-hojo");
  BOOST_TEST(plugin->ruleset().fiscal_year == 2026);
  runtime::Engine engine(std::move(plugin)), oracle(std::move(c));
  for (std::uint32_t f = 0; f < engine.ruleset().frames.size(); ++f)  // multi_party with its members too
    BOOST_TEST(mismatches(engine, oracle, f, 20'000) == 0u, engine.ruleset().frames[f].name);
}

// Lists in a plugin: the element loops, element definitions and tables, faults inside elements.
BOOST_AUTO_TEST_CASE(a_plugin_decides_lists_as_the_interpreter_does) {
  std::string error;
  auto plugin = runtime::Plugin::open(plugin_of("tests/golden/check/good/lists.kj", "lists.kjp"), error);
  BOOST_REQUIRE_MESSAGE(plugin, error);
  runtime::Engine engine(std::move(plugin)), oracle(compile("tests/golden/check/good/lists.kj"));
  BOOST_TEST(mismatches(engine, oracle, 0, 20'000) == 0u);
}

BOOST_AUTO_TEST_CASE(plugins_of_several_rulesets_load_side_by_side) {
  std::string error;
  auto a = runtime::Plugin::open(plugin_of("rulesets/it-hojo/2026", "it-hojo-2026.kjp"), error);
  auto b = runtime::Plugin::open(plugin_of("tests/golden/check/good/features.kj", "features-2026.kjp"), error);
  BOOST_REQUIRE(a);
  BOOST_REQUIRE_MESSAGE(b, error);
  runtime::Engine ea(std::move(a)), eb(std::move(b));
  runtime::Engine oa(compile("rulesets/it-hojo/2026")), ob(compile("tests/golden/check/good/features.kj"));
  BOOST_TEST(mismatches(ea, oa, 0, 20'000) == 0u);
  BOOST_TEST(mismatches(eb, ob, 0, 20'000) == 0u);
  runtime::PluginRegistry registry({workspace().path().string()});
  auto found = registry.open("features", 2026, error);
  BOOST_REQUIRE_MESSAGE(found, error);
  BOOST_TEST(found->ruleset().programme == "features");
  BOOST_TEST(!registry.open("it-hojo", 2025, error));
  BOOST_TEST(error.find("no plugin for it-hojo 2025 on the plugin search path") == 0u);
}

BOOST_AUTO_TEST_CASE(a_plugin_calls_native_extensions_through_its_table) {
  std::string error;
  auto plugin = runtime::Plugin::open(plugin_of("examples/extension", "deadline-example-2026.kjp"), error);
  BOOST_REQUIRE_MESSAGE(plugin, error);
  runtime::Engine engine(std::move(plugin)), oracle(compile("examples/extension"));
  BOOST_REQUIRE_MESSAGE(engine.load_extensions({EXTENSION_DIR}, error), error);
  BOOST_REQUIRE_MESSAGE(oracle.load_extensions({EXTENSION_DIR}, error), error);
  BOOST_TEST(mismatches(engine, oracle, 0, 20'000) == 0u);
  runtime::Engine without(runtime::Plugin::open(plugin_of("examples/extension", "deadline-example-2026.kjp"), error));
  BOOST_TEST(!without.load_extensions({workspace().path().string()}, error));
  BOOST_TEST(error.find("extension calendar_jp: no calendar_jp.kjx in ") == 0u);
}

BOOST_AUTO_TEST_CASE(another_abi_version_is_refused) {
  std::string error;
  // Its seal says so: refused before its code is loaded.
  auto other = portable;
  other.abi = 999;
  BOOST_TEST(!runtime::Plugin::open(sealed(bytes(OTHER_ABI_PLUGIN), "other-abi.kjp", other), error));
  BOOST_TEST(error.find("built for plugin ABI 999; this kijun reads ABI 1. Rebuild it with `kijun build`.") != std::string::npos);
  // Its seal lies: the code's own descriptor is checked too.
  BOOST_TEST(!runtime::Plugin::open(sealed(bytes(OTHER_ABI_PLUGIN), "other-abi-lying.kjp", portable), error));
  BOOST_TEST(error.find("built for plugin ABI 999") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_plugin_names_the_extensions_its_code_needs) {
  std::string error;
  auto built = plugin_of("examples/extension", "deadline-example-2026.kjp");
  auto data = bytes(built);
  std::string_view library;
  seal::Manifest manifest;
  std::string why;
  BOOST_REQUIRE(seal::check(data, library, manifest, why) == seal::Problem::none);
  // Built here: every extension it records is here.
  BOOST_TEST(manifest.has_isa);
  BOOST_TEST(isa::missing(manifest.isa).empty());
  BOOST_TEST(manifest.isa.find("sse2") != std::string::npos);
  // One this machine lacks (here, one no machine has) refuses it before its code is loaded,
  // named, whatever CPU name it was built for.
  auto other = manifest;
  other.isa += ",avx9000";
  BOOST_TEST(!runtime::Plugin::open(sealed(std::string(library), "needs-avx9000.kjp", other), error));
  BOOST_TEST(error.find(", and it needs avx9000, which this machine lacks. Rebuild it here") != std::string::npos, error);
  // A plugin from before extensions were recorded, built for this CPU: a runtime with a
  // compiler (as this test program is) can name this CPU, and loads it.
  other.has_isa = false;
  BOOST_TEST(runtime::Plugin::open(sealed(std::string(library), "no-isa.kjp", other), error), error);
}

BOOST_AUTO_TEST_CASE(a_library_without_the_entry_point_is_refused) {
  std::string error;
  BOOST_TEST(!runtime::Plugin::open(NOT_A_PLUGIN, error));
  BOOST_TEST(error.find(": not a usable plugin: no kijun seal at its end") != std::string::npos);
  BOOST_TEST(!runtime::Plugin::open(sealed(bytes(NOT_A_PLUGIN), "no-entry.kjp", portable), error));
  BOOST_TEST(error.find("a shared library, but not a kijun plugin (no kijun_plugin_descriptor)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_file_that_is_no_library_is_refused) {
  auto path = (workspace().path() / "text.kjp").string();
  std::ofstream(path) << "not a plugin\n";
  std::string error;
  BOOST_TEST(!runtime::Plugin::open(path, error));
  BOOST_TEST(error.find(": not a usable plugin: no kijun seal at its end") != std::string::npos);
  BOOST_TEST(!runtime::looks_like_plugin(path));
  BOOST_TEST(!runtime::Plugin::open(sealed("not a plugin\n", "sealed-text.kjp", portable), error));
  BOOST_TEST(error.find(": not a loadable plugin (") != std::string::npos);
  BOOST_TEST(!runtime::Plugin::open(write("empty.kjp", ""), error));
  BOOST_TEST(error.find("no kijun seal") != std::string::npos);
}

// Every way to cut a plugin short is refused before its code is loaded: in memory at every
// length, and through the loader at lengths spread over the file.
BOOST_AUTO_TEST_CASE(every_truncation_is_refused) {
  auto data = bytes(plugin_of("rulesets/it-hojo/2026", "it-hojo-2026.kjp"));
  std::string_view view(data), library;
  seal::Manifest m;
  std::string why;
  std::size_t accepted = 0;
  for (std::size_t n = 0; n < data.size(); ++n) accepted += seal::check(view.substr(0, n), library, m, why) == seal::Problem::none;
  BOOST_TEST(accepted == 0u);
  for (std::size_t i = 0; i < 48; ++i) {
    std::size_t n = i < 40 ? data.size() * i / 40 : data.size() - 1 - (i - 40) * 9;
    std::string error;
    BOOST_TEST(!runtime::Plugin::open(write("cut.kjp", data.substr(0, n)), error), n);
    BOOST_TEST(error.find("not a usable plugin") != std::string::npos, error);
  }
}

// A flipped bit anywhere — code, image, sources, manifest, trailer — is refused.
BOOST_AUTO_TEST_CASE(bit_flips_are_refused) {
  auto data = bytes(plugin_of("rulesets/it-hojo/2026", "it-hojo-2026.kjp"));
  std::string_view library;
  seal::Manifest m;
  std::string why;
  std::size_t accepted = 0, tried = 0;
  auto flip = [&](std::size_t at, int bit) {
    std::string copy = data;
    copy[at] = static_cast<char>(copy[at] ^ (1 << bit));
    return copy;
  };
  for (std::size_t at = 0; at < data.size(); at += data.size() / 1500 + 1, ++tried)
    accepted += seal::check(flip(at, static_cast<int>(at % 8)), library, m, why) == seal::Problem::none;
  for (std::size_t at = data.size() - seal::trailer_size - 200; at < data.size(); ++at, ++tried)
    accepted += seal::check(flip(at, static_cast<int>(at % 8)), library, m, why) == seal::Problem::none;
  BOOST_TEST(tried > 1500u);
  BOOST_TEST(accepted == 0u);
  for (std::size_t i = 0; i < 24; ++i) {
    std::string error;
    std::size_t at = data.size() * i / 24;
    BOOST_TEST(!runtime::Plugin::open(write("flipped.kjp", flip(at, 3)), error), at);
  }
}

// The search path reads seals, never code: a damaged file there is named, not loaded, and
// two plugins for one programme and year are an error naming both.
BOOST_AUTO_TEST_CASE(the_search_path_reads_seals_and_refuses_duplicates) {
  auto dir = workspace().path() / "path";
  fs::create_directories(dir);
  auto data = bytes(plugin_of("rulesets/it-hojo/2026", "it-hojo-2026.kjp"));
  std::ofstream(dir / "a.kjp", std::ios::binary) << data;
  std::ofstream(dir / "cut.kjp", std::ios::binary) << data.substr(0, data.size() / 2);
  std::string error;
  {
    runtime::PluginRegistry registry({dir.string()});
    BOOST_TEST(registry.entries().size() == 1u);
    BOOST_TEST(registry.unreadable().size() == 1u);
    BOOST_TEST(registry.open("it-hojo", 2026, error) != nullptr);
    BOOST_TEST(!registry.open("it-hojo", 2025, error));
    BOOST_TEST(error.find("(1 file there could not be read: ") != std::string::npos);
    BOOST_TEST(error.find("cut.kjp: no kijun seal at its end") != std::string::npos);
  }
  std::ofstream(dir / "b.kjp", std::ios::binary) << data;
  runtime::PluginRegistry registry({dir.string()});
  BOOST_TEST(!registry.open("it-hojo", 2026, error));
  BOOST_TEST(error == "two plugins for it-hojo 2026 on the plugin search path: " + (dir / "a.kjp").string() + " and " +
                          (dir / "b.kjp").string() + "; remove one");
}

BOOST_AUTO_TEST_CASE(a_corrupt_image_is_refused) {
  auto good = plugin_of("rulesets/it-hojo/2026", "it-hojo-2026.kjp");
  // The image's format version follows its magic: make it one this kijun cannot read.
  static_assert(ir::image_format_version < 0x7f);  // one byte as written
  auto version = static_cast<char>(ir::image_format_version), other = static_cast<char>(ir::image_format_version + 1);
  auto bad = copy_with(good, "corrupt.kjp", std::string("KIJUNIR\0", 8) + version, std::string("KIJUNIR\0", 8) + other);
  std::string error;
  BOOST_TEST(!runtime::Plugin::open(bad, error));
  BOOST_TEST(error.find("corrupt plugin: ruleset image format " + std::to_string(ir::image_format_version + 1) +
                        ", this kijun reads format " + std::to_string(ir::image_format_version)) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(altered_sources_fail_the_content_hash) {
  auto good = plugin_of("rulesets/it-hojo/2026", "it-hojo-2026.kjp");
  auto bad = copy_with(good, "altered.kjp", "param max_amount: yen = 1_500_000 yen", "param max_amount: yen = 9_500_000 yen");
  std::string error;
  BOOST_TEST(!runtime::Plugin::open(bad, error));
  BOOST_TEST(error.find("content hash mismatch: the plugin records sha256:") != std::string::npos);
  BOOST_TEST(error.find("It has been altered or damaged; rebuild it from the ruleset.") != std::string::npos);
}

// A plugin loaded to decide applicants leaves its tests and description unread; they are
// read, and verified, when first asked for, and a sealed plugin whose tests do not fit its
// ruleset is refused then, with the same message each time, while its decisions stand.
BOOST_AUTO_TEST_CASE(tests_and_description_are_read_on_first_use_and_verified) {
  std::string error;
  auto good = runtime::Plugin::open(plugin_of("rulesets/it-hojo/2026", "it-hojo-2026.kjp"), error);
  BOOST_REQUIRE_MESSAGE(good, error);
  BOOST_TEST(good->ruleset().tests.empty());
  BOOST_TEST(good->ruleset().description.empty());
  BOOST_TEST(good->read_deferred(error));
  BOOST_TEST(good->ruleset().tests.size() == compile("rulesets/it-hojo/2026")->ruleset.tests.size());
  BOOST_TEST(!good->ruleset().description.empty());
  BOOST_TEST(good->read_deferred(error));

  auto c = compile("rulesets/it-hojo/2026");
  c->ruleset.tests.back().frame = 99;
  auto out = (workspace().path() / "bad-tests.kjp").string();
  BOOST_REQUIRE_MESSAGE(aot::build_plugin(c->ruleset, c->sources, c->content_hash, out, {}, error), error);
  auto bad = runtime::Plugin::open(out, error);
  BOOST_REQUIRE_MESSAGE(bad, error);
  BOOST_TEST(!bad->read_deferred(error));
  BOOST_TEST(error == out + ": corrupt plugin: inconsistent test " + std::to_string(c->ruleset.tests.size() - 1) +
                          ": frame out of range");
  std::string again;
  BOOST_TEST(!bad->read_deferred(again));
  BOOST_TEST(again == error);
  BOOST_TEST(bad->ruleset().tests.empty());
  runtime::Engine engine(std::move(bad));
  auto report = runtime::run_tests(engine);
  BOOST_TEST(report.error == error);
  BOOST_TEST(report.cases.empty());
  BOOST_TEST(runtime::test_applicants(engine, 0).empty());
}
