// The ruleset image reader (plugins carry one) on any bytes: it refuses or gives a
// ruleset whose every index is in range and whose evaluation ends; such a ruleset is then
// evaluated on an applicant with every input absent.
#include "compiler/ir/image.hpp"
#include "compiler/ir/interpreter.hpp"
#include "fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kijun::ir::Ruleset rs;
  kijun::dsl::SourceSet sources;
  std::string error;
  if (!kijun::ir::read_image(kijun::fuzz::text(data, size), rs, sources, error)) {
    KIJUN_FUZZ_CHECK(!error.empty());
    return 0;
  }
  // Extension calls need their library; an image that makes them is left unevaluated.
  if (!rs.functions.empty()) return 0;
  std::vector<kijun::ir::Value> values(rs.inputs.size(), kijun::ir::Value::absent());
  kijun::ir::Interpreter interp(rs);
  for (std::uint32_t f = 0; f < rs.frames.size(); ++f) (void)interp.evaluate(f, values.data(), 20'600);
  return 0;
}
