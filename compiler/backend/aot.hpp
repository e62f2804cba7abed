// Ahead-of-time compilation: a ruleset becomes a plugin shared library (include/kijun/plugin.h)
// holding the native code of every frame and the ruleset image.
#pragma once

#include <string>

#include "compiler/ir/ir.hpp"
#include "compiler/ir/keys.hpp"
#include "dsl/support/source.hpp"
#include "kijun/log.hpp"

namespace kijun::aot {

struct BuildOptions {
  std::string cpu;            // empty: this machine's CPU; "x86-64-v2" etc. for portable code
  std::string linker = "cc";  // the C compiler driver that links the shared library
  LogFn log;
  const keys::SecretKey* sign = nullptr;  // sign the seal with this key (compiler/ir/seal.hpp)
};

// Whether LLVM knows `cpu` as a processor of this machine's target (an unknown one would
// abort inside LLVM); false with `error` saying which names are meant.
bool known_cpu(const std::string& cpu, std::string& error);

// Writes the plugin to `output`; false with `error` when it cannot.
bool build_plugin(const ir::Ruleset& rs, const dsl::SourceSet& sources, const std::string& content_hash,
                  const std::string& output, const BuildOptions& options, std::string& error);

}  // namespace kijun::aot
