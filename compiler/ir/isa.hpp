// The x86-64 instruction-set extensions a plugin's code may use, by LLVM's names, and
// whether this machine has each. `kijun build` records those of the CPU it compiles for in
// the plugin's seal; the runtime loads a plugin only where every one is present. So the
// runtime decides "does this plugin run here" without LLVM, and code built for one CPU runs
// on any other that has its extensions.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace kijun::isa {

struct Feature {
  const char* name;  // as LLVM names it ("avx2", "sse4.2", "cx16")
  bool here;         // this machine has it (and the OS enables its registers)
};

// Every extension the code generator might use, as far as instructions go; tuning flags
// ("fast-…", "slow-…") are not extensions and are not here.
std::span<const Feature> features();

// The names in `required` (comma-separated) this machine lacks, in order; a name not in
// features() counts as lacking (a newer kijun's extension this runtime cannot check).
std::vector<std::string> missing(const std::string& required);

}  // namespace kijun::isa
