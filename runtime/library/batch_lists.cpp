// A batch's list inputs (kijun/batch.h): the caller's offsets and one column per field of
// the record, bound as "list.field"; each row's elements checked as a row's inputs are, so
// generated code never reads an element that is not there or a value it cannot hold.
#include "runtime/library/batch_impl.hpp"

namespace kijun {

std::string Batch::Impl::check_value(const ir::Ruleset& rs, const ir::Input& in, ir::Value v) {
  switch (in.type.kind) {
    case dsl::Kind::bool_:
      if (v.num != 0 && v.num != 1) return in.name + ": a bool must be 0 or 1";
      break;
    case dsl::Kind::rate:
      if (v.den <= 0) return in.name + ": a rate's denominator must be positive";
      break;
    case dsl::Kind::enumeration:
      if (v.num < 0 || static_cast<std::size_t>(v.num) >= rs.enums[in.type.enum_id].values.size())
        return in.name + ": " + std::to_string(v.num) + " is not a value of " + rs.enums[in.type.enum_id].name;
      break;
    case dsl::Kind::date:
      if (v.num < dsl::min_day || v.num > dsl::max_day) return in.name + ": not a date within years 1 to 9999";
      break;
    default:
      if ((in.min && v.num < *in.min) || (in.max && v.num > *in.max))
        return in.name + ": " + std::to_string(v.num) + " is outside the input's range";
  }
  return "";
}

Result<Batch::Impl::Target> Batch::Impl::target(const std::string& name, dsl::Kind want) const {
  auto dot = name.find('.');
  if (dot == std::string::npos) {
    auto s = slot(name, want);
    if (!s.ok()) return s.status();
    return Target{s.value(), -1};
  }
  const auto& rs = engine->ruleset();
  auto list = name.substr(0, dot), field = name.substr(dot + 1);
  auto s = rs.input_index(list);
  const auto& inputs = rs.frames[frame].inputs;
  if (s < 0 || rs.inputs[s].type.kind != dsl::Kind::list ||
      std::find(inputs.begin(), inputs.end(), static_cast<std::uint32_t>(s)) == inputs.end())
    return Status::failure("`" + list + "` is not a list input of frame " + rs.frames[frame].name);
  const auto& fields = rs.records[rs.inputs[s].type.enum_id].fields;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].name != field) continue;
    if (!fits(fields[f].type.kind, want)) return Status::failure("`" + name + "` is not bound that way: see kijun::InputType of the field");
    return Target{static_cast<std::uint32_t>(s), static_cast<std::int32_t>(f)};
  }
  return Status::failure("`" + field + "` is not a field of `" + rs.records[rs.inputs[s].type.enum_id].name + "`");
}

void Batch::Impl::bind(const Target& t, const void* v, const std::int64_t* d, const std::uint8_t* valid) {
  if (t.field < 0) {
    values[t.slot] = v, denoms[t.slot] = d, validity[t.slot] = valid, bound[t.slot] = true;
    return;
  }
  auto& l = lists[t.slot];
  auto f = static_cast<std::size_t>(t.field);
  l.values[f] = v, l.denoms[f] = d, l.validity[f] = valid, l.bound[f] = true;
}

Status Batch::Impl::prepare_lists(std::int64_t first, std::int64_t last) {
  const auto& rs = engine->ruleset();
  bool unbound_optional = false;
  for (auto s : rs.frames[frame].inputs) {
    if (rs.inputs[s].type.kind != dsl::Kind::list) continue;
    if (!bound[s]) return Status::failure("list `" + rs.inputs[s].name + "` is not bound: give its offsets with bind_list");
    const auto& fields = rs.records[rs.inputs[s].type.enum_id].fields;
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (lists[s].bound[f] || fields[f].type.kind == dsl::Kind::text) continue;
      if (!fields[f].type.optional) return Status::failure("field `" + rs.inputs[s].name + "." + fields[f].name + "` is not bound");
      unbound_optional = true;
    }
  }
  if (!unbound_optional) return {};
  // An optional field left unbound is absent in every element, as one left out of a record:
  // a column of zeros with an empty bitmap, as long as the elements the offsets name
  // (rows whose offsets are not a range are refused before anything reads them).
  std::int64_t end = 0;
  for (auto s : rs.frames[frame].inputs)
    if (rs.inputs[s].type.kind == dsl::Kind::list) {
      const auto* offsets = static_cast<const std::int64_t*>(values[s]);
      for (std::int64_t r = first; r <= last; ++r) end = std::max(end, offsets[r]);
    }
  constexpr std::int64_t most = std::int64_t{1} << 32;
  if (end > most)
    return Status::failure("the offsets name element " + std::to_string(end) + ", beyond the " + std::to_string(most) +
                           " a batch with an unbound optional field can hold: bind every field, or run the batch in parts");
  auto n = static_cast<std::size_t>(end);
  unbound_elements.assign(std::max<std::size_t>(n, 1), 0);
  unbound_element_validity.assign(std::max<std::size_t>((n + 7) / 8, 1), 0);
  for (auto s : rs.frames[frame].inputs) {
    if (rs.inputs[s].type.kind != dsl::Kind::list) continue;
    const auto& fields = rs.records[rs.inputs[s].type.enum_id].fields;
    for (std::size_t f = 0; f < fields.size(); ++f)
      if (!lists[s].bound[f])
        lists[s].values[f] = unbound_elements.data(), lists[s].denoms[f] = unbound_elements.data(),
        lists[s].validity[f] = unbound_element_validity.data();
  }
  return {};
}

