// A loaded ruleset ready to evaluate applicants: resolves the as-of date and the version
// in force, runs the interpreter, and renders result or error lines.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "compiler/interpreter.hpp"
#include "compiler/pipeline.hpp"
#include "runtime/reader.hpp"

namespace kijun::runtime {

struct Decision {
  bool ok = false;
  std::string error;  // when !ok: what went wrong, for the error line
  std::int64_t as_of = 0;
  std::int64_t version = 0;
  ir::Evaluation evaluation;
};

class Engine {
public:
  explicit Engine(std::unique_ptr<compiler::Compilation> c) : c_(std::move(c)) {}

  const ir::Ruleset& ruleset() const { return c_->ruleset; }
  const compiler::Compilation& compilation() const { return *c_; }
  const std::string& content_hash() const { return c_->content_hash; }
  std::optional<std::uint32_t> frame(const std::string& name) const;
  std::string frame_names() const;

  // Decides one good record (record.error empty) for a frame.
  Decision decide(ir::Interpreter& interp, std::uint32_t frame, const Record& record, std::optional<std::int64_t> as_of,
                  bool trace = false) const;
  // The output line for a record: its result, or its error object.
  std::string line(ir::Interpreter& interp, std::uint32_t frame, const Record& record, std::optional<std::int64_t> as_of,
                   bool& is_error) const;
  // "overflow at security.kj:31:12 in rule `x` (2-3)"
  std::string describe_error(const ir::Evaluation& e) const;

private:
  std::unique_ptr<compiler::Compilation> c_;
};

}  // namespace kijun::runtime
