// Explained and recorded decisions end to end: `eval --explain`, `eval --record` with
// `kijun replay`, and the worked examples of docs/rulesets/it-hojo.md evaluated by the JIT
// and by the interpreter.
#define BOOST_TEST_MODULE decisions
#include <boost/test/unit_test.hpp>

#include <map>
#include <regex>
#include <set>

#include "cli/cli_support.hpp"

using namespace kijun::testing;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_path(const std::string& stem) {
  return (std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(getpid()))).string();
}

// The ids of the rules in one list of an output line: "failed":[{"rule":"a",…},…].
std::multiset<std::string> rule_ids(const std::string& line, const std::string& list) {
  std::multiset<std::string> ids;
  auto start = line.find("\"" + list + "\":[");
  if (start == std::string::npos) return ids;
  auto end = line.find(']', start);
  std::string part = line.substr(start, end - start);
  std::regex rule("\"rule\":\"([a-z0-9_]+)\"");
  for (std::sregex_iterator it(part.begin(), part.end(), rule), stop; it != stop; ++it) ids.insert((*it)[1]);
  return ids;
}

std::multiset<std::string> listed(const std::string& value) {
  std::multiset<std::string> ids;
  std::istringstream in(value);
  for (std::string id; std::getline(in, id, ',');) {
    id.erase(0, id.find_first_not_of(' '));
    id.erase(id.find_last_not_of(' ') + 1);
    if (!id.empty()) ids.insert(id);
  }
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_CASE(eval_explain_adds_the_explanation_to_each_result) {
  auto input = examples + "/it-hojo-2026/malformed.jsonl";
  auto plain = lines(run("eval " + ruleset + " --frame security --input " + input).out);
  auto explained = lines(run("eval " + ruleset + " --frame security --input " + input + " --explain --lang en").out);
  BOOST_REQUIRE_EQUAL(plain.size(), explained.size());
  std::size_t with = 0;
  for (std::size_t i = 0; i < plain.size(); ++i) {
    bool is_result = plain[i].find("\"error\"") == std::string::npos;
    if (!is_result) {
      BOOST_TEST(explained[i] == plain[i]);
      continue;
    }
    ++with;
    // The result's fields unchanged, then the explanation.
    BOOST_TEST(explained[i].find(plain[i].substr(0, plain[i].size() - 1) + ",\"explanation\":{") == 0u);
  }
  BOOST_TEST(with > 0u);
}

BOOST_AUTO_TEST_CASE(recorded_decisions_replay_identically) {
  auto records = temp_path("kijun-decisions");
  std::filesystem::remove(records);
  for (auto frame : {"security", "normal", "invoice", "e_transaction", "multi_party"}) {
    auto r = run(std::string("eval ") + ruleset + " --frame " + frame + " --input " + examples + "/it-hojo-2026/" + frame +
                 ".jsonl --record " + records);
    BOOST_TEST(r.status == 0);
  }
  auto interp = run("eval " + root + "/rulesets/it-hojo/2025 --engine interp --as-of 2025-06-01 --frame security --input " +
                    examples + "/it-hojo-2026/security.jsonl --record " + records);
  BOOST_TEST(interp.status == 0);
  // Malformed records get error lines but no decision record; evaluation faults get both,
  // and so does M011, decided with a warning about its misspelt field.
  auto malformed = run("eval " + ruleset + " --frame security --input " + examples + "/it-hojo-2026/malformed.jsonl --record " + records);
  BOOST_TEST(malformed.status == 1);
  auto replay = run("replay " + records);
  BOOST_TEST(replay.status == 0);
  BOOST_TEST(lines(replay.out).back() == "103 decisions replayed: 103 identical, 0 not");
  std::filesystem::remove(records);
}

BOOST_AUTO_TEST_CASE(replay_reports_a_changed_decision_and_a_changed_ruleset) {
  auto dir = temp_path("kijun-replay-ruleset");
  std::filesystem::remove_all(dir);
  std::filesystem::copy(ruleset, dir);
  auto records = temp_path("kijun-replay-records");
  std::filesystem::remove(records);
  run("eval " + dir + " --frame security --input " + examples + "/it-hojo-2026/security.jsonl --record " + records);
  // An altered output is caught.
  auto text = slurp(records);
  auto at = text.find("\"amount_yen\":300000");
  BOOST_REQUIRE(at != std::string::npos);
  std::string altered = text;
  altered.replace(at, 19, "\"amount_yen\":300001");
  auto altered_path = records + "-altered";
  std::ofstream(altered_path) << altered;
  auto r = run("replay " + altered_path);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out.find(": decision not reproduced: the output differs\n    recorded: ") != std::string::npos);
  BOOST_TEST(lines(r.out).back() == "30 decisions replayed: 29 identical, 1 not");
  // Rules changed since the decision are reported, not silently used.
  std::ofstream(dir + "/security.kj", std::ios::app) << "\n# amended\n";
  auto changed = run("replay " + records);
  BOOST_TEST(changed.status == 1);
  BOOST_TEST(changed.out.find("decision not reproduced: the ruleset now hashes to sha256:") != std::string::npos);
  BOOST_TEST(lines(changed.out).back() == "30 decisions replayed: 0 identical, 30 not");
  // --ruleset points the replay at the original rules.
  auto original = run("replay " + records + " --ruleset " + ruleset);
  BOOST_TEST(original.status == 0);
  std::filesystem::remove_all(dir);
  std::filesystem::remove(records);
  std::filesystem::remove(altered_path);
}

