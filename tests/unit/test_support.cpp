#include "unit/test_support.hpp"

namespace kijun::testing {

std::unique_ptr<compiler::Compilation> compile(const std::string& body) {
  std::string text = "ruleset \"t\" {\n  fiscal_year 2026\n  version 2026-01-01\n}\n\nmodule t\n\n" + body;
  return compiler::compile_sources({{"t.kj", text}});
}

// The snippets share one set of inputs and read few of them, so the unread-input lint
// (golden-tested on its own) is left out here.
std::string diagnostics(const std::string& body) {
  auto c = compile(body);
  dsl::Diagnostics relevant;
  for (auto& d : c->diagnostics.all())
    if (d.code != dsl::Diag::unread_input) relevant.report(d.code, d.span) = d;
  return dsl::render_all(relevant, c->sources);
}

std::vector<ir::Value> inputs(const ir::Ruleset& rs, const std::map<std::string, ir::Value>& values) {
  std::vector<ir::Value> out(rs.inputs.size(), ir::Value::absent());
  for (auto& [name, v] : values) out[static_cast<std::size_t>(rs.input_index(name))] = v;
  return out;
}

}  // namespace kijun::testing
