// What the end-to-end tests share: run the kijun program, capture its output and status.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace kijun::testing {

inline const std::string root = KIJUN_SOURCE_DIR;
inline const std::string ruleset = root + "/rulesets/it-hojo/2026";
inline const std::string examples = root + "/examples";

struct Result {
  int status = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

inline std::string temp_file(const std::string& content) {
  std::string name = (std::filesystem::temp_directory_path() / "kijun-cli-XXXXXX").string();
  int fd = mkstemp(name.data());
  BOOST_REQUIRE(fd >= 0);
  BOOST_REQUIRE(write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
  close(fd);
  return name;
}

inline Result run(const std::string& args, const std::string& stdin_text = "") {
  std::string err_file = temp_file("");
  std::string in_file;
  std::string cmd = std::string(KIJUN_BINARY) + " " + args + " 2>" + err_file;
  if (!stdin_text.empty()) {
    in_file = temp_file(stdin_text);
    cmd += " <" + in_file;
  }
  Result r;
  std::FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::FILE* e = std::fopen(err_file.c_str(), "r");
  while (e && (n = std::fread(buf.data(), 1, buf.size(), e)) > 0) r.err.append(buf.data(), n);
  if (e) std::fclose(e);
  std::remove(err_file.c_str());
  if (!in_file.empty()) std::remove(in_file.c_str());
  return r;
}

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

inline std::size_t count_lines(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  std::size_t n = 0;
  for (int c; (c = std::fgetc(f)) != EOF;) n += c == '\n';
  std::fclose(f);
  return n;
}

// A command a document quotes in a ``` block — `$ build/cli/kijun SUBCOMMAND …`, continued
// over lines ending in `\` — with the output lines quoted under it ("…", however indented,
// and blank lines stand for lines left out and are not kept).
struct QuotedRun {
  std::string command;  // from SUBCOMMAND on
  std::vector<std::string> lines;
};

inline bool elided(const std::string& line) {
  auto text = line.find_first_not_of(' ');
  return text == std::string::npos || line.compare(text, std::string::npos, "…") == 0;
}

inline std::vector<QuotedRun> quoted_runs(const std::string& doc, const std::string& subcommand) {
  const std::string prompt = "$ build/cli/kijun ";
  std::ifstream in(root + "/" + doc);
  std::vector<QuotedRun> runs;
  bool fenced = false, quoting = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) {
      fenced = !fenced;
      quoting = false;
    } else if (fenced && line.rfind(prompt + subcommand + " ", 0) == 0) {
      std::string command = line.substr(prompt.size());
      while (!command.empty() && command.back() == '\\' && std::getline(in, line)) command.pop_back(), command += line;
      runs.push_back({command, {}});
      quoting = true;
    } else if (line.rfind("$ ", 0) == 0) {
      quoting = false;
    } else if (quoting && !elided(line)) {
      runs.back().lines.push_back(line);
    }
  }
  return runs;
}

// The first quoted line that `output` does not print after the lines before it; "" if none.
inline std::string first_unprinted(const std::vector<std::string>& quoted, const std::string& output) {
  std::size_t at = 0;
  for (auto& l : quoted) {
    auto found = output.find(l + "\n", at);
    if (found == std::string::npos) return l;
    at = found + l.size();
  }
  return "";
}

}  // namespace kijun::testing
