// The front end on any bytes: parse, check, lower and lint give diagnostics or a ruleset,
// never a crash, a hang or an exception; a ruleset that checks can be interpreted.
#include "compiler/pipeline.hpp"
#include "fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto c = kijun::compiler::compile_sources({{"fuzz.kj", std::string(kijun::fuzz::text(data, size))}});
  KIJUN_FUZZ_CHECK(c != nullptr);
  KIJUN_FUZZ_CHECK(c->ok() == !c->diagnostics.has_errors());
  (void)kijun::dsl::render_all(c->diagnostics, c->sources);
  return 0;
}
