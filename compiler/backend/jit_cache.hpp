// The JIT's object cache: one object per frame module, named by a key that covers
// everything its code depends on, stored whole or not at all.
#pragma once

#include <memory>
#include <string>

#include "kijun/log.hpp"

namespace llvm {
class MemoryBuffer;
class StringRef;
}  // namespace llvm

namespace kijun::jit {

// Writes `bytes` to `path` with their SHA-256 and a marker after them, via a temporary file
// of its own and a rename: a reader never sees half an object; a failure is a warning.
void store_object(const std::string& path, llvm::StringRef bytes, const LogFn& log);
// The object cached at `path` if it is whole and matches its digest, else null; a damaged
// one is removed (with a warning) so that it is compiled again and replaced.
std::unique_ptr<llvm::MemoryBuffer> load_object(const std::string& path, const LogFn& log);

}  // namespace kijun::jit
