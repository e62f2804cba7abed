// Builds: the control beside the refused includes, so that they fail for the right reason.
#include "compiler/ir/interpreter.hpp"
#include "runtime/engine.hpp"
