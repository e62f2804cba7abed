// A loaded ruleset ready to evaluate applicants: resolves the as-of date and the version
// in force, runs the interpreter, and renders result or error lines.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "compiler/interpreter.hpp"
#include "compiler/jit.hpp"
#include "compiler/pipeline.hpp"
#include "runtime/columns.hpp"
#include "runtime/extensions.hpp"
#include "runtime/plugin.hpp"
#include "runtime/reader.hpp"

namespace kijun::runtime {

struct Decision {
  bool ok = false;
  std::string error;  // when !ok: what went wrong, for the error line
  std::int64_t as_of = 0;
  std::int64_t version = 0;
  ir::Evaluation evaluation;
};

enum class EngineKind { jit, interp };

// What one thread needs to evaluate chunks of records: scratch space, never shared.
class Engine;

struct ChunkScratch {
  ChunkScratch(const Engine& engine, std::uint32_t frame);
  ir::Interpreter interp;
  ColumnBatch batch;
  BatchResults results;
  std::vector<std::string> pending;     // error line per record, or empty for a batch row
  std::vector<std::int64_t> versions;   // version in force per batch row
};

// A ruleset ready to decide: compiled from sources (with the interpreter, and the JIT once
// `compile` is called) or loaded from an ahead-of-time plugin (native from the start).
class Engine {
public:
  explicit Engine(std::unique_ptr<compiler::Compilation> c);
  explicit Engine(std::unique_ptr<Plugin> p);

  // Loads the native extensions the ruleset calls, from `directories`; false with `error`.
  // Call before evaluating a ruleset that declares extension functions.
  bool load_extensions(const std::vector<std::string>& directories, std::string& error);
  const kijun_ext_fn* extension_table() const { return extensions_.table(); }
  // An interpreter for this ruleset (one per thread).
  ir::Interpreter interpreter() const { return ir::Interpreter(ruleset(), extension_table()); }

  // Compiles every frame to native code (a plugin already is); false with `error`.
  bool compile(const jit::JitOptions& options, std::string& error);
  const jit::CompiledRuleset* compiled() const { return compiled_.get(); }
  // The native function of a frame, or null before `compile`.
  kijun_frame_fn native_frame(std::uint32_t frame) const;
  const dsl::SourceSet& sources() const { return *sources_; }
  // The checked program, with its tests; null for a plugin.
  const compiler::Compilation* source_compilation() const { return c_.get(); }

  // The output lines of `records` in order, each ending in a newline; returns the number
  // of error lines. Thread-safe: each thread brings its own scratch.
  std::size_t evaluate(EngineKind kind, std::uint32_t frame, const std::vector<Record>& records,
                       std::optional<std::int64_t> as_of, ChunkScratch& scratch, std::string& out) const;
  // The as-of date and version in force for a record, or the error line's message.
  bool resolve_as_of(const std::vector<ir::Value>& values, std::optional<std::int64_t> as_of, std::int64_t& day,
                     std::int64_t& version, std::string& error) const;

  const ir::Ruleset& ruleset() const { return *rs_; }
  const compiler::Compilation& compilation() const { return *c_; }
  const std::string& content_hash() const { return *hash_; }
  std::optional<std::uint32_t> frame(const std::string& name) const;
  std::string frame_names() const;

  // Decides one good record (record.error empty) for a frame.
  Decision decide(ir::Interpreter& interp, std::uint32_t frame, const std::vector<ir::Value>& values,
                  std::optional<std::int64_t> as_of, bool trace = false) const;
  // The output line for a record: its result, or its error object.
  std::string line(ir::Interpreter& interp, std::uint32_t frame, const Record& record, std::optional<std::int64_t> as_of,
                   bool& is_error) const;
  // "overflow at security.kj:31:12 in rule `x` (2-3)"
  std::string describe_error(const ir::Evaluation& e) const;

private:
  std::unique_ptr<compiler::Compilation> c_;
  std::unique_ptr<Plugin> plugin_;
  const ir::Ruleset* rs_ = nullptr;
  const dsl::SourceSet* sources_ = nullptr;
  const std::string* hash_ = nullptr;
  std::unique_ptr<jit::CompiledRuleset> compiled_;
  ExtensionSet extensions_;
};

inline ChunkScratch::ChunkScratch(const Engine& engine, std::uint32_t frame)
    : interp(engine.interpreter()), batch(engine.ruleset(), frame), results(engine.ruleset(), frame) {}

}  // namespace kijun::runtime
