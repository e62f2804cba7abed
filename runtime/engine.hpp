// A loaded ruleset ready to evaluate applicants: resolves the as-of date and the version
// in force, runs the interpreter, and renders result or error lines.
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <typeinfo>

#include "compiler/ir/interpreter.hpp"
#include "runtime/columns.hpp"
#include "runtime/extensions.hpp"
#include "runtime/plugin.hpp"
#include "runtime/reader.hpp"
#include "runtime/toolchain.hpp"

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
  // A ruleset the front end compiled, owned by `owner` (a compiler::Compilation, which the
  // runtime does not know: anything with `ruleset`, `sources` and `content_hash` members).
  // owner_as<T>() gives it back to a caller that knows the front end.
  template <typename T>
    requires requires(const T& t) {
      { t.ruleset } -> std::convertible_to<const ir::Ruleset&>;
      { t.sources } -> std::convertible_to<const dsl::SourceSet&>;
      { t.content_hash } -> std::convertible_to<const std::string&>;
    }
  explicit Engine(std::shared_ptr<const T> owner)
      : owner_type_(&typeid(T)), owner_(owner), rs_(&owner->ruleset), sources_(&owner->sources),
        hash_(&owner->content_hash) {}
  template <typename T>
  explicit Engine(std::unique_ptr<T> owner) : Engine(std::shared_ptr<const T>(std::move(owner))) {}
  explicit Engine(std::unique_ptr<Plugin> p);

  // Loads the native extensions the ruleset calls, from `directories`; false with `error`.
  // Call before evaluating a ruleset that declares extension functions.
  bool load_extensions(const std::vector<std::string>& directories, std::string& error);
  const kijun_ext_fn* extension_table() const { return extensions_.table(); }
  // An interpreter for this ruleset (one per thread).
  ir::Interpreter interpreter() const { return ir::Interpreter(ruleset(), extension_table()); }

  // Compiles options.frames (every frame when null; the others when first asked for) to
  // native code with the installed toolchain's JIT (a plugin already is native); false
  // with `error`, also when there is no JIT in this library.
  bool compile(const NativeOptions& options, std::string& error);
  bool is_plugin() const { return plugin_ != nullptr; }
  // The native function of a frame, or null before `compile`.
  kijun_frame_fn native_frame(std::uint32_t frame) const;
  const dsl::SourceSet& sources() const { return *sources_; }
  // What owns a ruleset compiled from sources, if it is a T; null for a plugin.
  template <typename T>
  const T* owner_as() const {
    return owner_type_ && *owner_type_ == typeid(T) ? static_cast<const T*>(owner_.get()) : nullptr;
  }

  // The output lines of `records` in order, each ending in a newline; returns the number
  // of error lines. Thread-safe: each thread brings its own scratch.
  std::size_t evaluate(EngineKind kind, std::uint32_t frame, const std::vector<Record>& records,
                       std::optional<std::int64_t> as_of, ChunkScratch& scratch, std::string& out) const;
  // The as-of date and version in force for a record, or the error line's message.
  bool resolve_as_of(const std::vector<ir::Value>& values, std::optional<std::int64_t> as_of, std::int64_t& day,
                     std::int64_t& version, std::string& error) const;

  const ir::Ruleset& ruleset() const { return *rs_; }
  // Makes sure ruleset() holds the tests and the description: a plugin reads them from its
  // image on the first call (runtime/plugin.hpp); false with `error` when they are corrupt.
  // Call before reading either. Thread-safe.
  bool read_tests_and_description(std::string& error) const;
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
  const std::type_info* owner_type_ = nullptr;
  std::shared_ptr<const void> owner_;
  std::unique_ptr<Plugin> plugin_;
  const ir::Ruleset* rs_ = nullptr;
  const dsl::SourceSet* sources_ = nullptr;
  const std::string* hash_ = nullptr;
  std::unique_ptr<NativeCode> compiled_;
  ExtensionSet extensions_;
};

inline ChunkScratch::ChunkScratch(const Engine& engine, std::uint32_t frame)
    : interp(engine.interpreter()), batch(engine.ruleset(), frame), results(engine.ruleset(), frame) {}

}  // namespace kijun::runtime
