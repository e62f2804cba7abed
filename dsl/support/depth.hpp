// How deep an evaluation may nest: the checker refuses deeper sources (K0012) and the image
// verifier deeper images, so neither the interpreter nor explain can exhaust the stack.
#pragma once

#include <cstddef>

namespace kijun::dsl {

// How deep evaluating a definition, table key or rule may go, counting the definitions and
// tables it reads (each reading nests its expression inside the reader's). Checked after
// typing (K0012): the checker, the interpreter, the code generator and explain recurse on it.
inline constexpr std::size_t max_evaluation_depth = 1000;

}  // namespace kijun::dsl
