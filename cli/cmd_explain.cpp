// kijun explain RULESET --frame F --input FILE --id ID: why one applicant is or is not
// eligible, rule by rule, with citations and the values each rule read.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/eval_setup.hpp"
#include "runtime/audit/explain.hpp"

namespace kijun::cli {

int run_explain(const ExplainOptions& o, const LogFn& log) {
  EvalSetup setup;
  if (int status = prepare_eval(o.eval, log, setup); status != exit_ok) return status;
  auto interp = setup.engine->interpreter();
  runtime::Record record;
  while (setup.reader->next(record)) {
    if (!record.has_id || record.id != o.id) continue;
    if (!record.error.empty()) {
      std::printf("Applicant %s (line %zu) cannot be read: %s\n", o.id.c_str(), record.line, record.error.c_str());
      return exit_failure;
    }
    auto decision = setup.engine->decide(interp, setup.frame, record.values, setup.as_of, true);
    if (!decision.ok) {
      std::printf("Applicant %s (line %zu) cannot be decided: %s\n", o.id.c_str(), record.line, decision.error.c_str());
      return exit_failure;
    }
    auto lang = o.eval.lang == "en" ? runtime::Lang::en : runtime::Lang::ja;
    auto x = runtime::explain(*setup.engine, setup.frame, record, decision, lang);
    write_out(o.json ? runtime::explain_json(*setup.engine, x) + "\n" : runtime::explain_text(*setup.engine, x));
    return exit_ok;
  }
  if (input_refused(o.eval, setup)) return exit_failure;
  std::fprintf(stderr, "error: no applicant with id `%s` in %s\n", o.id.c_str(), o.eval.input.c_str());
  return exit_failure;
}

}  // namespace kijun::cli
