// Linked whole into libkijun (and the programs built on the full library): installing
// the toolchain as the library is loaded is what makes it the full library.
#include "runtime/driver/driver.hpp"

namespace {

[[maybe_unused]] const bool installed = (kijun::driver::install_toolchain(), true);

}  // namespace
