// What eval and explain share: load the ruleset, find the frame, open the input.
#pragma once

#include <fstream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "runtime/engine.hpp"

namespace kijun::cli {

struct EvalSetup {
  std::unique_ptr<runtime::Engine> engine;
  std::uint32_t frame = 0;
  std::optional<std::int64_t> as_of;
  std::ifstream file;
  std::istream* input = nullptr;
  std::unique_ptr<runtime::KnownFields> fields;  // before the reader, which uses it
  std::unique_ptr<runtime::RecordReader> reader;
};

int prepare_eval(const EvalOptions& o, const LogFn& log, EvalSetup& setup);
// After the reader has stopped: prints why it refused the whole input, if it did, and
// returns true then.
bool input_refused(const EvalOptions& o, const EvalSetup& setup);

}  // namespace kijun::cli
