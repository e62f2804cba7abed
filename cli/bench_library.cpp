// kijun bench's measure of the public library path: kijun::Batch::run over the very columns
// the raw frame function reads, against that function called once over them, with every
// output compared.
#include "cli/bench_library.hpp"

#include <algorithm>
#include <chrono>

#include "kijun/kijun.hpp"

namespace kijun::cli {

namespace {

using clock_type = std::chrono::steady_clock;

// Binds input (or field) `name` of `kind` from a batch view's column.
Status bind_column(Batch& b, const std::string& name, dsl::Kind kind, const void* values, const std::int64_t* denoms,
            const std::uint8_t* validity) {
  switch (kind) {
    case dsl::Kind::text: return {};
    case dsl::Kind::bool_: return b.bind_bool(name, static_cast<const std::uint8_t*>(values), validity);
    case dsl::Kind::rate: return b.bind_rate(name, static_cast<const std::int64_t*>(values), denoms, validity);
    default: return b.bind_int64(name, static_cast<const std::int64_t*>(values), validity);
  }
}

Status bind_all(Batch& b, const ir::Ruleset& rs, std::uint32_t frame, const kijun_batch_in& in) {
  for (auto s : rs.frames[frame].inputs) {
    const auto& input = rs.inputs[s];
    if (input.type.kind != dsl::Kind::list) {
      if (auto st = bind_column(b, input.name, input.type.kind, in.values[s], in.denoms[s], in.validity[s]); !st.ok()) return st;
      continue;
    }
    if (auto st = b.bind_list(input.name, static_cast<const std::int64_t*>(in.values[s])); !st.ok()) return st;
    const auto& fields = rs.records[input.type.enum_id].fields;
    const auto& l = in.lists[s];
    for (std::size_t f = 0; f < fields.size(); ++f)
      if (auto st = bind_column(b, input.name + "." + fields[f].name, fields[f].type.kind, l.values[f], l.denoms[f], l.validity[f]); !st.ok())
        return st;
  }
  if (in.as_of) b.set_as_of(in.as_of);
  else b.set_as_of(in.as_of_day);
  return {};
}

template <typename Fn>
double best_of(int repeats, Fn fn) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    auto start = clock_type::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(clock_type::now() - start).count());
  }
  return best;
}

// Rows where the batch's outputs differ from the raw frame's. A row the batch refuses
// before deciding it (an as-of day before the ruleset's first version: the generator makes
// some) is counted in `refused`; the raw frame decides it all the same.
std::size_t differences(const Batch& b, const kijun_batch_out& o, std::int64_t rows, std::size_t& refused) {
  std::size_t out = 0;
  refused = 0;
  auto words = static_cast<std::int64_t>(b.rule_words());
  for (std::int64_t r = 0; r < rows; ++r) {
    if (b.error()[r] && !b.decision(r).error.empty() && b.decision(r).error.rfind("as_of: ", 0) == 0) {
      ++refused;
      continue;
    }
    bool same = (b.error()[r] != 0) == (o.error[r] != 0);
    if (same && !o.error[r]) {
      same = b.eligible()[r] == o.eligible[r] && b.amount()[r] == o.amount[r] && b.rate_num()[r] == o.rate_num[r] &&
             b.rate_den()[r] == o.rate_den[r] && b.bonus_points()[r] == o.bonus_points[r] &&
             b.penalty_points()[r] == o.penalty_points[r] && b.paid_amount()[r] == (o.eligible[r] ? o.amount[r] : 0);
      for (std::int64_t w = 0; w < words && same; ++w)
        same = b.failed_rules()[r * words + w] == o.failed[r * words + w] && b.scored_rules()[r * words + w] == o.scored[r * words + w];
    }
    out += !same;
  }
  return out;
}

}  // namespace

LibraryTiming time_library(const std::string& path, const std::string& cache, const ir::Ruleset& rs, std::uint32_t frame,
                           kijun_frame_fn fn, runtime::ColumnBatch& columns, int threads) {
  LibraryTiming t;
  LoadOptions options;
  options.cache_dir = cache;
  auto loaded = Ruleset::load(path, options);
  if (!loaded.ok()) return t.error = loaded.status().message(), t;
  auto made = loaded.value().batch(rs.frames[frame].name);
  if (!made.ok()) return t.error = made.status().message(), t;
  auto& b = made.value();
  const auto& in = columns.view();
  if (auto st = bind_all(b, rs, frame, in); !st.ok()) return t.error = st.message(), t;
  std::int64_t rows = in.rows;
  runtime::BatchResults raw(rs, frame);
  auto& out = raw.view(static_cast<std::size_t>(rows));
  t.raw_s = best_of(3, [&] { fn(&in, &out, 0, rows); });
  Status ran;
  t.batch_s = best_of(3, [&] { ran = b.run(0, rows, 1); });
  if (!ran.ok()) return t.error = ran.message(), t;
  t.mismatches = differences(b, out, rows, t.refused);
  t.threads = threads;
  t.threaded_s = best_of(3, [&] { ran = b.run(0, rows, threads); });
  if (!ran.ok()) return t.error = ran.message(), t;
  t.mismatches += differences(b, out, rows, t.refused);
  return t;
}

}  // namespace kijun::cli