namespace {

ir::Value element_value(const ir::Input& field, const void* values, const std::int64_t* denoms, const std::uint8_t* validity,
                        std::int64_t at) {
  if (validity && !((validity[at >> 3] >> (at & 7)) & 1)) return ir::Value::absent();
  if (field.type.kind == dsl::Kind::bool_) return ir::Value::of(static_cast<const std::uint8_t*>(values)[at]);
  if (field.type.kind == dsl::Kind::rate) return {static_cast<const std::int64_t*>(values)[at], denoms[at]};
  return ir::Value::of(static_cast<const std::int64_t*>(values)[at]);
}

}  // namespace

std::string Batch::Impl::check_lists_of(std::uint32_t s, std::int64_t row) const {
  const auto& rs = engine->ruleset();
  const auto& in = rs.inputs[s];
  const auto* offsets = static_cast<const std::int64_t*>(values[s]);
  std::int64_t from = offsets[row], to = offsets[row + 1];
  if (from < 0 || to < from) return in.name + ": offsets " + std::to_string(from) + ".." + std::to_string(to) + " are not a range";
  if (to - from < in.min_length || to - from > in.max_length)
    return in.name + ": " + std::to_string(to - from) + " elements, where the list holds " + std::to_string(in.min_length) + " to " +
           std::to_string(in.max_length);
  const auto& l = lists[s];
  const auto& fields = rs.records[in.type.enum_id].fields;
  for (std::int64_t e = from; e < to; ++e)
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (fields[f].type.kind == dsl::Kind::text) continue;
      ir::Value v = element_value(fields[f], l.values[f], l.denoms[f], l.validity[f], e);
      std::string at = in.name + "[" + std::to_string(e - from) + "].";
      if (!v.present()) {
        if (!fields[f].type.optional) return at + fields[f].name + ": required value missing";
        continue;
      }
      if (auto why = check_value(rs, fields[f], v); !why.empty()) return at + why;
    }
  return "";
}

void Batch::Impl::row_values(std::int64_t row, std::vector<ir::Value>& out) const {
  const auto& rs = engine->ruleset();
  out.assign(rs.inputs.size(), ir::Value::absent());
  for (auto s : rs.frames[frame].inputs) {
    const auto& in = rs.inputs[s];
    if (in.type.kind == dsl::Kind::text) {
      out[s] = ir::Value::of(0);
    } else if (in.type.kind != dsl::Kind::list) {
      out[s] = value(s, row);
    } else {
      const auto* offsets = static_cast<const std::int64_t*>(values[s]);
      const auto& fields = rs.records[in.type.enum_id].fields;
      const auto& l = lists[s];
      out[s] = {offsets[row + 1] - offsets[row], static_cast<std::int64_t>(out.size())};
      for (std::int64_t e = offsets[row]; e < offsets[row + 1]; ++e)
        for (std::size_t f = 0; f < fields.size(); ++f)
          out.push_back(fields[f].type.kind == dsl::Kind::text ? ir::Value::of(0)
                                                               : element_value(fields[f], l.values[f], l.denoms[f], l.validity[f], e));
    }
  }
}

const kijun_batch_list* Batch::Impl::views() {
  const auto& rs = engine->ruleset();
  bool any = false;  // a list of a record without fields is still a list the code may count
  for (auto s : rs.frames[frame].inputs)
    if (rs.inputs[s].type.kind == dsl::Kind::list)
      list_views[s] = {lists[s].values.data(), lists[s].denoms.data(), lists[s].validity.data()}, any = true;
  return any ? list_views.data() : nullptr;
}

Status Batch::bind_list(const std::string& input, const std::int64_t* offsets) {
  auto t = impl_->target(input, dsl::Kind::list);
  if (!t.ok()) return t.status();
  impl_->bind(t.value(), offsets, nullptr, nullptr);
  return {};
}

}  // namespace kijun
