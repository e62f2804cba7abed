// What the runtime asks of a compiler, when the program has one. The runtime library
// (libkijun_runtime) loads and runs plugins with no compiler in it; libkijun and the
// `kijun` program install a Toolchain (runtime/driver) that compiles sources and JITs them.
// The runtime sees the compiler only through this interface, so it links neither LLVM
// nor the front end.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "kijun/batch.h"
#include "kijun/extension.h"
#include "kijun/log.hpp"

namespace kijun::runtime {

class Engine;

struct NativeOptions {
  int opt_level = 2;  // 0 or 2
  LogFn log;
  // Where compiled objects are kept between runs; empty: no cache.
  std::string cache_dir;
  // One function per Ruleset::functions, or null when there are none. Must outlive the code.
  const kijun_ext_fn* extension_table = nullptr;
  // The frames compiled at once (null: every frame); the others the first time they are
  // asked for.
  std::optional<std::vector<std::uint32_t>> frames;
};

// The frames of a ruleset as native code, callable from many threads at once.
class NativeCode {
public:
  virtual ~NativeCode() = default;
  // Null when the frame cannot be compiled (the JIT logs why): decide it with the interpreter.
  virtual kijun_frame_fn frame(std::uint32_t index) const = 0;
};

struct Toolchain {
  // Compiles the frames of options.frames for this machine (the others when first asked
  // for); null with `error` when it cannot.
  std::unique_ptr<NativeCode> (*jit)(const ir::Ruleset& rs, const NativeOptions& options, std::string& error) = nullptr;
  // A ruleset source (directory or .kj file) checked and ready to evaluate, or null when it
  // has errors. `diagnostics`: its diagnostics rendered (warnings too), and on failure a
  // last line counting the errors.
  std::unique_ptr<Engine> (*compile)(const std::string& path, const LogFn& log, std::string& diagnostics) = nullptr;
  // "x86_64-pc-linux-gnu znver4": what the JIT compiles for.
  std::string (*host_description)() = nullptr;
};

// Installs the toolchain: once, before the first load (libkijun does it as it is loaded).
void install_toolchain(const Toolchain& toolchain);
// The installed toolchain; its members are null in the runtime library alone.
const Toolchain& toolchain();

// Why a source path cannot be loaded here: there is no compiler in this library.
std::string no_compiler_message(const std::string& path);

// $KIJUN_CACHE_DIR, else $XDG_CACHE_HOME/kijun, else $HOME/.cache/kijun, else empty.
std::string default_cache_dir();

}  // namespace kijun::runtime
