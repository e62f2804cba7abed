// Must not build: the IR is below the LLVM back end (tests/CMakeLists.txt, layering tests).
#include "compiler/backend/jit.hpp"
