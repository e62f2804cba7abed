#include "compiler/ir/isa.hpp"

#include <array>

namespace kijun::isa {

namespace {

// GCC's __builtin_cpu_supports takes only literal names, and checks the OS's support for
// the wider registers (XSAVE) too. Its names differ from LLVM's in two places.
#define KIJUN_ISA(llvm_name, gcc_name) Feature{llvm_name, __builtin_cpu_supports(gcc_name) != 0}

std::array<Feature, 36> detect() {
  __builtin_cpu_init();
  return {KIJUN_ISA("cmov", "cmov"), KIJUN_ISA("sse", "sse"), KIJUN_ISA("sse2", "sse2"), KIJUN_ISA("sse3", "sse3"),
          KIJUN_ISA("ssse3", "ssse3"), KIJUN_ISA("sse4.1", "sse4.1"), KIJUN_ISA("sse4.2", "sse4.2"),
          KIJUN_ISA("popcnt", "popcnt"), KIJUN_ISA("lzcnt", "lzcnt"), KIJUN_ISA("bmi", "bmi"), KIJUN_ISA("bmi2", "bmi2"),
          KIJUN_ISA("movbe", "movbe"), KIJUN_ISA("cx16", "cmpxchg16b"), KIJUN_ISA("sahf", "lahf_lm"),
          KIJUN_ISA("xsave", "xsave"), KIJUN_ISA("avx", "avx"), KIJUN_ISA("avx2", "avx2"), KIJUN_ISA("fma", "fma"),
          KIJUN_ISA("f16c", "f16c"), KIJUN_ISA("adx", "adx"), KIJUN_ISA("aes", "aes"), KIJUN_ISA("pclmul", "pclmul"),
          KIJUN_ISA("sha", "sha"), KIJUN_ISA("gfni", "gfni"), KIJUN_ISA("vaes", "vaes"),
          KIJUN_ISA("vpclmulqdq", "vpclmulqdq"), KIJUN_ISA("avx512f", "avx512f"), KIJUN_ISA("avx512bw", "avx512bw"),
          KIJUN_ISA("avx512cd", "avx512cd"), KIJUN_ISA("avx512dq", "avx512dq"), KIJUN_ISA("avx512vl", "avx512vl"),
          KIJUN_ISA("avx512vbmi", "avx512vbmi"), KIJUN_ISA("avx512vbmi2", "avx512vbmi2"),
          KIJUN_ISA("avx512ifma", "avx512ifma"), KIJUN_ISA("avx512vnni", "avx512vnni"),
          KIJUN_ISA("avx512bitalg", "avx512bitalg")};
}

#undef KIJUN_ISA

}  // namespace

std::span<const Feature> features() {
  static const auto table = detect();
  return table;
}

std::vector<std::string> missing(const std::string& required) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < required.size()) {
    auto comma = required.find(',', start);
    auto name = required.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? required.size() : comma + 1;
    if (name.empty()) continue;
    bool here = false;
    for (auto& f : features())
      if (name == f.name) here = f.here;
    if (!here) out.push_back(name);
  }
  return out;
}

}  // namespace kijun::isa
