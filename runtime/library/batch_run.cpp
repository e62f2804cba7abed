// A run of a batch: the bound rows checked block by block (batch_check.hpp), the valid ones
// decided by the frame's native code in as few calls as the invalid rows allow, on as many
// threads as the caller asks. Nothing is allocated per row, and nothing is copied but the
// as-of day when it is given per row.
#include <exception>
#include <thread>

#include "dsl/support/calendar.hpp"
#include "runtime/library/batch_check.hpp"

namespace kijun {

namespace {

// Rows checked and decided together: the block's columns (50 inputs of 8 bytes: 200 KB)
// stay in the core's cache from the checks to the frame's code.
constexpr std::int64_t block_rows = 512;

}  // namespace

Status Batch::run(std::int64_t rows) { return run(0, rows, 1); }

Status Batch::run(std::int64_t first, std::int64_t last, int threads) try {
  impl_->rows = 0;  // until the run has decided every row: no entry to read
  auto status = impl_->run(first, last, threads);
  if (!status.ok()) impl_->rows = 0;
  return status;
} catch (...) {
  impl_->rows = 0;
  return internal_error();
}

Status Batch::Impl::run(std::int64_t first, std::int64_t last, int threads) {
  const auto& rs = engine->ruleset();
  if (first < 0 || last < first)
    return Status::failure("rows " + std::to_string(first) + " to " + std::to_string(last) + " are not a range of rows");
  if (last - first > max_batch_rows)
    return Status::failure("rows: " + std::to_string(last - first) + " is more than one run decides (at most " +
                           std::to_string(max_batch_rows) + "); run the batch in parts");
  if (last > (std::int64_t{1} << 48)) return Status::failure("row " + std::to_string(last) + " is beyond any batch");
  if (threads < 0) return Status::failure("threads: " + std::to_string(threads) + " is negative (0: one per core)");
  if (!arrow_slots.empty() && last > arrow_rows)
    return Status::failure("rows: the Arrow arrays bound hold " + std::to_string(arrow_rows) + " rows, not " + std::to_string(last));
  const auto& inputs = rs.frames[frame].inputs;
  bool unbound_optional = false;
  for (auto s : inputs) {
    auto kind = rs.inputs[s].type.kind;
    if (bound[s] || kind == dsl::Kind::text || kind == dsl::Kind::list) continue;
    if (!rs.inputs[s].type.optional) return Status::failure("input `" + rs.inputs[s].name + "` is not bound");
    unbound_optional = true;
  }
  if (auto ready = prepare_lists(first, last); !ready.ok()) return ready;
  // An optional input the caller does not bind is absent in every row, as a field left out
  // of a record is: a ruleset can add optional inputs without breaking its callers.
  if (unbound_optional) {
    auto size = static_cast<std::size_t>(std::max<std::int64_t>(last, 1));
    unbound_values.assign(size, 0), unbound_denoms.assign(size, 0), unbound_validity.assign((size + 7) / 8, 0);
    for (auto s : inputs)
      if (!bound[s] && rs.inputs[s].type.optional)
        values[s] = unbound_values.data(), denoms[s] = unbound_denoms.data(), validity[s] = unbound_validity.data();
  }

  begin = first;
  auto n = static_cast<std::size_t>(last - first);
  invalid.clear();
  as_of.clear();
  if (!as_of_day) as_of.resize(n);
  run_day = as_of_day.value_or(0);
  auto& out = results.view(n);
  paid.resize(std::max<std::size_t>(n, 1));
  auto checked = checks();
  if (as_of_day && (!dsl::is_calendar_day(*as_of_day) || !rs.version_on(*as_of_day))) checked.undecidable = true;
  const std::int64_t* days = as_of_day ? nullptr
                           : as_of_rows ? as_of_rows
                           : checked.undecidable ? nullptr
                                                 : static_cast<const std::int64_t*>(values[rs.as_of_input]);
  auto native = engine->native_frame(frame);
  kijun_batch_in in{last, values.data(), denoms.data(), validity.data(), days, run_day, views()};
  auto words = ir::bitset_words(rs.frames[frame].rules.size());
  kijun_batch_out by_rows = runtime::addressed_by_row(out, first, words);

  // Decides bound rows [lo, hi), noting the invalid ones in `notes`.
  auto part = [&](std::int64_t lo, std::int64_t hi, std::vector<Invalid>& notes) {
    std::vector<std::uint8_t> bad(block_rows);
    std::vector<ir::Value> row;
    auto interp = engine->interpreter();
    for (std::int64_t b = lo; b < hi; b += block_rows) {
      std::int64_t count = std::min(block_rows, hi - b);
      std::fill(bad.begin(), bad.begin() + count, std::uint8_t{0});
      checked.flag(b, count, bad.data());
      if (days)
        for (std::int64_t i = 0; i < count; ++i) as_of[static_cast<std::size_t>(b - first + i)] = days[b + i];
      for (std::int64_t i = 0; i < count;) {
        auto entry = static_cast<std::size_t>(b - first + i);
        if (bad[i]) {
          auto why = why_not(b + i);
          notes.push_back({static_cast<std::int64_t>(entry), why.empty() ? "a bound value cannot be decided" : std::move(why)});
          ir::Evaluation e;
          e.error = ir::EvalError::missing_value;
          results.store(entry, e);
          ++i;
          continue;
        }
        std::int64_t j = i;
        while (j < count && !bad[j]) ++j;
        if (native) {
          native(&in, &by_rows, b + i, b + j);
        } else {
          for (std::int64_t k = i; k < j; ++k) {
            row_values(b + k, row);
            auto at = static_cast<std::size_t>(b - first + k);
            results.store(at, interp.evaluate(frame, row.data(), day_of(static_cast<std::int64_t>(at))));
          }
        }
        i = j;
      }
      const auto* error = results.error();
      const auto* eligible = results.eligible();
      const auto* amount = results.amount();
      for (auto e = static_cast<std::size_t>(b - first), end = e + static_cast<std::size_t>(count); e < end; ++e)
        paid[e] = (error[e] == 0 && eligible[e]) ? amount[e] : 0;
    }
  };

  std::int64_t blocks = (last - first + block_rows - 1) / block_rows;
  // More threads than cores only take turns: at most four per core.
  std::int64_t cores = std::max<std::int64_t>(1, std::thread::hardware_concurrency());
  std::int64_t parts = threads == 0 ? cores : std::min<std::int64_t>(threads, 4 * cores);
  parts = std::max<std::int64_t>(1, std::min(parts, blocks));
  if (parts == 1) {
    part(first, last, invalid);
    rows = last - first;
    return {};
  }
  // Contiguous parts of whole blocks, one per thread; their notes joined in row order.
  std::vector<std::vector<Invalid>> notes(static_cast<std::size_t>(parts));
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(parts));
  std::vector<std::thread> workers;
  for (std::int64_t p = 0; p < parts; ++p) {
    std::int64_t lo = first + blocks * p / parts * block_rows, hi = std::min(last, first + blocks * (p + 1) / parts * block_rows);
    auto at = static_cast<std::size_t>(p);
    auto work = [&, lo, hi, at] {
      try {
        part(lo, hi, notes[at]);
      } catch (...) {
        failures[at] = std::current_exception();
      }
    };
    try {
      workers.emplace_back(work);
    } catch (...) {
      work();  // no thread to be had: this one does the part
    }
  }
  for (auto& w : workers) w.join();
  for (auto& f : failures)
    if (f) std::rethrow_exception(f);
  for (auto& v : notes) invalid.insert(invalid.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  rows = last - first;
  return {};
}

}  // namespace kijun
