// The columnar batch of compiled frames (include/kijun/batch.h), with C++ helpers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kijun/batch.h"

namespace kijun::ir {
inline constexpr std::uint32_t def_site_flag = 0x80000000u;
// uint64 words per row of a frame's rule bitsets.
inline std::uint32_t bitset_words(std::size_t rules) { return static_cast<std::uint32_t>((rules + 63) / 64); }
}  // namespace kijun::ir
