// kijun eval RULESET --frame F [--input FILE|-] [--format jsonl|csv] [--as-of DATE]:
// one output line per input record, results and error lines alike.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/eval_setup.hpp"

namespace kijun::cli {

int run_eval(const EvalOptions& o, const LogFn& log) {
  EvalSetup setup;
  if (int status = prepare_eval(o, log, setup); status != exit_ok) return status;
  ir::Interpreter interp(setup.engine->ruleset());
  runtime::Record record;
  std::size_t records = 0, errors = 0;
  std::string out;
  while (setup.reader->next(record)) {
    bool is_error = false;
    out = setup.engine->line(interp, setup.frame, record, setup.as_of, is_error);
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
    ++records;
    errors += is_error ? 1 : 0;
  }
  if (log) log(LogLevel::info, std::to_string(records) + " records, " + std::to_string(errors) + " errors");
  return errors ? exit_failure : exit_ok;
}

}  // namespace kijun::cli
