// The kijun subcommands. main.cpp parses the command line (CLI11 lives only there);
// each command is a plain function returning the exit status: 0 ok, 1 rule, test or
// data errors, 2 usage errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kijun/log.hpp"

namespace kijun::cli {

enum Exit { exit_ok = 0, exit_failure = 1, exit_usage = 2 };

struct CheckOptions {
  std::string ruleset;
  std::string diagnostics = "text";
  std::string dump;
  std::string dump_after;  // a pass of compiler::passes, or codegen / optimise
  bool strict = false;  // warnings fail the check
};

struct EvalOptions {
  std::string ruleset;
  std::string frame;
  std::string input = "-";
  std::string format;  // jsonl | csv; empty: from the file name
  std::string as_of;
  std::string engine = "jit";  // jit | interp
  std::size_t threads = 1;
  std::string plugin_path;
  std::string lang = "ja";  // explanations: ja | en
  bool explain = false;     // eval: add each decision's explanation to its line
  std::string record;       // eval: append a decision record per evaluation to this file
  bool strict_fields = false;  // a field no input knows makes its record an error line
  std::vector<std::string> trusted_keys;  // a plugin must be signed by one of these (.pub files)
};

struct BuildOptions {
  std::string ruleset;
  std::string output;
  std::string cpu;
  std::string sign;  // secret key file (.key) to sign the plugin with
};

struct KeygenOptions {
  std::string out;  // writes OUT.key and OUT.pub
  std::string comment;
};

struct ExplainOptions {
  EvalOptions eval;
  std::string id;
  bool json = false;  // the explanation as JSON instead of text
};

// Applicants per frame a behavioural diff generates when no population is given.
constexpr std::size_t default_population = 20000;

struct DiffOptions {
  std::string old_version, new_version;  // ruleset directory or plugin [@YYYY-MM-DD]
  std::string population, population_format;
  std::size_t generate = 0;  // 0: default_population, unless a population file is given
  std::uint64_t seed = 1;
  std::vector<std::string> frames;
  bool structure_only = false;
  std::string format = "text", output, colour = "auto";
  unsigned threads = 2;
  std::size_t examples = 3;
  std::string plugin_path;
  std::vector<std::string> trusted_keys;
};

struct ReplayOptions {
  std::string file;
  std::string ruleset;  // instead of the source each record names
  std::string plugin_path;
  std::vector<std::string> trusted_keys;
};

struct TestOptions {
  std::string ruleset;
  bool require_full_coverage = false;
  bool strict = false;
  std::string engine = "interp";  // what decides each test; coverage is always traced by the interpreter
};

struct FmtOptions {
  std::vector<std::string> paths;
  bool check = false;
  bool write = false;
};

struct BenchOptions {
  std::string ruleset;
  std::string frame;
  std::size_t n = 1'000'000;
  std::uint64_t seed = 1;
};

struct GenerateOptions {
  std::string ruleset;
  std::string frame;
  std::size_t n = 1000;
  std::uint64_t seed = 1;
  std::vector<std::string> trusted_keys;
};

int run_bench(const BenchOptions& o, const LogFn& log);
int run_generate(const GenerateOptions& o, const LogFn& log);
int run_build(const BuildOptions& o, const LogFn& log);
int run_keygen(const KeygenOptions& o);
int run_check(const CheckOptions& o, const LogFn& log);
int run_eval(const EvalOptions& o, const LogFn& log);
int run_explain(const ExplainOptions& o, const LogFn& log);
int run_replay(const ReplayOptions& o, const LogFn& log);
int run_diff(const DiffOptions& o, const LogFn& log);
int run_test(const TestOptions& o, const LogFn& log);
int run_fmt(const FmtOptions& o, const LogFn& log);

}  // namespace kijun::cli
