#include "runtime/audit/generator.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "compiler/ir/exact.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::runtime {

std::string generated_id(std::size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "G%07zu", index + 1);
  return buf;
}

ApplicantGenerator::ApplicantGenerator(const ir::Ruleset& rs, std::uint32_t frame, std::uint64_t seed,
                                       std::vector<std::vector<ir::Value>> seeds)
    : rs_(rs), slots_(rs.frames[frame].inputs), rng_(seed), seeds_(std::move(seeds)) {
  std::set<std::int64_t> ints{0, 1};
  std::set<std::pair<std::int64_t, std::int64_t>> rates{{0, 1}, {1, 1}};
  std::set<std::int64_t> dates;
  auto add_int = [&](std::int64_t c) {
    for (std::int64_t d : {-1, 0, 1})
      if (c > INT64_MIN + 1 && c < INT64_MAX - 1) ints.insert(c + d);
  };
  for (auto& n : rs.nodes) {
    if (n.op != ir::Op::constant || n.imm.den == 0) continue;
    if (n.kind == dsl::Kind::date) dates.insert(n.imm.num);
    else if (n.imm.den == 1 && n.kind != dsl::Kind::rate) add_int(n.imm.num);
    else rates.insert({n.imm.num, n.imm.den});
  }
  // A date key's cells are edges of dates (a round's first and last day and the days beside
  // them); other keys' cells are edges of numbers.
  for (auto& t : rs.tables)
    for (auto& row : t.rows) {
      for (std::size_t c = 0; c < row.keys.size(); ++c) {
        const auto& cell = row.keys[c];
        bool is_date = rs.node(t.keys[c]).kind == dsl::Kind::date;
        auto add = [&](std::int64_t v) {
          if (!is_date) return add_int(v);
          for (std::int64_t d : {-1, 0, 1}) dates.insert(v + d);
        };
        for (auto v : cell.values) add(v);
        if (cell.lo != INT64_MIN) add(cell.lo);
        if (cell.hi != INT64_MAX) add(cell.hi);
      }
    }
  for (auto& in : rs.inputs) {
    if (in.min) add_int(*in.min);
    if (in.max) add_int(*in.max);
  }
  for (auto& r : rs.records)
    for (auto& f : r.fields) {
      if (f.min) add_int(*f.min);
      if (f.max) add_int(*f.max);
    }
  // Amounts cross thresholds after a rate is applied: c ÷ r is an edge of the input.
  std::vector<std::int64_t> base(ints.begin(), ints.end());
  for (auto c : base)
    for (auto& [n, d] : rates)
      if (n > 0 && c > 0 && c < (INT64_MAX / 4) / d) add_int(c * d / n);
  ints_.assign(ints.begin(), ints.end());
  for (auto& [n, d] : rates) {
    rates_.push_back({n, d});
    ir::Value v;
    if (ir::exact::make(static_cast<ir::exact::i128>(n) * 1000 + 1, static_cast<ir::exact::i128>(d) * 1000, v) == ir::EvalError::none)
      rates_.push_back(v);
    if (ir::exact::make(static_cast<ir::exact::i128>(n) * 1000 - 1, static_cast<ir::exact::i128>(d) * 1000, v) == ir::EvalError::none)
      rates_.push_back(v);
  }
  for (auto& v : rs.versions) dates.insert(v.date);
  for (auto d : std::vector<std::int64_t>(dates.begin(), dates.end()))
    for (std::int64_t shift : {-366, -365, -1, 1, 365, 366}) dates.insert(d + shift);
  dates_.assign(dates.begin(), dates.end());
  if (dates_.empty()) dates_.push_back(*dsl::parse_date("2026-04-01"));
}

std::int64_t ApplicantGenerator::integer(const ir::Input& in) {
  std::int64_t lo = in.min.value_or(-1000), hi = in.max.value_or(INT64_MAX);
  std::int64_t v;
  double r = std::uniform_real_distribution<double>(0, 1)(rng_);
  if (r < 0.6) v = pick(ints_);
  else if (r < 0.9) v = std::uniform_int_distribution<std::int64_t>(lo, std::min(hi, lo + 2'000'000))(rng_);
  else if (r < 0.97) v = std::uniform_int_distribution<std::int64_t>(lo, std::min(hi, std::int64_t{4'000'000'000'000}))(rng_);
  else v = std::uniform_int_distribution<std::int64_t>(std::max(lo, INT64_MIN / 2), hi)(rng_);  // overflow territory
  return std::clamp(v, lo, hi);
}

ir::Value ApplicantGenerator::rate() {
  if (chance(0.7)) return pick(rates_);
  std::int64_t d = std::uniform_int_distribution<std::int64_t>(1, 1000)(rng_);
  std::int64_t n = std::uniform_int_distribution<std::int64_t>(-100, 1100)(rng_);
  ir::Value v;
  ir::exact::make(n, d, v);
  return v;
}

std::int64_t ApplicantGenerator::date() {
  if (chance(0.7)) return pick(dates_);
  std::int64_t centre = dates_[dates_.size() / 2];
  return centre + std::uniform_int_distribution<std::int64_t>(-1500, 1500)(rng_);
}

