// kijun_compile_bench [--rules 1000,5000,10000,20000] [--print N]: how the compile time
// grows with the number of rules. For each size it generates a ruleset
// (bench/generated_ruleset.cpp), runs the front end (parse, check, lower) and then the
// JIT at O2 without a cache, and prints both times and the JIT's time per rule, so a
// super-linear step shows as a growing ratio in one run. --print N writes the generated
// source of N rules to standard output instead (to profile `kijun eval` on it).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/generated_ruleset.hpp"
#include "compiler/backend/jit.hpp"
#include "compiler/pipeline.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) { return std::chrono::duration<double, std::milli>(clock_type::now() - t).count(); }

bool parse_sizes(const char* text, std::vector<std::size_t>& out) {
  out.clear();
  for (const char* p = text; *p;) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(p, &end, 10);
    if (end == p || v == 0) return false;
    out.push_back(static_cast<std::size_t>(v));
    p = *end == ',' ? end + 1 : end;
    if (*end && *end != ',') return false;
  }
  return !out.empty();
}

int usage() {
  std::fputs("usage: kijun_compile_bench [--rules N,N,...] [--print N]\n", stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes = {1000, 5000, 10000, 20000};
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--rules") && i + 1 < argc) {
      if (!parse_sizes(argv[++i], sizes)) return usage();
    } else if (!std::strcmp(argv[i], "--print") && i + 1 < argc) {
      std::vector<std::size_t> n;
      if (!parse_sizes(argv[++i], n) || n.size() != 1) return usage();
      std::fputs(kijun::bench::generated_ruleset(n[0]).c_str(), stdout);
      return 0;
    } else {
      return usage();
    }
  }
  std::printf("kijun compile time by number of rules (one frame, generated), %s\n", kijun::jit::host_description().c_str());
  std::printf("%8s %14s %14s %14s %12s\n", "rules", "front end ms", "jit O2 ms", "jit us/rule", "vs first");
  double first_per_rule = 0;
  for (std::size_t rules : sizes) {
    std::string source = kijun::bench::generated_ruleset(rules);
    auto start = clock_type::now();
    auto c = kijun::compiler::compile_sources({{"scale.kj", source}});
    double front_ms = ms_since(start);
    if (!c->ok()) {
      std::fprintf(stderr, "error: the generated ruleset of %zu rules does not check\n", rules);
      return 1;
    }
    std::string error;
    start = clock_type::now();
    auto compiled = kijun::jit::CompiledRuleset::compile(c->ruleset, {2, {}, "", nullptr, std::nullopt}, error);
    double jit_ms = ms_since(start);
    if (!compiled) {
      std::fprintf(stderr, "error: cannot compile %zu rules: %s\n", rules, error.c_str());
      return 1;
    }
    double per_rule = jit_ms * 1000 / static_cast<double>(rules);
    if (first_per_rule == 0) first_per_rule = per_rule;
    std::printf("%8zu %14.1f %14.1f %14.1f %11.2fx\n", rules, front_ms, jit_ms, per_rule, per_rule / first_per_rule);
    std::fflush(stdout);
  }
  return 0;
}
