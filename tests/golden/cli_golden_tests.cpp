// Golden command lines: each tests/golden/cli/<case>.golden starts with one kijun command
// ("$ kijun ARGS", paths relative to that directory, so that outputs name no machine path)
// and records exactly its exit status, standard output and standard error. Set
// KIJUN_UPDATE_GOLDEN=1 to re-record them.
#define BOOST_TEST_MODULE golden_cli
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>

#include "cli/cli_support.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path dir = fs::path(KIJUN_SOURCE_DIR) / "tests" / "golden" / "cli";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The case's command line, then what the command did, in the layout of the .golden file.
std::string run_case(const std::string& command) {
  auto r = kijun::testing::run(command.substr(std::string("$ kijun ").size()));
  return command + "\nexit status: " + std::to_string(r.status) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
}

}  // namespace

BOOST_AUTO_TEST_CASE(commands_give_their_recorded_status_stdout_and_stderr) {
  bool update = std::getenv("KIJUN_UPDATE_GOLDEN") != nullptr;
  std::vector<fs::path> cases;
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".golden") cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  BOOST_TEST(cases.size() >= 10u);
  fs::current_path(dir);
  for (auto& path : cases) {
    BOOST_TEST_CONTEXT(path.filename().string()) {
      auto expected = slurp(path);
      auto command = expected.substr(0, expected.find('\n'));
      BOOST_REQUIRE(command.starts_with("$ kijun "));
      auto actual = run_case(command);
      if (update) std::ofstream(path, std::ios::binary) << actual;
      BOOST_TEST(actual == expected);
    }
  }
}
