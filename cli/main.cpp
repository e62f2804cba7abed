// The kijun command line. CLI11 is confined to this file (it is slow to compile).
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"

namespace {

kijun::LogFn make_logger(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("kijun");
  logger->set_pattern("kijun: [%l] %v");
  logger->set_level(spdlog::level::from_str(level));
  return [logger](kijun::LogLevel l, std::string_view message) {
    static const spdlog::level::level_enum map[] = {spdlog::level::trace, spdlog::level::debug, spdlog::level::info,
                                                    spdlog::level::warn, spdlog::level::err};
    logger->log(map[static_cast<int>(l)], "{}", message);
  };
}

// --trusted-key, wherever a plugin may be loaded.
void add_trusted_key(CLI::App* sub, std::vector<std::string>& keys) {
  sub->add_option("--trusted-key", keys,
                  "Load only plugins signed by this public key (.pub; repeatable; default: $KIJUN_TRUSTED_KEYS, "
                  "colon-separated). Giving any requires a signature");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kijun::cli;
  CLI::App app{"kijun: rules as code for subsidy programmes"};
  app.require_subcommand(1);
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "What the tool says about itself on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  CheckOptions check;
  auto* c = app.add_subcommand("check", "Parse and type-check a ruleset; print diagnostics");
  c->add_option("ruleset", check.ruleset, "Ruleset directory or .kj file")->required();
  c->add_option("--diagnostics", check.diagnostics, "Diagnostic format")->check(CLI::IsMember({"text", "json"}));
  c->add_option("--dump", check.dump, "Print an intermediate form after checking")->check(CLI::IsMember({"ir", "llvm"}));
  c->add_option("--dump-after", check.dump_after,
                "Print what a pass leaves: read, parse, amend, check, lower, verify, lint, codegen or optimise")
      ->check(CLI::IsMember({"read", "parse", "amend", "check", "lower", "verify", "lint", "codegen", "optimise"}));
  c->add_flag("--strict", check.strict, "Treat warnings (missing citation or label, unread input…) as errors");

  TestOptions test;
  auto* t = app.add_subcommand("test", "Run the ruleset's tests and report rule coverage");
  t->add_option("ruleset", test.ruleset, "Ruleset directory, .kj file or plugin (which carries its tests)")->required();
  t->add_flag("--require-full-coverage", test.require_full_coverage, "Exit 1 unless every rule outcome is exercised");
  t->add_flag("--strict", test.strict, "Treat warnings of the ruleset as errors");
  t->add_option("--engine", test.engine,
                "interp: decide with the reference interpreter (default); jit: with native code (the JIT's, or a plugin's)")
      ->check(CLI::IsMember({"jit", "interp"}));

  auto add_eval = [](CLI::App* sub, EvalOptions& e) {
    sub->add_option("ruleset", e.ruleset, "Ruleset directory")->required();
    sub->add_option("--frame", e.frame, "Frame (枠) to evaluate")->required();
    sub->add_option("--input", e.input, "Applicants file, or - for stdin");
    sub->add_option("--format", e.format, "Input format (default: from the file name)")->check(CLI::IsMember({"jsonl", "csv"}));
    sub->add_option("--as-of", e.as_of, "Evaluate as of this date (default: each applicant's application date)");
    sub->add_option("--plugin-path", e.plugin_path, "Where to find plugins named PROGRAMME:YEAR (default: $KIJUN_PLUGIN_PATH)");
    add_trusted_key(sub, e.trusted_keys);
    sub->add_flag("--strict-fields", e.strict_fields,
                  "A field that is not an input of the ruleset is an error line for its record, and refuses a CSV file "
                  "as a column (default: one warning per field name)");
    sub->add_option("--lang", e.lang, "Language of explanations: ja (labels of the ruleset) or en (rule ids as words)")
        ->check(CLI::IsMember({"ja", "en"}));
  };
  EvalOptions eval;
  auto* e = app.add_subcommand("eval", "Evaluate applicants; one JSON line per applicant");
  add_eval(e, eval);
  e->add_option("--engine", eval.engine, "jit: native code (default); interp: the reference interpreter")
      ->check(CLI::IsMember({"jit", "interp"}));
  e->add_option("--threads", eval.threads, "Evaluate this many chunks of records at once")->check(CLI::Range(1, 256));
  e->add_flag("--explain", eval.explain, "Add each decision's explanation (JSON, from the interpreter) to its line");
  e->add_option("--record", eval.record, "Append a decision record of every evaluation to this file (see kijun replay)");

  ExplainOptions explain;
  auto* x = app.add_subcommand("explain", "Explain the decision for one applicant, rule by rule");
  add_eval(x, explain.eval);
  x->add_option("--id", explain.id, "The applicant's id")->required();
  x->add_flag("--json", explain.json, "Print the explanation as JSON");

  DiffOptions diff;
  auto* df = app.add_subcommand("diff", "What changed between two versions of the rules (DIR or DIR@YYYY-MM-DD)");
  df->add_option("old", diff.old_version, "The earlier version")->required();
  df->add_option("new", diff.new_version, "The later version")->required();
  df->add_option("--population", diff.population, "Decide these applicants (JSON Lines or CSV) with both versions");
  df->add_option("--population-format", diff.population_format, "Format of --population (default: from the file name)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  df->add_option("--generate", diff.generate, "Generate this many applicants per frame at both versions' edges (default 20000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
  df->add_option("--seed", diff.seed, "Seed of the generated population");
  df->add_option("--frame", diff.frames, "Only this frame (repeatable; default: every frame both versions have)");
  df->add_flag("--structure-only", diff.structure_only, "Compare the rules only, not their effect on applicants");
  df->add_option("--format", diff.format, "Report format")->check(CLI::IsMember({"text", "json", "html"}));
  df->add_option("-o,--output", diff.output, "Write the report to this file (default: standard output)");
  df->add_option("--color", diff.colour, "Colour the text report: auto (when a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  df->add_option("--threads", diff.threads, "Decide this many chunks of applicants at once")->check(CLI::Range(1, 256));
  df->add_option("--examples", diff.examples, "Example applicants per kind of change")->check(CLI::Range(0, 100));
  df->add_option("--plugin-path", diff.plugin_path, "Where to find plugins named PROGRAMME:YEAR (default: $KIJUN_PLUGIN_PATH)");
  add_trusted_key(df, diff.trusted_keys);

  ReplayOptions replay;
  auto* rp = app.add_subcommand("replay", "Make recorded decisions (eval --record) again and check they are the same");
  rp->add_option("file", replay.file, "Decision records (JSON Lines)")->required();
  rp->add_option("--ruleset", replay.ruleset, "Use this ruleset (directory, plugin or PROGRAMME:YEAR) instead of the recorded one");
  rp->add_option("--plugin-path", replay.plugin_path, "Where to find plugins named PROGRAMME:YEAR (default: $KIJUN_PLUGIN_PATH)");
  add_trusted_key(rp, replay.trusted_keys);

  BuildOptions build;
  auto* bd = app.add_subcommand("build", "Compile a ruleset ahead of time into a plugin");
  bd->add_option("ruleset", build.ruleset, "Ruleset directory")->required();
  bd->add_option("-o,--output", build.output, "Plugin file to write (conventionally PROGRAMME-YEAR.kjp)")->required();
  bd->add_option("--cpu", build.cpu, "CPU to compile for (default: this machine's; x86-64-v2 runs on any x86-64)");
  bd->add_option("--sign", build.sign, "Sign the plugin with this secret key (a .key file from kijun keygen)");

  KeygenOptions keygen;
  auto* kg = app.add_subcommand("keygen", "Make an Ed25519 key pair to sign plugins with: OUT.key (secret) and OUT.pub");
  kg->add_option("--out", keygen.out, "Write OUT.key and OUT.pub (never replaced)")->required();
  kg->add_option("--comment", keygen.comment, "Text at the end of the public key's line (who holds the key)");

  BenchOptions bench;
  auto* bn = app.add_subcommand("bench", "Throughput of the JIT, the interpreter and a hand-written C++ loop");
  bn->add_option("ruleset", bench.ruleset, "Ruleset directory")->required();
  bn->add_option("--frame", bench.frame, "Frame (枠) to measure")->required();
  bn->add_option("--n", bench.n, "Applicants to generate")->check(CLI::Range(1, 100'000'000));
  bn->add_option("--seed", bench.seed, "Seed of the generator");

  GenerateOptions generate;
  auto* gn = app.add_subcommand("generate", "Write generated applicants for a frame as JSON Lines");
  gn->add_option("ruleset", generate.ruleset, "Ruleset directory or plugin")->required();
  gn->add_option("--frame", generate.frame, "Frame (枠)")->required();
  gn->add_option("--n", generate.n, "Applicants to generate")->check(CLI::Range(1, 100'000'000));
  gn->add_option("--seed", generate.seed, "Seed of the generator");
  add_trusted_key(gn, generate.trusted_keys);

  FmtOptions fmt;
  auto* f = app.add_subcommand("fmt", "Print sources in the canonical layout");
  f->add_option("paths", fmt.paths, "Files or directories")->required();
  f->add_flag("--check", fmt.check, "List files that are not formatted; exit 1 if any");
  f->add_flag("--write", fmt.write, "Rewrite files in place");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& err) {
    app.exit(err);
    return exit_usage;
  }
  auto log = make_logger(log_level);
  try {
    if (*c) return finish_stdout(run_check(check, log));
    if (*t) return finish_stdout(run_test(test, log));
    if (*e) return finish_stdout(run_eval(eval, log));
    if (*x) return finish_stdout(run_explain(explain, log));
    if (*rp) return finish_stdout(run_replay(replay, log));
    if (*df) return finish_stdout(run_diff(diff, log));
    if (*f) return finish_stdout(run_fmt(fmt, log));
    if (*bn) return finish_stdout(run_bench(bench, log));
    if (*bd) return finish_stdout(run_build(build, log));
    if (*kg) return finish_stdout(run_keygen(keygen));
    if (*gn) return finish_stdout(run_generate(generate, log));
  } catch (const std::exception&) {
    // A bug, not a user error: never show C++ exception text to a user.
    std::fputs("kijun: internal error; please report it with the command that caused it\n", stderr);
    return 70;
  }
  return exit_usage;
}
