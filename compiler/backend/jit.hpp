// The ORC JIT: compiles the frames of a ruleset to native code for this CPU, each frame a
// module of its own, compiled (or loaded from the object cache) the first time it is asked
// for, or at once for the frames named. LLVM stays behind this header. A CompiledRuleset
// may be used from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/batch.hpp"
#include "compiler/ir/ir.hpp"
#include "kijun/extension.h"
#include "kijun/log.hpp"

namespace kijun::jit {

struct JitOptions {
  int opt_level = 2;  // 0 or 2 (O2 pipeline with the host's features)
  LogFn log;
  // Where compiled objects are kept between runs; empty: no cache. The key is the hash of
  // the generated LLVM IR, the target, the CPU and its features, the optimisation level
  // and the LLVM version, so a change to the rules or to the code generator never loads
  // a stale object.
  std::string cache_dir;
  // One function per Ruleset::functions (extension functions), or null when there are none
  // (calls then fault). Must outlive the compiled ruleset.
  const kijun_ext_fn* extension_table = nullptr;
  // The frames compiled before compile() returns, in parallel on the machine's cores (null:
  // every frame); the others are compiled the first time frame() is asked for them.
  std::optional<std::vector<std::uint32_t>> frames;
};

class CompiledRuleset {
public:
  ~CompiledRuleset();
  CompiledRuleset(const CompiledRuleset&) = delete;
  CompiledRuleset& operator=(const CompiledRuleset&) = delete;

  // The frame's function, compiled now if it was not yet; null when it cannot be compiled
  // (logged as an error; the caller decides with the interpreter instead).
  kijun_frame_fn frame(std::uint32_t index) const;
  // The time compile() took, and whether every frame it compiled came from the cache.
  double compile_ms() const { return compile_ms_; }
  bool from_cache() const { return from_cache_; }

  // Null with `error` set when the JIT cannot be set up or a frame of options.frames cannot
  // be compiled. `rs` must outlive the result.
  static std::unique_ptr<CompiledRuleset> compile(const ir::Ruleset& rs, const JitOptions& options, std::string& error);

private:
  struct Impl;
  CompiledRuleset() = default;
  std::unique_ptr<Impl> impl_;
  double compile_ms_ = 0;
  bool from_cache_ = false;
};

// "x86_64-pc-linux-gnu znver4": what the JIT compiles for.
std::string host_description();

// The LLVM IR of every frame, one module after another, after the same optimisation the JIT
// applies to each (for --dump llvm).
std::string optimised_llvm(const ir::Ruleset& rs, int opt_level, std::string& error);

}  // namespace kijun::jit
