// The driver: from a ruleset's sources to an engine ready to decide, with the front end
// and the LLVM back end behind the runtime's Toolchain interface. libkijun and the
// `kijun` program install it; the runtime library alone has no driver.
#pragma once

#include <memory>
#include <string>

#include "compiler/pipeline.hpp"
#include "runtime/engine.hpp"

namespace kijun::driver {

// Installs the front end and the JIT as the runtime's toolchain. Idempotent.
void install_toolchain();

// The engine of a compilation that checked (c->ok()): it owns the compilation.
std::unique_ptr<runtime::Engine> engine_of(std::shared_ptr<const compiler::Compilation> c);

// The checked compilation behind an engine built from sources; null for a plugin.
inline const compiler::Compilation* compilation_of(const runtime::Engine& e) { return e.owner_as<compiler::Compilation>(); }

}  // namespace kijun::driver
