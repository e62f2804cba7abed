#include "runtime/columns.hpp"

namespace kijun::runtime {

ColumnBatch::ColumnBatch(const ir::Ruleset& rs, std::uint32_t frame) : rs_(rs), slots_(rs.frames[frame].inputs) {
  auto n = rs.inputs.size();
  ints_.resize(n);
  bools_.resize(n);
  dens_.resize(n);
  valid_.resize(n);
  value_ptrs_.assign(n, nullptr);
  den_ptrs_.assign(n, nullptr);
  valid_ptrs_.assign(n, nullptr);
}

void ColumnBatch::clear() {
  for (auto s : slots_) {
    ints_[s].clear();
    bools_[s].clear();
    dens_[s].clear();
    valid_[s].clear();
  }
  as_of_.clear();
}

void ColumnBatch::push(const ir::Value* values, std::int64_t as_of) {
  std::size_t row = as_of_.size();
  for (auto s : slots_) {
    const auto& type = rs_.inputs[s].type;
    const ir::Value& v = values[s];
    if (type.kind == dsl::Kind::bool_) bools_[s].push_back(static_cast<std::uint8_t>(v.num));
    else ints_[s].push_back(v.num);
    if (type.kind == dsl::Kind::rate) dens_[s].push_back(v.den);
    if (type.optional) {
      if (row % 8 == 0) valid_[s].push_back(0);
      if (v.present()) valid_[s].back() |= static_cast<std::uint8_t>(1u << (row % 8));
    }
  }
  as_of_.push_back(as_of);
}

void ColumnBatch::row(std::size_t i, std::vector<ir::Value>& values) const {
  values.assign(rs_.inputs.size(), ir::Value::absent());
  for (auto s : slots_) {
    const auto& type = rs_.inputs[s].type;
    if (type.optional && !((valid_[s][i / 8] >> (i % 8)) & 1)) continue;
    if (type.kind == dsl::Kind::bool_) values[s] = ir::Value::of(bools_[s][i]);
    else if (type.kind == dsl::Kind::rate) values[s] = {ints_[s][i], dens_[s][i]};
    else values[s] = ir::Value::of(ints_[s][i]);
  }
}

const kijun_batch_in& ColumnBatch::view() {
  for (auto s : slots_) {
    const auto& type = rs_.inputs[s].type;
    value_ptrs_[s] = type.kind == dsl::Kind::bool_ ? static_cast<const void*>(bools_[s].data())
                                                    : static_cast<const void*>(ints_[s].data());
    den_ptrs_[s] = type.kind == dsl::Kind::rate ? dens_[s].data() : nullptr;
    valid_ptrs_[s] = type.optional ? valid_[s].data() : nullptr;
  }
  in_.rows = static_cast<std::int64_t>(as_of_.size());
  in_.values = value_ptrs_.data();
  in_.denoms = den_ptrs_.data();
  in_.validity = valid_ptrs_.data();
  in_.as_of = as_of_.data();
  in_.as_of_day = 0;
  return in_;
}

BatchResults::BatchResults(const ir::Ruleset& rs, std::uint32_t frame)
    : rs_(rs), frame_(frame), words_(ir::bitset_words(rs.frames[frame].rules.size())) {}

kijun_batch_out& BatchResults::view(std::size_t rows) {
  eligible_.resize(rows);
  error_.resize(rows);
  amount_.resize(rows);
  rate_num_.resize(rows);
  rate_den_.resize(rows);
  bonus_.resize(rows);
  penalty_.resize(rows);
  failed_.resize(rows * words_);
  scored_.resize(rows * words_);
  error_rule_.resize(rows);
  error_site_.resize(rows);
  out_ = {eligible_.data(), amount_.data(), rate_num_.data(), rate_den_.data(), bonus_.data(), penalty_.data(),
          failed_.data(), scored_.data(), error_.data(), error_rule_.data(), error_site_.data()};
  return out_;
}

void BatchResults::evaluation(std::size_t i, ir::Evaluation& e) const {
  const auto& f = rs_.frames[frame_];
  e = ir::Evaluation{};
  e.error = static_cast<ir::EvalError>(error_[i]);
  if (e.error != ir::EvalError::none) {
    e.error_site = error_site_[i];
    e.error_span = site_span(rs_, e.error_site);
    e.error_rule = error_rule_[i] < 0 ? -1 : static_cast<std::int32_t>(f.rules[static_cast<std::size_t>(error_rule_[i])]);
    return;
  }
  e.eligible = eligible_[i] != 0;
  e.amount = amount_[i];
  e.has_rate = f.rate != UINT32_MAX;
  e.rate = {rate_num_[i], rate_den_[i]};
  e.bonus_points = bonus_[i];
  e.penalty_points = penalty_[i];
  for (std::uint32_t k = 0; k < f.rules.size(); ++k) {
    std::uint64_t bit = 1ULL << (k % 64);
    if (failed_[i * words_ + k / 64] & bit) e.failed.push_back(f.rules[k]);
    if (scored_[i * words_ + k / 64] & bit)
      (rs_.rules[f.rules[k]].kind == dsl::RuleKind::bonus ? e.bonus : e.penalty).push_back(f.rules[k]);
  }
}

void BatchResults::store(std::size_t i, const ir::Evaluation& e) {
  const auto& f = rs_.frames[frame_];
  error_[i] = static_cast<std::uint8_t>(e.error);
  error_site_[i] = e.error_site;
  error_rule_[i] = -1;
  for (std::size_t k = 0; k < f.rules.size(); ++k)
    if (static_cast<std::int32_t>(f.rules[k]) == e.error_rule) error_rule_[i] = static_cast<std::int32_t>(k);
  eligible_[i] = e.eligible;
  amount_[i] = e.amount;
  rate_num_[i] = e.rate.num;
  rate_den_[i] = e.rate.den;
  bonus_[i] = e.bonus_points;
  penalty_[i] = e.penalty_points;
  for (std::uint32_t w = 0; w < words_; ++w) failed_[i * words_ + w] = scored_[i * words_ + w] = 0;
  auto set = [&](std::vector<std::uint64_t>& words, std::uint32_t rule) {
    for (std::uint32_t k = 0; k < f.rules.size(); ++k)
      if (f.rules[k] == rule) words[i * words_ + k / 64] |= 1ULL << (k % 64);
  };
  for (auto r : e.failed) set(failed_, r);
  for (auto r : e.bonus) set(scored_, r);
  for (auto r : e.penalty) set(scored_, r);
}

dsl::Span site_span(const ir::Ruleset& rs, std::uint32_t site) {
  if (site & ir::def_site_flag) return rs.defs[site & ~ir::def_site_flag].span;
  return site < rs.nodes.size() ? rs.nodes[site].span : dsl::Span{};
}

}  // namespace kijun::runtime
