// A ruleset of any size, written as source: one frame of N rules of every kind over a few
// inputs, some sharing definitions. It measures how the compiler scales with the number
// of rules (bench/compile_scaling.cpp) and lets the resource tests run a large one.
#pragma once

#include <cstddef>
#include <string>

namespace kijun::bench {

// The text of one .kj file holding the whole ruleset; its frame is `scale`.
std::string generated_ruleset(std::size_t rules);

}  // namespace kijun::bench
