// Batch::bind_arrow: the children of an Arrow struct array bound to a frame's inputs. A
// column whose layout is the batch's (int64 values, a validity bitmap at a whole byte) is
// read in place; any other is converted once, exactly, into a column the batch owns.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "kijun/arrow.h"
#include "runtime/library/batch_impl.hpp"

namespace kijun {

namespace {

__extension__ typedef __int128 i128;

std::size_t int_width(const char* format) {
  if (!format[0] || format[1]) return 0;
  switch (format[0]) {
    case 'c': case 'C': return 1;
    case 's': case 'S': return 2;
    case 'i': case 'I': return 4;
    case 'l': return 8;
    default: return 0;
  }
}

// Integer i of an integer buffer of `format`, widened to int64.
std::int64_t int_at(const void* data, const char* format, std::int64_t i) {
  switch (format[0]) {
    case 'c': return static_cast<const std::int8_t*>(data)[i];
    case 'C': return static_cast<const std::uint8_t*>(data)[i];
    case 's': return static_cast<const std::int16_t*>(data)[i];
    case 'S': return static_cast<const std::uint16_t*>(data)[i];
    case 'i': return static_cast<const std::int32_t*>(data)[i];
    case 'I': return static_cast<const std::uint32_t*>(data)[i];
    default: return static_cast<const std::int64_t*>(data)[i];
  }
}

bool bit(const void* bits, std::int64_t i) { return (static_cast<const std::uint8_t*>(bits)[i >> 3] >> (i & 7)) & 1; }

// String i of a "u" (int32 offsets) or "U" (int64 offsets) array at element offset `at`.
std::string_view string_at(const ArrowArray& a, bool large, std::int64_t i) {
  const char* data = static_cast<const char*>(a.buffers[2]);
  if (large) {
    const auto* o = static_cast<const std::int64_t*>(a.buffers[1]);
    return {data + o[i], static_cast<std::size_t>(o[i + 1] - o[i])};
  }
  const auto* o = static_cast<const std::int32_t*>(a.buffers[1]);
  return {data + o[i], static_cast<std::size_t>(o[i + 1] - o[i])};
}

bool is_string(const char* f) { return std::strcmp(f, "u") == 0 || std::strcmp(f, "U") == 0; }

// The code of value `name` of an enum, or -1 (refused by the run's checks, as any code
// that is not a value's).
std::int64_t enum_code(const std::vector<std::string>& values, std::string_view name) {
  for (std::size_t v = 0; v < values.size(); ++v)
    if (values[v] == name) return static_cast<std::int64_t>(v);
  return -1;
}

}  // namespace

Result<std::int64_t> Batch::bind_arrow(const ArrowSchema& schema, const ArrowArray& array) try {
  auto& b = *impl_;
  const auto& rs = b.engine->ruleset();
  if (!schema.format || std::strcmp(schema.format, "+s") != 0)
    return Status::failure("an Arrow struct array (format +s) is bound, not one of format " + std::string(schema.format ? schema.format : "(none)"));
  if (!array.release) return Status::failure("the Arrow array has been released");
  if (schema.n_children != array.n_children) return Status::failure("the Arrow schema and array have different numbers of children");
  if (array.length < 0 || array.offset < 0) return Status::failure("the Arrow struct array's length or offset is negative");
  std::int64_t rows = array.length;
  // Columns bound by an earlier Arrow binding go, and whatever this one bound if it fails:
  // no input is left pointing at a column that is gone, or at a shorter one.
  b.unbind_arrow();
  struct Unbind {
    Impl& b;
    bool done = false;
    ~Unbind() {
      if (!done) b.unbind_arrow();
    }
  } unbind{b};
  // The struct's own nulls make a row's every input absent: folded into each child's bitmap.
  const void* parent_valid = array.null_count != 0 && array.n_buffers > 0 ? array.buffers[0] : nullptr;
  const auto& inputs = rs.frames[b.frame].inputs;
  for (std::int64_t c = 0; c < schema.n_children; ++c) {
    if (!schema.children || !array.children || !schema.children[c] || !array.children[c])
      return Status::failure("the Arrow struct array lacks child " + std::to_string(c));
    const ArrowSchema& cs = *schema.children[c];
    const ArrowArray& ca = *array.children[c];
    std::string name = cs.name ? cs.name : "";
    if (name == "id") continue;
    auto slot = rs.input_index(name);
    if (slot < 0 || std::find(inputs.begin(), inputs.end(), static_cast<std::uint32_t>(slot)) == inputs.end())
      return Status::failure("Arrow column `" + name + "` is not an input of frame " + rs.frames[b.frame].name);
    if (rs.inputs[slot].type.kind == dsl::Kind::text) continue;
    if (ca.length < 0 || ca.offset < 0) return Status::failure("Arrow column `" + name + "`: its length or offset is negative");
    if (ca.length < array.offset + rows) return Status::failure("Arrow column `" + name + "` is shorter than the struct array");
    b.arrow_slots.push_back(static_cast<std::uint32_t>(slot));  // before binding: unbound again if this fails
    auto failed = b.bind_arrow_column(rs.inputs[slot], {static_cast<std::uint32_t>(slot), -1}, cs, ca, ca.offset + array.offset, rows,
                                      parent_valid, array.offset);
    if (!failed.empty()) return Status::failure("Arrow column `" + name + "`: " + failed);
  }
  b.arrow_rows = rows;
  unbind.done = true;
  return rows;
} catch (...) {
  return internal_error();
}

std::string Batch::Impl::bind_arrow_column(const ir::Input& in, Target target, const ArrowSchema& cs, const ArrowArray& ca,
                                           std::int64_t at, std::int64_t count, const void* parent_valid, std::int64_t parent_at) {
  const auto& rs = engine->ruleset();
  const char* f = cs.format ? cs.format : "";
  auto n = static_cast<std::size_t>(count);
  if (cs.dictionary && in.type.kind != dsl::Kind::enumeration) return "a dictionary-encoded column is read for an enum only";
  // The bitmap: in place at a whole byte and without the struct's nulls; else made here.
  const void* valid = ca.null_count != 0 && ca.n_buffers > 0 ? ca.buffers[0] : nullptr;
  const std::uint8_t* presence = nullptr;
  if (valid && !parent_valid && at % 8 == 0) {
    presence = static_cast<const std::uint8_t*>(valid) + at / 8;
  } else if (valid || parent_valid) {
    auto& bits = arrow_bytes.emplace_back((n + 7) / 8 + 1, std::uint8_t{0});
    for (std::int64_t r = 0; r < count; ++r)
      if ((!valid || bit(valid, at + r)) && (!parent_valid || bit(parent_valid, parent_at + r)))
        bits[static_cast<std::size_t>(r) >> 3] |= static_cast<std::uint8_t>(1u << (r & 7));
    presence = bits.data();
  }
  // A null of a required input is a row refused with "required value missing" by the run.
  auto present = [&](std::int64_t r) { return !presence || ((presence[r >> 3] >> (r & 7)) & 1); };
  const void* data = ca.n_buffers > 1 ? ca.buffers[1] : nullptr;
  if (count > 0 && !data) return "the array has no values buffer";
  if (is_string(f) && (ca.n_buffers < 3 || (count > 0 && !ca.buffers[2]))) return "a string array needs its offsets and data";
  auto widen = [&](const void* from, const char* format) -> const std::int64_t* {
    if (std::strcmp(format, "l") == 0) return static_cast<const std::int64_t*>(from) + at;
    auto& col = arrow_ints.emplace_back(std::max<std::size_t>(n, 1), 0);
    for (std::int64_t r = 0; r < count; ++r) col[static_cast<std::size_t>(r)] = int_at(from, format, at + r);
    return col.data();
  };
  switch (in.type.kind) {
    case dsl::Kind::bool_: {
      if (std::strcmp(f, "C") == 0 || std::strcmp(f, "c") == 0) {
        bind(target, static_cast<const std::uint8_t*>(data) + at, nullptr, presence);
        return "";
      }
      if (std::strcmp(f, "b") != 0) return std::string("a bool is read from format b, c or C, not ") + f;
      auto& col = arrow_bytes.emplace_back(std::max<std::size_t>(n, 1), std::uint8_t{0});
      for (std::int64_t r = 0; r < count; ++r) col[static_cast<std::size_t>(r)] = bit(data, at + r);
      bind(target, col.data(), nullptr, presence);
      return "";
    }
    case dsl::Kind::rate: {
      if (int_width(f)) {
        auto& dens = arrow_ints.emplace_back(std::max<std::size_t>(n, 1), 1);
        bind(target, widen(data, f), dens.data(), presence);
        return "";
      }
      int precision = 0, scale = 0, width = 128;
      if (std::sscanf(f, "d:%d,%d,%d", &precision, &scale, &width) < 2 || width != 128)
        return std::string("a rate is read from a decimal128 (d:P,S) or an integer, not ") + f;
      if (scale < 0 || scale > 18) return "a decimal's scale must be 0 to 18 to be a rate";
      std::int64_t den = 1;
      for (int i = 0; i < scale; ++i) den *= 10;
      auto& nums = arrow_ints.emplace_back(std::max<std::size_t>(n, 1), 0);
      auto& dens = arrow_ints.emplace_back(std::max<std::size_t>(n, 1), den);
      for (std::int64_t r = 0; r < count; ++r) {
        if (!present(r)) continue;
        i128 v;
        std::memcpy(&v, static_cast<const char*>(data) + 16 * (at + r), sizeof v);
        if (v < INT64_MIN || v > INT64_MAX) return "row " + std::to_string(r) + ": the decimal does not fit in 64 bits";
        nums[static_cast<std::size_t>(r)] = static_cast<std::int64_t>(v);
      }
      bind(target, nums.data(), dens.data(), presence);
      return "";
    }
    case dsl::Kind::date:
      if (std::strcmp(f, "tdD") == 0) {
        bind(target, widen(data, "i"), nullptr, presence);
        return "";
      }
      if (!int_width(f)) return std::string("a date is read from date32 (tdD) or integer days, not ") + f;
      bind(target, widen(data, f), nullptr, presence);
      return "";
    case dsl::Kind::enumeration: {
      const auto& names = rs.enums[in.type.enum_id].values;
      if (cs.dictionary) {
        // Indices into a dictionary of names: each name's code found once.
        const char* df = cs.dictionary->format ? cs.dictionary->format : "";
        if (!is_string(df) || !int_width(f) || !ca.dictionary) return "an enum's dictionary must hold names (u or U) under integer indices";
        const ArrowArray& dict = *ca.dictionary;
        if (dict.length < 0 || dict.offset < 0 || (dict.length > 0 && (dict.n_buffers < 3 || !dict.buffers[1] || !dict.buffers[2])))
          return "the enum's dictionary needs its offsets and data";
        if (dict.n_buffers > 0 && dict.buffers[0])
          for (std::int64_t d = 0; d < dict.length; ++d)
            if (!bit(dict.buffers[0], dict.offset + d)) return "the enum's dictionary has a null entry";
        std::vector<std::int64_t> code(static_cast<std::size_t>(dict.length));
        for (std::int64_t d = 0; d < dict.length; ++d)
          code[static_cast<std::size_t>(d)] = enum_code(names, string_at(dict, df[0] == 'U', dict.offset + d));
        auto& col = arrow_ints.emplace_back(std::max<std::size_t>(n, 1), 0);
        for (std::int64_t r = 0; r < count; ++r) {
          if (!present(r)) continue;
          auto index = int_at(data, f, at + r);
          col[static_cast<std::size_t>(r)] = index >= 0 && index < dict.length ? code[static_cast<std::size_t>(index)] : -1;
        }
        bind(target, col.data(), nullptr, presence);
        return "";
      }
      if (is_string(f)) {
        auto& col = arrow_ints.emplace_back(std::max<std::size_t>(n, 1), 0);
        for (std::int64_t r = 0; r < count; ++r)
          if (present(r)) col[static_cast<std::size_t>(r)] = enum_code(names, string_at(ca, f[0] == 'U', at + r));
        bind(target, col.data(), nullptr, presence);
        return "";
      }
      if (!int_width(f)) return std::string("an enum is read from codes, names (u, U) or a dictionary of names, not ") + f;
      bind(target, widen(data, f), nullptr, presence);
      return "";
    }
    case dsl::Kind::list:
      // A row of the struct that is null has no list to give: refused as a null list is.
      if (parent_valid)
        for (std::int64_t r = 0; r < count; ++r)
          if (!bit(parent_valid, parent_at + r)) return "row " + std::to_string(r) + " of the struct is null: give an empty list instead";
      return bind_arrow_list(in, target.slot, cs, ca, at, count);
    default:
      if (!int_width(f)) return std::string("an integer is read from format l, i, s, c, I, S or C, not ") + f;
      bind(target, widen(data, f), nullptr, presence);
      return "";
  }
}

// A list of records: "+l" or "+L" over a struct array of the record's fields. Its offsets
// (widened to int64) index that struct's elements; each field is bound as an input is, over
// the elements.
std::string Batch::Impl::bind_arrow_list(const ir::Input& in, std::uint32_t slot, const ArrowSchema& cs, const ArrowArray& ca,
                                         std::int64_t at, std::int64_t count) {
  const auto& rs = engine->ruleset();
  const char* f = cs.format ? cs.format : "";
  bool large = std::strcmp(f, "+L") == 0;
  if (!large && std::strcmp(f, "+l") != 0) return std::string("a list is read from a list (+l) or large list (+L), not ") + f;
  if (cs.n_children != 1 || ca.n_children != 1 || !cs.children || !ca.children || !cs.children[0] || !ca.children[0] ||
      !cs.children[0]->format || std::strcmp(cs.children[0]->format, "+s") != 0)
    return "a list's elements must be a struct array of the record's fields";
  // A null count of -1 is unknown: the bitmap says.
  if (ca.null_count != 0 && ca.n_buffers > 0 && ca.buffers[0])
    for (std::int64_t r = 0; r < count; ++r)
      if (!bit(ca.buffers[0], at + r)) return "a list column has nulls: give an empty list instead";
  const ArrowSchema& es = *cs.children[0];
  const ArrowArray& ea = *ca.children[0];
  if (ea.length < 0 || ea.offset < 0) return "the elements' length or offset is negative";
  if (es.n_children != ea.n_children) return "the elements' schema and array have different numbers of fields";
  auto& offsets = arrow_ints.emplace_back(static_cast<std::size_t>(count) + 1, 0);
  if (count > 0 && (ca.n_buffers < 2 || !ca.buffers[1])) return "the list has no offsets buffer";
  for (std::int64_t r = 0; count > 0 && r <= count; ++r) {
    auto o = large ? static_cast<const std::int64_t*>(ca.buffers[1])[at + r] : static_cast<const std::int32_t*>(ca.buffers[1])[at + r];
    if (o < 0 || o > ea.length) return "row " + std::to_string(r) + ": the list's offsets name elements the struct does not have";
    offsets[static_cast<std::size_t>(r)] = o;
  }
  bind({slot, -1}, offsets.data(), nullptr, nullptr);
  const auto& fields = rs.records[in.type.enum_id].fields;
  const void* element_valid = ea.null_count != 0 && ea.n_buffers > 0 ? ea.buffers[0] : nullptr;
  for (std::int64_t c = 0; c < es.n_children; ++c) {
    if (!es.children || !ea.children || !es.children[c] || !ea.children[c]) return "the elements lack field " + std::to_string(c);
    const ArrowSchema& fs = *es.children[c];
    const ArrowArray& fa = *ea.children[c];
    std::string name = fs.name ? fs.name : "";
    std::int32_t field = -1;
    for (std::size_t k = 0; k < fields.size(); ++k)
      if (fields[k].name == name) field = static_cast<std::int32_t>(k);
    if (field < 0) return "`" + name + "` is not a field of `" + rs.records[in.type.enum_id].name + "`";
    if (fields[static_cast<std::size_t>(field)].type.kind == dsl::Kind::text) continue;
    if (fa.length < 0 || fa.offset < 0) return "field `" + name + "`: its length or offset is negative";
    if (fa.length < ea.offset + ea.length) return "field `" + name + "` is shorter than the elements";
    auto failed = bind_arrow_column(fields[static_cast<std::size_t>(field)], {slot, field}, fs, fa, fa.offset + ea.offset, ea.length,
                                    element_valid, ea.offset);
    if (!failed.empty()) return "field `" + name + "`: " + failed;
  }
  return "";
}

}  // namespace kijun
