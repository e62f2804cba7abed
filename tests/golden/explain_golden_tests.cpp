// Golden explanations: `kijun explain` of chosen applicants of the it-hojo 2026 ruleset must
// print exactly what is recorded under tests/golden/explain/. A case is a file
// <frame>/<id>.<form>: the applicant <id> of examples/it-hojo-2026/<frame>.jsonl, explained
// as text in Japanese (form ja.txt, the default language), in English (en.txt), or as JSON
// (json, in English). To add a case, create its file empty and re-record; when the ruleset
// changes on purpose, re-record every case and review the diff:
//   KIJUN_UPDATE_GOLDEN=1 build/tests/explain_golden_tests
#define BOOST_TEST_MODULE explain_golden
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "cli/cli_support.hpp"

namespace fs = std::filesystem;
using namespace kijun::testing;

namespace {

const fs::path cases_dir = fs::path(root) / "tests" / "golden" / "explain";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The options that give a case's form; none when the file is not a case.
std::optional<std::string> form_options(const std::string& filename) {
  if (filename.ends_with(".ja.txt")) return "";
  if (filename.ends_with(".en.txt")) return " --lang en";
  if (filename.ends_with(".json")) return " --lang en --json";
  return std::nullopt;
}

std::vector<fs::path> cases() {
  std::vector<fs::path> out;
  for (auto& e : fs::recursive_directory_iterator(cases_dir))
    if (e.is_regular_file() && form_options(e.path().filename().string())) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(explanations_print_what_is_recorded) {
  bool update = std::getenv("KIJUN_UPDATE_GOLDEN") != nullptr;
  std::size_t seen = 0;
  for (auto& path : cases()) {
    std::string frame = path.parent_path().filename().string();
    std::string file = path.filename().string();
    std::string id = file.substr(0, file.find('.'));
    BOOST_TEST_CONTEXT(frame << "/" << file) {
      auto r = run("explain " + ruleset + " --frame " + frame + " --input " + examples + "/it-hojo-2026/" + frame +
                   ".jsonl --id " + id + *form_options(file));
      BOOST_TEST(r.status == 0);
      BOOST_TEST(r.err == "");
      if (update) std::ofstream(path, std::ios::binary) << r.out;
      BOOST_TEST(r.out == slurp(path));
    }
    ++seen;
  }
  // The 2-1-2(1) ownership and income fractions, each in three forms.
  BOOST_TEST(seen >= 9u);
}

// `eval --explain` embeds the same JSON as `explain --json` (the C++ and C APIs are held to
// it in tests/library and tests/c_api).
BOOST_AUTO_TEST_CASE(eval_explain_embeds_the_recorded_json) {
  for (auto& path : cases()) {
    if (path.extension() != ".json") continue;
    std::string frame = path.parent_path().filename().string();
    std::string id = path.stem().string();
    BOOST_TEST_CONTEXT(frame << "/" << id) {
      auto r = run("eval " + ruleset + " --frame " + frame + " --input " + examples + "/it-hojo-2026/" + frame +
                   ".jsonl --explain --lang en");
      const std::string key = ",\"explanation\":";
      std::string embedded;
      for (auto& line : lines(r.out)) {
        auto at = line.find(key);
        if (!line.starts_with("{\"id\":\"" + id + "\",") || at == std::string::npos) continue;
        auto begin = at + key.size();
        embedded = line.substr(begin, line.size() - begin - 1) + "\n";  // less the result's closing brace
      }
      BOOST_TEST(embedded == slurp(path));
    }
  }
}

// The explanations README.md quotes are what kijun prints: the text under each quoted
// `kijun explain` (in order, "…" standing for lines left out), and the JSON reason of
// A013 in the recorded JSON.
BOOST_AUTO_TEST_CASE(the_readme_quotes_real_explanations) {
  std::filesystem::current_path(root);
  std::size_t checked = 0;
  for (auto& q : quoted_runs("README.md", "explain")) {
    auto missing = first_unprinted(q.lines, run(q.command).out);
    BOOST_TEST(missing.empty(), "`" << q.command << "` does not print, where quoted: " << missing);
    checked += q.lines.size();
  }
  BOOST_TEST(checked > 10u);
  auto readme = slurp(fs::path(root) / "README.md");
  auto begin = readme.find("```json\n{\"depth\":");
  BOOST_REQUIRE(begin != std::string::npos);
  begin += 8;
  std::string reason;
  for (auto& line : lines(readme.substr(begin, readme.find("```", begin) - begin)))
    reason += line.substr(line.starts_with(" ") ? 1 : 0);
  BOOST_TEST(slurp(cases_dir / "security" / "A013.json").find(reason) != std::string::npos, reason);
}
