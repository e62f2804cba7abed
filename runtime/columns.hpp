// Columnar batches for compiled frames: records (or generated rows) are appended into
// one column per input, the frame function runs over them, and each row's outputs are
// turned back into the same Evaluation the interpreter returns, so output lines are
// written by one piece of code whichever engine decided.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir/batch.hpp"
#include "compiler/ir/interpreter.hpp"
#include "compiler/ir/ir.hpp"

namespace kijun::runtime {

// One input's or one field's values, laid out as kijun/batch.h says.
struct Column {
  std::vector<std::int64_t> ints;  // values, rate numerators, or a list's offsets
  std::vector<std::uint8_t> bools;
  std::vector<std::int64_t> dens;
  std::vector<std::uint8_t> valid;
  void clear() { ints.clear(), bools.clear(), dens.clear(), valid.clear(); }
  void push(const dsl::Type& type, const ir::Value& v, std::size_t at);
  ir::Value get(const dsl::Type& type, std::size_t at) const;
  const void* values(const dsl::Type& type) const;
};

class ColumnBatch {
public:
  ColumnBatch(const ir::Ruleset& rs, std::uint32_t frame);

  void clear();
  // Appends one row: `values` holds one Value per ruleset input (absent = den 0), then the
  // elements of its lists (ir.hpp Record).
  void push(const ir::Value* values, std::int64_t as_of);
  std::size_t rows() const { return as_of_.size(); }
  // The row as the interpreter reads it.
  void row(std::size_t i, std::vector<ir::Value>& values) const;
  std::int64_t as_of(std::size_t i) const { return as_of_[i]; }
  const kijun_batch_in& view();

private:
  const ir::Ruleset& rs_;
  std::vector<std::uint32_t> slots_;
  std::vector<Column> cols_;                 // per slot
  std::vector<std::vector<Column>> fields_;  // per list slot: per field of its record
  std::vector<std::int64_t> as_of_;
  std::vector<const void*> value_ptrs_;
  std::vector<const std::int64_t*> den_ptrs_;
  std::vector<const std::uint8_t*> valid_ptrs_;
  struct ListView {
    std::vector<const void*> values;
    std::vector<const std::int64_t*> dens;
    std::vector<const std::uint8_t*> valid;
  };
  std::vector<ListView> list_ptrs_;
  std::vector<kijun_batch_list> lists_;
  bool has_lists_ = false;
  kijun_batch_in in_{};
};

class BatchResults {
public:
  BatchResults(const ir::Ruleset& rs, std::uint32_t frame);
  kijun_batch_out& view(std::size_t rows);
  // Row `i` as an Evaluation (failed, bonus and penalty as rule indices, in frame order).
  void evaluation(std::size_t i, ir::Evaluation& e) const;
  // Writes an Evaluation (from the interpreter, or another batch) into row `i`.
  void store(std::size_t i, const ir::Evaluation& e);
  const std::uint8_t* eligible() const { return eligible_.data(); }
  const std::int64_t* amount() const { return amount_.data(); }
  const std::uint8_t* error() const { return error_.data(); }
  const std::int64_t* rate_num() const { return rate_num_.data(); }
  const std::int64_t* rate_den() const { return rate_den_.data(); }
  const std::int64_t* bonus_points() const { return bonus_.data(); }
  const std::int64_t* penalty_points() const { return penalty_.data(); }
  std::int64_t score(std::size_t i) const { return bonus_[i] - penalty_[i]; }
  const std::uint64_t* failed() const { return failed_.data(); }
  const std::uint64_t* scored() const { return scored_.data(); }
  std::uint32_t words() const { return words_; }

private:
  const ir::Ruleset& rs_;
  std::uint32_t frame_;
  std::uint32_t words_;
  std::vector<std::uint8_t> eligible_, error_;
  std::vector<std::int64_t> amount_, rate_num_, rate_den_, bonus_, penalty_;
  std::vector<std::uint64_t> failed_, scored_;
  std::vector<std::int32_t> error_rule_;
  std::vector<std::uint32_t> error_site_;
  kijun_batch_out out_{};
};

// Output columns whose entry 0 is row `first`, addressed by row as a frame function writes
// them (row r's outputs at index r): for outputs kept per chunk or per run while the inputs
// span every row.
kijun_batch_out addressed_by_row(const kijun_batch_out& out, std::int64_t first, std::uint32_t words);

// The span of an error site reported by compiled code or the interpreter.
dsl::Span site_span(const ir::Ruleset& rs, std::uint32_t site);

}  // namespace kijun::runtime
