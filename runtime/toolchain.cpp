#include "runtime/toolchain.hpp"

#include <cstdlib>

namespace kijun::runtime {

namespace {

Toolchain& installed() {
  static Toolchain t;
  return t;
}

}  // namespace

void install_toolchain(const Toolchain& toolchain) { installed() = toolchain; }

const Toolchain& toolchain() { return installed(); }

std::string no_compiler_message(const std::string& path) {
  return path + ": a ruleset source, and this is the kijun runtime library, which runs plugins only: build one "
                "with `kijun build`, or link libkijun to compile sources";
}

std::string default_cache_dir() {
  if (const char* dir = std::getenv("KIJUN_CACHE_DIR")) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/kijun";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/kijun";
  return "";
}

}  // namespace kijun::runtime
