// The libFuzzer entry point every target defines. Built with clang's -fsanitize=fuzzer for
// `make fuzz`, or with replay_main.cpp, which feeds it each file of a checked-in corpus, for
// `make test` and the sanitizer build in CI.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace kijun::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A property that does not hold is a bug: stop where a fuzzer and a debugger see it.
[[noreturn]] void fail(const char* what);
#define KIJUN_FUZZ_CHECK(cond) ((cond) ? (void)0 : ::kijun::fuzz::fail(#cond))

}  // namespace kijun::fuzz
