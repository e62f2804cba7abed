// Golden diagnostics: every tests/golden/check/bad case (a .kj file, or a directory of
// them) must produce exactly the diagnostics recorded beside it in <case>.expected, and
// must report the code its name starts with. Set KIJUN_UPDATE_GOLDEN=1 to re-record.
#define BOOST_TEST_MODULE golden
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/pipeline.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path root = fs::path(KIJUN_SOURCE_DIR) / "tests" / "golden" / "check";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compiles one case: a file, or a ruleset directory (which may extend a ruleset in a
// subdirectory of it). Paths are relative to the cases' directory, so outputs name no
// machine path.
std::unique_ptr<kijun::compiler::Compilation> compile_case(const fs::path& entry) {
  if (!fs::is_directory(entry))
    return kijun::compiler::compile_sources({{entry.filename().string(), slurp(entry)}});
  auto here = fs::current_path();
  fs::current_path(entry.parent_path());
  auto c = kijun::compiler::compile_path(entry.filename().string());
  fs::current_path(here);
  return c;
}

std::vector<fs::path> cases(const fs::path& dir) {
  std::vector<fs::path> out;
  for (auto& e : fs::directory_iterator(dir))
    if (e.is_directory() || e.path().extension() == ".kj") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(bad_rulesets_give_their_recorded_diagnostics) {
  bool update = std::getenv("KIJUN_UPDATE_GOLDEN") != nullptr;
  std::set<std::string> codes;
  for (auto& entry : cases(root / "bad")) {
    std::string name = entry.stem().string();
    BOOST_TEST_CONTEXT(name) {
      auto c = compile_case(entry);
      std::string actual = kijun::dsl::render_all(c->diagnostics, c->sources);
      fs::path expected_path = root / "bad" / (name + ".expected");
      if (update) std::ofstream(expected_path, std::ios::binary) << actual;
      BOOST_TEST(actual == slurp(expected_path));
      std::string code = name.substr(0, 5);
      BOOST_TEST(actual.find("[" + code + "]") != std::string::npos, name << " does not report " << code);
      codes.insert(code);
    }
  }
  BOOST_TEST(codes.size() >= 30u);
}

BOOST_AUTO_TEST_CASE(good_rulesets_check_without_diagnostics) {
  for (auto& entry : cases(root / "good")) {
    BOOST_TEST_CONTEXT(entry.filename().string()) {
      auto c = compile_case(entry);
      BOOST_TEST(c->ok());
      BOOST_TEST(kijun::dsl::render_all(c->diagnostics, c->sources) == "");
    }
  }
}
