// `kijun fmt` on any source that parses: formatting is idempotent, and the formatted text
// parses without errors.
#include "dsl/formatter.hpp"
#include "dsl/parser.hpp"
#include "fuzz/fuzz_target.hpp"

namespace {

bool formatted(const std::string& text, std::string& out) {
  kijun::dsl::SourceSet sources;
  auto file = sources.add("fuzz.kj", text);
  kijun::dsl::Ast ast;
  kijun::dsl::Diagnostics diags;
  auto module = kijun::dsl::parse_file(sources, file, ast, diags);
  if (diags.has_errors()) return false;
  out = kijun::dsl::format_module(ast, sources, module);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string once, twice;
  if (!formatted(std::string(kijun::fuzz::text(data, size)), once)) return 0;
  KIJUN_FUZZ_CHECK(formatted(once, twice));
  KIJUN_FUZZ_CHECK(once == twice);
  return 0;
}
