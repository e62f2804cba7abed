// The columnar batch of the library (kijun/kijun.hpp Batch): columns bound from the
// caller's memory, checked row by row, decided by the frame's native code.
#include <algorithm>

#include "runtime/columns.hpp"
#include "runtime/library/batch_impl.hpp"

namespace kijun {

Batch::Batch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Batch::Batch(Batch&&) noexcept = default;
Batch& Batch::operator=(Batch&&) noexcept = default;
Batch::~Batch() = default;

Result<Batch> Ruleset::batch(const std::string& frame) const try {
  auto f = impl_->frame(frame);
  if (!f.ok()) return f.status();
  return Batch(std::make_unique<Batch::Impl>(impl_->engine.get(), f.value()));
} catch (...) {
  return internal_error();
}

Status Batch::bind_bool(const std::string& input, const std::uint8_t* values, const std::uint8_t* validity) {
  auto t = impl_->target(input, dsl::Kind::bool_);
  if (!t.ok()) return t.status();
  impl_->bind(t.value(), values, nullptr, validity);
  return {};
}

Status Batch::bind_int64(const std::string& input, const std::int64_t* values, const std::uint8_t* validity) {
  auto t = impl_->target(input, dsl::Kind::int_);
  if (!t.ok()) return t.status();
  impl_->bind(t.value(), values, nullptr, validity);
  return {};
}

Status Batch::bind_rate(const std::string& input, const std::int64_t* num, const std::int64_t* den, const std::uint8_t* validity) {
  auto t = impl_->target(input, dsl::Kind::rate);
  if (!t.ok()) return t.status();
  impl_->bind(t.value(), num, den, validity);
  return {};
}

void Batch::set_as_of(const std::int64_t* per_row) { impl_->as_of_rows = per_row, impl_->as_of_day.reset(); }
void Batch::set_as_of(std::int64_t day) { impl_->as_of_day = day, impl_->as_of_rows = nullptr; }

Status Batch::run(std::int64_t rows) try {
  auto& b = *impl_;
  const auto& rs = b.engine->ruleset();
  if (rows < 0) return Status::failure("rows must not be negative");
  if (rows > max_batch_rows)
    return Status::failure("rows: " + std::to_string(rows) + " is more than one run decides (at most " +
                           std::to_string(max_batch_rows) + "); run the batch in parts");
  for (auto s : rs.frames[b.frame].inputs)
    if (!b.bound[s] && rs.inputs[s].type.kind != dsl::Kind::text && rs.inputs[s].type.kind != dsl::Kind::list &&
        !rs.inputs[s].type.optional)
      return Status::failure("input `" + rs.inputs[s].name + "` is not bound");
  if (auto lists = b.prepare_lists(rows); !lists.ok()) return lists;
  // An optional input the caller does not bind is absent in every row, as a field left out
  // of a record is: a ruleset can add optional inputs without breaking its callers.
  auto n = static_cast<std::size_t>(rows);
  b.unbound_values.assign(std::max<std::size_t>(n, 1), 0);
  b.unbound_denoms.assign(std::max<std::size_t>(n, 1), 0);
  b.unbound_validity.assign(std::max<std::size_t>((n + 7) / 8, 1), 0);
  for (auto s : rs.frames[b.frame].inputs)
    if (!b.bound[s] && rs.inputs[s].type.optional) {
      b.values[s] = b.unbound_values.data();
      b.denoms[s] = b.unbound_denoms.data();
      b.validity[s] = b.unbound_validity.data();
    }
  b.rows = rows;
  b.invalid.assign(static_cast<std::size_t>(rows), std::string());
  b.as_of.assign(static_cast<std::size_t>(rows), 0);
  auto out = b.results.view(static_cast<std::size_t>(rows));
  std::int64_t bad = 0;
  for (std::int64_t r = 0; r < rows; ++r) {
    std::int64_t day = b.as_of_day ? *b.as_of_day
                     : b.as_of_rows ? b.as_of_rows[r]
                     : rs.as_of_input < rs.inputs.size() && b.present(rs.as_of_input, r) ? b.value(rs.as_of_input, r).num
                                                                                         : INT64_MIN;
    b.as_of[r] = day;
    auto why = b.check(r);
    if (why.empty() && day == INT64_MIN) why = "as_of: no as-of date";
    if (why.empty() && (day < dsl::min_day || day > dsl::max_day))
      why = "as_of: day " + std::to_string(day) + " is outside the calendar (0001-01-01 to 9999-12-31)";
    if (why.empty() && !rs.version_on(day)) why = "as_of: " + dsl::format_date(day) + " is before the ruleset's first version";
    if (!why.empty()) b.invalid[r] = std::move(why), ++bad;
  }
  auto native = b.engine->native_frame(b.frame);
  if (bad == 0 && native) {
    // Every row is valid: the caller's columns go to native code as they are.
    kijun_batch_in in{rows, b.values.data(), b.denoms.data(), b.validity.data(), b.as_of.data(), 0, b.views()};
    native(&in, &out, 0, rows);
    b.pay(n);
    return {};
  }
  // Some rows are invalid (or no native code): decide the valid ones one by one.
  auto interp = b.engine->interpreter();
  std::vector<ir::Value> row(rs.inputs.size());
  runtime::ColumnBatch one(rs, b.frame);
  runtime::BatchResults one_out(rs, b.frame);
  ir::Evaluation e;
  for (std::int64_t r = 0; r < rows; ++r) {
    if (!b.invalid[r].empty()) {
      e = ir::Evaluation{};
      e.error = ir::EvalError::missing_value;
      b.results.store(static_cast<std::size_t>(r), e);
      continue;
    }
    b.row_values(r, row);
    if (native) {
      one.clear();
      one.push(row.data(), b.as_of[r]);
      auto& o = one_out.view(1);
      native(&one.view(), &o, 0, 1);
      one_out.evaluation(0, e);
    } else {
      e = interp.evaluate(b.frame, row.data(), b.as_of[r]);
    }
    b.results.store(static_cast<std::size_t>(r), e);
  }
  b.pay(n);
  return {};
} catch (...) {
  return internal_error();
}

std::int64_t Batch::rows() const { return impl_->rows; }
const std::uint8_t* Batch::eligible() const { return impl_->results.eligible(); }
const std::int64_t* Batch::amount() const { return impl_->results.amount(); }
const std::int64_t* Batch::paid_amount() const { return impl_->paid.data(); }
const std::int64_t* Batch::rate_num() const { return impl_->results.rate_num(); }
const std::int64_t* Batch::rate_den() const { return impl_->results.rate_den(); }
const std::int64_t* Batch::bonus_points() const { return impl_->results.bonus_points(); }
const std::int64_t* Batch::penalty_points() const { return impl_->results.penalty_points(); }
const std::uint8_t* Batch::error() const { return impl_->results.error(); }

Decision Batch::decision(std::int64_t row) const {
  const auto& b = *impl_;
  Decision d;
  if (row < 0 || row >= b.rows) {
    d.error = "no row " + std::to_string(row);
    return d;
  }
  if (!b.invalid[row].empty()) {
    d.error = b.invalid[row];
    return d;
  }
  ir::Evaluation e;
  b.results.evaluation(static_cast<std::size_t>(row), e);
  if (e.error != ir::EvalError::none) {
    d.error = b.engine->describe_error(e);
    return d;
  }
  const auto& rs = b.engine->ruleset();
  d.eligible = e.eligible;
  d.amount_yen = e.amount_yen();
  d.computed_amount_yen = e.amount;
  d.rate_num = e.rate.num, d.rate_den = e.rate.den;
  d.bonus_points = e.bonus_points, d.penalty_points = e.penalty_points;
  for (auto r : e.failed) d.failed.push_back({rs.rules[r].id, rs.rules[r].cite});
  for (auto r : e.bonus) d.bonus.push_back({rs.rules[r].id, rs.rules[r].cite});
  for (auto r : e.penalty) d.penalty.push_back({rs.rules[r].id, rs.rules[r].cite});
  return d;
}

std::string Batch::json(std::int64_t row, const std::string& id) const {
  const auto& b = *impl_;
  auto line = static_cast<std::size_t>(row + 1);
  if (row < 0 || row >= b.rows) return runtime::error_json(id, true, line, "no such row");
  if (!b.invalid[row].empty()) return runtime::error_json(id, true, line, b.invalid[row]);
  ir::Evaluation e;
  b.results.evaluation(static_cast<std::size_t>(row), e);
  if (e.error != ir::EvalError::none) return runtime::error_json(id, true, line, b.engine->describe_error(e));
  auto day = b.as_of[row];
  return runtime::result_json({b.engine->ruleset(), b.frame, b.engine->content_hash(), id, day, *b.engine->ruleset().version_on(day)}, e);
}

Result<std::string> Batch::explain(std::int64_t row, const std::string& id, const ExplainStyle& style) const try {
  const auto& b = *impl_;
  if (row < 0 || row >= b.rows) return Status::failure("no row " + std::to_string(row));
  if (!b.invalid[row].empty()) return Status::failure(b.invalid[row]);
  runtime::Record r;
  r.id = id;
  r.has_id = true;
  r.line = static_cast<std::size_t>(row + 1);
  b.row_values(row, r.values);
  auto interp = b.engine->interpreter();
  auto d = b.engine->decide(interp, b.frame, r.values, b.as_of[row], true);
  if (!d.ok) return Status::failure(d.error);
  return render_explanation(*b.engine, b.frame, r, d, style);
} catch (...) {
  return internal_error();
}

}  // namespace kijun
