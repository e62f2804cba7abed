#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_target.hpp"

namespace kijun::fuzz {

void fail(const char* what) {
  std::fprintf(stderr, "fuzz property failed: %s\n", what);
  std::abort();
}

}  // namespace kijun::fuzz
