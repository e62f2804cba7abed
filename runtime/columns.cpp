#include "runtime/columns.hpp"

namespace kijun::runtime {

void Column::push(const dsl::Type& type, const ir::Value& v, std::size_t at) {
  if (type.kind == dsl::Kind::bool_) bools.push_back(static_cast<std::uint8_t>(v.num));
  else ints.push_back(v.num);
  if (type.kind == dsl::Kind::rate) dens.push_back(v.den);
  if (type.optional) {
    if (at % 8 == 0) valid.push_back(0);
    if (v.present()) valid.back() |= static_cast<std::uint8_t>(1u << (at % 8));
  }
}

ir::Value Column::get(const dsl::Type& type, std::size_t at) const {
  if (type.optional && !((valid[at / 8] >> (at % 8)) & 1)) return ir::Value::absent();
  if (type.kind == dsl::Kind::bool_) return ir::Value::of(bools[at]);
  if (type.kind == dsl::Kind::rate) return {ints[at], dens[at]};
  return ir::Value::of(ints[at]);
}

const void* Column::values(const dsl::Type& type) const {
  return type.kind == dsl::Kind::bool_ ? static_cast<const void*>(bools.data()) : static_cast<const void*>(ints.data());
}

ColumnBatch::ColumnBatch(const ir::Ruleset& rs, std::uint32_t frame) : rs_(rs), slots_(rs.frames[frame].inputs) {
  auto n = rs.inputs.size();
  cols_.resize(n);
  fields_.resize(n);
  list_ptrs_.resize(n);
  lists_.assign(n, kijun_batch_list{});
  value_ptrs_.assign(n, nullptr);
  den_ptrs_.assign(n, nullptr);
  valid_ptrs_.assign(n, nullptr);
  for (auto s : slots_)
    if (rs.inputs[s].type.kind == dsl::Kind::list) {
      fields_[s].resize(rs.records[rs.inputs[s].type.enum_id].fields.size());
      has_lists_ = true;
    }
  clear();
}

void ColumnBatch::clear() {
  for (auto s : slots_) {
    cols_[s].clear();
    for (auto& f : fields_[s]) f.clear();
    if (rs_.inputs[s].type.kind == dsl::Kind::list) cols_[s].ints.push_back(0);  // offsets start at 0
  }
  as_of_.clear();
}

void ColumnBatch::push(const ir::Value* values, std::int64_t as_of) {
  std::size_t row = as_of_.size();
  for (auto s : slots_) {
    const auto& type = rs_.inputs[s].type;
    const ir::Value& v = values[s];
    if (type.kind != dsl::Kind::list) {
      cols_[s].push(type, v, row);
      continue;
    }
    const auto& fields = rs_.records[type.enum_id].fields;
    std::int64_t count = v.present() ? v.num : 0;
    std::size_t at = static_cast<std::size_t>(cols_[s].ints.back());
    for (std::int64_t e = 0; e < count; ++e, ++at)
      for (std::size_t f = 0; f < fields.size(); ++f)
        fields_[s][f].push(fields[f].type, values[static_cast<std::size_t>(v.den) + static_cast<std::size_t>(e) * fields.size() + f], at);
    cols_[s].ints.push_back(static_cast<std::int64_t>(at));
  }
  as_of_.push_back(as_of);
}

void ColumnBatch::row(std::size_t i, std::vector<ir::Value>& values) const {
  values.assign(rs_.inputs.size(), ir::Value::absent());
  for (auto s : slots_) {
    const auto& type = rs_.inputs[s].type;
    if (type.kind != dsl::Kind::list) {
      values[s] = cols_[s].get(type, i);
      continue;
    }
    const auto& fields = rs_.records[type.enum_id].fields;
    auto begin = static_cast<std::size_t>(cols_[s].ints[i]), end = static_cast<std::size_t>(cols_[s].ints[i + 1]);
    values[s] = {static_cast<std::int64_t>(end - begin), static_cast<std::int64_t>(values.size())};
    for (std::size_t e = begin; e < end; ++e)
      for (std::size_t f = 0; f < fields.size(); ++f) values.push_back(fields_[s][f].get(fields[f].type, e));
  }
}

const kijun_batch_in& ColumnBatch::view() {
  for (auto s : slots_) {
    const auto& type = rs_.inputs[s].type;
    value_ptrs_[s] = cols_[s].values(type);
    den_ptrs_[s] = type.kind == dsl::Kind::rate ? cols_[s].dens.data() : nullptr;
    valid_ptrs_[s] = type.optional ? cols_[s].valid.data() : nullptr;
    if (type.kind != dsl::Kind::list) continue;
    value_ptrs_[s] = cols_[s].ints.data();
    const auto& fields = rs_.records[type.enum_id].fields;
    auto& view = list_ptrs_[s];
    view.values.assign(fields.size(), nullptr);
    view.dens.assign(fields.size(), nullptr);
    view.valid.assign(fields.size(), nullptr);
    for (std::size_t f = 0; f < fields.size(); ++f) {
      view.values[f] = fields_[s][f].values(fields[f].type);
      if (fields[f].type.kind == dsl::Kind::rate) view.dens[f] = fields_[s][f].dens.data();
      if (fields[f].type.optional) view.valid[f] = fields_[s][f].valid.data();
    }
    lists_[s] = {view.values.data(), view.dens.data(), view.valid.data()};
  }
  in_.rows = static_cast<std::int64_t>(as_of_.size());
  in_.values = value_ptrs_.data();
  in_.denoms = den_ptrs_.data();
  in_.validity = valid_ptrs_.data();
  in_.as_of = as_of_.data();
  in_.as_of_day = 0;
  in_.lists = has_lists_ ? lists_.data() : nullptr;
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

namespace {

// p - n, in address arithmetic: the pointer is only used at indices that land in the array.
template <typename T>
T* minus(T* p, std::int64_t n) {
  return reinterpret_cast<T*>(reinterpret_cast<std::uintptr_t>(p) - static_cast<std::uintptr_t>(n) * sizeof(T));
}

}  // namespace

kijun_batch_out addressed_by_row(const kijun_batch_out& out, std::int64_t first, std::uint32_t words) {
  kijun_batch_out o = out;
  o.eligible = minus(o.eligible, first), o.amount = minus(o.amount, first), o.rate_num = minus(o.rate_num, first);
  o.rate_den = minus(o.rate_den, first), o.bonus_points = minus(o.bonus_points, first);
  o.penalty_points = minus(o.penalty_points, first), o.error = minus(o.error, first);
  o.error_rule = minus(o.error_rule, first), o.error_site = minus(o.error_site, first);
  o.failed = minus(o.failed, first * words), o.scored = minus(o.scored, first * words);
  return o;
}

dsl::Span site_span(const ir::Ruleset& rs, std::uint32_t site) {
  if (site & ir::def_site_flag) return rs.defs[site & ~ir::def_site_flag].span;
  return site < rs.nodes.size() ? rs.nodes[site].span : dsl::Span{};
}

}  // namespace kijun::runtime
