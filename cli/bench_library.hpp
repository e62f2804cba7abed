// kijun bench: the public Batch::run against the raw frame function over the same columns.
#pragma once

#include <string>

#include "compiler/ir/batch.hpp"
#include "compiler/ir/ir.hpp"
#include "runtime/columns.hpp"

namespace kijun::cli {

struct LibraryTiming {
  double raw_s = 0;       // the frame function once over every row
  double batch_s = 0;     // Batch::run on one thread
  double threaded_s = 0;  // Batch::run on `threads`
  int threads = 1;
  std::size_t mismatches = 0;  // rows whose outputs differ from the raw frame's, in both runs
  std::size_t refused = 0;     // rows the batch refused: their as-of day is before the first version
  std::string error;           // why it could not be measured
};

// Loads `path` through the public API (JIT objects from `cache`), binds `columns` to a
// batch of `frame`, and times both, best of three.
LibraryTiming time_library(const std::string& path, const std::string& cache, const ir::Ruleset& rs, std::uint32_t frame,
                           kijun_frame_fn fn, runtime::ColumnBatch& columns, int threads);

}  // namespace kijun::cli