ir::Value ApplicantGenerator::input(const ir::Input& in) {
  if (in.type.optional && chance(0.2)) return ir::Value::absent();
  switch (in.type.kind) {
    case dsl::Kind::bool_: return ir::Value::of(chance(0.5) ? 1 : 0);
    case dsl::Kind::rate: return rate();
    case dsl::Kind::date: return ir::Value::of(date());
    case dsl::Kind::enumeration: {
      auto n = static_cast<std::int64_t>(rs_.enums[in.type.enum_id].values.size());
      return ir::Value::of(std::uniform_int_distribution<std::int64_t>(0, n - 1)(rng_));
    }
    case dsl::Kind::text: return ir::Value::of(0);
    default: return ir::Value::of(integer(in));
  }
}

// A list's length: now and then the longest it may be, mostly an edge the rules name (a
// group of 9 or 10) or a short list.
std::int64_t ApplicantGenerator::length(const ir::Input& in) {
  std::int64_t lo = in.min_length, hi = in.max_length, near = std::min(hi, lo + 64);
  double r = std::uniform_real_distribution<double>(0, 1)(rng_);
  if (r < 0.02) return hi;
  if (r < 0.6) {
    std::vector<std::int64_t> edges;
    for (auto v : ints_)
      if (v >= lo && v <= near) edges.push_back(v);
    if (!edges.empty()) return pick(edges);
  }
  return std::uniform_int_distribution<std::int64_t>(lo, std::min(hi, lo + 20))(rng_);
}

// A list: its elements appended to `values` (ir.hpp Record), mostly like the elements of a
// seed's list with a field changed here and there, else made field by field.
void ApplicantGenerator::list(std::uint32_t slot, std::vector<ir::Value>& values) {
  const auto& fields = rs_.records[rs_.inputs[slot].type.enum_id].fields;
  std::int64_t n = length(rs_.inputs[slot]);
  const std::vector<ir::Value>* seed = seeds_.empty() || !chance(0.8) ? nullptr : &pick(seeds_);
  ir::Value from = seed ? (*seed)[slot] : ir::Value::absent();
  if (!from.present() || from.num == 0) seed = nullptr;
  const auto first = values.size();
  for (std::int64_t e = 0; e < n; ++e) {
    auto like = seed ? static_cast<std::size_t>(from.den) + static_cast<std::size_t>(e % from.num) * fields.size() : 0;
    for (std::size_t f = 0; f < fields.size(); ++f) values.push_back(seed ? (*seed)[like + f] : input(fields[f]));
    if (seed && !fields.empty() && chance(0.1)) {
      auto f = std::uniform_int_distribution<std::size_t>(0, fields.size() - 1)(rng_);
      values[first + static_cast<std::size_t>(e) * fields.size() + f] = input(fields[f]);
    }
  }
  values[slot] = {n, static_cast<std::int64_t>(first)};
}

// Sets one input: a list made anew, or now and then one field of one of its elements changed.
void ApplicantGenerator::set(std::uint32_t slot, std::vector<ir::Value>& values) {
  const auto& in = rs_.inputs[slot];
  if (in.type.kind != dsl::Kind::list) {
    values[slot] = input(in);
    return;
  }
  ir::Value v = values[slot];
  const auto& fields = rs_.records[in.type.enum_id].fields;
  if (v.present() && v.num > 0 && !fields.empty() && chance(0.5)) {
    auto e = std::uniform_int_distribution<std::int64_t>(0, v.num - 1)(rng_);
    auto f = std::uniform_int_distribution<std::size_t>(0, fields.size() - 1)(rng_);
    values[static_cast<std::size_t>(v.den) + static_cast<std::size_t>(e) * fields.size() + f] = input(fields[f]);
    return;
  }
  list(slot, values);
}

// Copies input `slot` of `from` into `values`, a list's elements appended.
void ApplicantGenerator::copy(std::uint32_t slot, const std::vector<ir::Value>& from, std::vector<ir::Value>& values) {
  ir::Value v = from[slot];
  if (rs_.inputs[slot].type.kind != dsl::Kind::list || !v.present()) {
    values[slot] = v;
    return;
  }
  auto width = rs_.records[rs_.inputs[slot].type.enum_id].fields.size();
  const auto first = values.size();
  auto begin = from.begin() + v.den;
  values.insert(values.end(), begin, begin + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(v.num) * width));
  values[slot] = {v.num, static_cast<std::int64_t>(first)};
}

void ApplicantGenerator::next(std::vector<ir::Value>& values, std::int64_t& as_of) {
  if (!seeds_.empty() && chance(0.85)) {
    values = pick(seeds_);
    int changes = std::uniform_int_distribution<int>(0, 3)(rng_);
    for (int c = 0; c < changes; ++c) set(pick(slots_), values);
  } else {
    values.assign(rs_.inputs.size(), ir::Value::absent());
    for (auto s : slots_) set(s, values);
  }
  as_of = rs_.as_of_input < rs_.inputs.size() && values[rs_.as_of_input].present() ? values[rs_.as_of_input].num : date();
}

void ApplicantGenerator::fill(std::vector<ir::Value>& values, const std::vector<std::uint32_t>& slots) {
  if (slots.empty()) return;
  if (!seeds_.empty() && chance(0.85)) {
    const auto& seed = pick(seeds_);
    for (auto s : slots) copy(s, seed, values);
    if (chance(0.3)) set(pick(slots), values);
    return;
  }
  for (auto s : slots) {
    values[s] = ir::Value::absent();
    set(s, values);
  }
}

}  // namespace kijun::runtime
