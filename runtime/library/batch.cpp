// The columnar batch of the library (kijun/kijun.hpp Batch): columns bound from the
// caller's memory (a run: batch_run.cpp), and what a run decided.
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

std::int64_t Batch::rows() const { return impl_->rows; }
const std::uint8_t* Batch::eligible() const { return impl_->results.eligible(); }
const std::int64_t* Batch::amount() const { return impl_->results.amount(); }
const std::int64_t* Batch::paid_amount() const { return impl_->paid.data(); }
const std::int64_t* Batch::rate_num() const { return impl_->results.rate_num(); }
const std::int64_t* Batch::rate_den() const { return impl_->results.rate_den(); }
const std::int64_t* Batch::bonus_points() const { return impl_->results.bonus_points(); }
const std::int64_t* Batch::penalty_points() const { return impl_->results.penalty_points(); }
const std::uint8_t* Batch::error() const { return impl_->results.error(); }
const std::uint64_t* Batch::failed_rules() const { return impl_->results.failed(); }
const std::uint64_t* Batch::scored_rules() const { return impl_->results.scored(); }
std::size_t Batch::rule_words() const { return impl_->results.words(); }

Decision Batch::decision(std::int64_t row) const {
  const auto& b = *impl_;
  Decision d;
  if (row < 0 || row >= b.rows) {
    d.error = "no row " + std::to_string(row);
    return d;
  }
  if (const auto* why = b.why_invalid(row)) {
    d.error = *why;
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
  auto line = static_cast<std::size_t>(b.begin + row + 1);  // the bound row's
  if (row < 0 || row >= b.rows) return runtime::error_json(id, true, line, "no such row");
  if (const auto* why = b.why_invalid(row)) return runtime::error_json(id, true, line, *why);
  ir::Evaluation e;
  b.results.evaluation(static_cast<std::size_t>(row), e);
  if (e.error != ir::EvalError::none) return runtime::error_json(id, true, line, b.engine->describe_error(e));
  auto day = b.day_of(row);
  return runtime::result_json({b.engine->ruleset(), b.frame, b.engine->content_hash(), id, day, *b.engine->ruleset().version_on(day)}, e);
}

Result<std::string> Batch::explain(std::int64_t row, const std::string& id, const ExplainStyle& style) const try {
  const auto& b = *impl_;
  if (row < 0 || row >= b.rows) return Status::failure("no row " + std::to_string(row));
  if (const auto* why = b.why_invalid(row)) return Status::failure(*why);
  runtime::Record r;
  r.id = id;
  r.has_id = true;
  r.line = static_cast<std::size_t>(row + 1);
  b.row_values(b.begin + row, r.values);
  auto interp = b.engine->interpreter();
  auto d = b.engine->decide(interp, b.frame, r.values, b.day_of(row), true);
  if (!d.ok) return Status::failure(d.error);
  return render_explanation(*b.engine, b.frame, r, d, style);
} catch (...) {
  return internal_error();
}

}  // namespace kijun
