// Must not build: the runtime knows the compiler only through runtime/toolchain.hpp.
#include "compiler/pipeline.hpp"
