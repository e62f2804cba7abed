// kijun check RULESET: parse and type-check; diagnostics; exit 1 on errors. --dump-after
// PASS prints what a pass of the pipeline leaves, for debugging the compiler and for golden
// tests of each pass.
#include <cstdio>
#include <string>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "compiler/backend/jit.hpp"
#include "dsl/formatter.hpp"

namespace kijun::cli {

namespace {

// What `pass` left in `c`, as text: the sources read, each file as the parser (or the
// amendments) left it in canonical form, the diagnostics so far, or the IR.
std::string after_pass(std::string_view pass, const compiler::Compilation& c) {
  std::string out;
  if (pass == "read") {
    for (std::size_t i = 0; i < c.sources.size(); ++i) {
      const auto& f = c.sources.file(static_cast<dsl::FileId>(i));
      out += dsl::source_name(c.sources, static_cast<dsl::FileId>(i)) + " (" + std::to_string(f.text.size()) + " bytes)\n";
    }
  } else if (pass == "parse") {
    const auto& files = c.program.ast.files;
    for (std::size_t i = 0; i < files.size(); ++i)
      out += "# " + dsl::source_name(c.sources, static_cast<dsl::FileId>(i)) + "\n" +
             dsl::format_module(c.program.ast, c.sources, files[i]);
  } else if (pass == "amend") {
    // The declarations of each module once the inherited files are in and the amendments
    // applied (replaced, added and removed declarations; removed tests).
    for (const auto& m : c.program.ast.files) {
      if (m.unparsed) continue;
      out += "# " + dsl::source_name(c.sources, m.file) + ": module " + m.module.name + "\n";
      for (const auto& item : m.items)
        if (!item.valueless_by_exception()) out += "  " + dsl::item_kind(item) + " " + dsl::item_name(item) + "\n";
      for (const auto& f : m.frames) out += "  frame " + f.name.name + "\n";
      for (const auto& t : m.tests) out += "  test \"" + t.name.value + "\"\n";
    }
  } else if (pass == "check" || pass == "lint") {
    out = dsl::render_all(c.diagnostics, c.sources);
    if (out.empty()) out = "no diagnostics\n";
  } else {
    out = ir::dump(c.ruleset);
  }
  return out;
}

// --dump-after PASS: the front end's passes print as they finish; codegen and optimise
// print LLVM IR once the ruleset has checked. False when the pipeline stopped before PASS.
bool dump_after(const std::string& pass, const compiler::Compilation& c, const std::string& captured) {
  if (pass == "codegen" || pass == "optimise") {
    if (!c.ok()) return false;
    std::string error;
    auto text = jit::optimised_llvm(c.ruleset, pass == "optimise" ? 2 : 0, error);
    if (!error.empty()) std::fprintf(stderr, "error: %s\n", error.c_str());
    std::fputs(text.c_str(), stdout);
    return true;
  }
  if (captured.empty()) return false;
  std::fputs(captured.c_str(), stdout);
  return true;
}

}  // namespace

int run_check(const CheckOptions& o, const LogFn& log) {
  if (refuse_plugin(o.ruleset, "check")) return exit_usage;
  bool json = o.diagnostics == "json";
  std::string captured;
  compiler::CompileOptions options{log, {}};
  if (!o.dump_after.empty())
    options.after = [&](std::string_view pass, const compiler::Compilation& c) {
      if (pass == o.dump_after) captured = after_pass(pass, c);
    };
  auto c = compiler::compile_path(o.ruleset, options);
  if (!o.dump_after.empty() && !dump_after(o.dump_after, *c, captured))
    std::fprintf(stderr, "error: --dump-after %s: the pipeline stopped before it (see the errors below)\n", o.dump_after.c_str());
  print_diagnostics(*c, json);
  auto errors = c->diagnostics.error_count();
  auto warnings = c->diagnostics.warning_count();
  if (!c->ok() || (o.strict && warnings > 0)) {
    std::fprintf(stderr, "%s: %zu error%s, %zu warning%s%s\n", o.ruleset.c_str(), errors, errors == 1 ? "" : "s", warnings,
                 warnings == 1 ? "" : "s", o.strict && warnings ? " (errors under --strict)" : "");
    return exit_failure;
  }
  if (o.dump == "ir") std::fputs(ir::dump(c->ruleset).c_str(), stdout);
  if (o.dump == "llvm") {
    std::string error;
    auto text = jit::optimised_llvm(c->ruleset, 2, error);
    if (!error.empty()) std::fprintf(stderr, "error: %s\n", error.c_str());
    std::fputs(text.c_str(), stdout);
  }
  const auto& rs = c->ruleset;
  // With a dump, the dump is stdout; the summary moves to stderr.
  std::fprintf(o.dump.empty() && o.dump_after.empty() ? stdout : stderr, "%s: ok — %s %lld, %zu frame%s, %zu rules, %zu inputs, %zu warning%s\n",
              o.ruleset.c_str(), rs.programme.c_str(),
              static_cast<long long>(rs.fiscal_year), rs.frames.size(), rs.frames.size() == 1 ? "" : "s", rs.rules.size(),
              rs.inputs.size(), warnings, warnings == 1 ? "" : "s");
  return exit_ok;
}

}  // namespace kijun::cli