// Every `example` block of the ruleset guide: the applicant named, evaluated by both
// engines, must give identical lines with every field the block lists.
BOOST_AUTO_TEST_CASE(worked_examples_in_the_docs_hold_by_jit_and_interpreter) {
  auto doc = slurp(root + "/docs/rulesets/it-hojo.md");
  std::regex block("```example\n([\\s\\S]*?)```");
  std::size_t examples_seen = 0;
  for (std::sregex_iterator it(doc.begin(), doc.end(), block), stop; it != stop; ++it) {
    ++examples_seen;
    std::map<std::string, std::string> fields;
    std::vector<std::pair<std::string, std::string>> expected;
    for (auto& line : lines((*it)[1])) {
      auto colon = line.find(':');
      BOOST_REQUIRE_MESSAGE(colon != std::string::npos, "example line without `key:` — " << line);
      auto key = line.substr(0, colon);
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (key == "ruleset" || key == "frame" || key == "applicant") fields[key] = value;
      else expected.emplace_back(key, value);
    }
    auto in = fields["applicant"].find(" in ");
    BOOST_REQUIRE(in != std::string::npos);
    auto id = fields["applicant"].substr(0, in);
    auto file = root + "/" + fields["applicant"].substr(in + 4);
    BOOST_TEST_CONTEXT(fields["ruleset"] << " " << fields["frame"] << " " << id) {
      std::string outputs[2];
      int e = 0;
      for (auto engine : {"jit", "interp"}) {
        auto r = run("eval " + root + "/" + fields["ruleset"] + " --frame " + fields["frame"] + " --engine " + engine +
                     " --input " + file);
        for (auto& l : lines(r.out))
          if (l.find("{\"id\":\"" + id + "\",") == 0) outputs[e] = l;
        ++e;
      }
      BOOST_REQUIRE(!outputs[0].empty());
      BOOST_TEST(outputs[0] == outputs[1]);
      for (auto& [key, value] : expected) {
        if (key == "failed" || key == "bonus" || key == "penalty") {
          BOOST_TEST(rule_ids(outputs[0], key) == listed(value), key << " of " << id);
        } else {
          auto at = outputs[0].find("\"" + key + "\":" + value);
          bool ends = at != std::string::npos &&
                      (outputs[0][at + key.size() + 3 + value.size()] == ',' || outputs[0][at + key.size() + 3 + value.size()] == '}');
          BOOST_TEST(ends, key << " of " << id << " is not " << value << " in " << outputs[0]);
        }
      }
    }
  }
  BOOST_TEST(examples_seen >= 12u);
}
