// The state of a Batch (kijun/kijun.hpp): the caller's columns, their checks, the results.
#pragma once

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "runtime/columns.hpp"
#include "runtime/library/library.hpp"

namespace kijun {

namespace batch {
struct Checks;
}

struct Batch::Impl {
  const runtime::Engine* engine;
  std::uint32_t frame;
  std::vector<const void*> values;
  std::vector<const std::int64_t*> denoms;
  std::vector<const std::uint8_t*> validity;
  std::vector<bool> bound;
  const std::int64_t* as_of_rows = nullptr;
  std::optional<std::int64_t> as_of_day;
  // The last run: bound rows [begin, begin + rows) are its output entries 0 .. rows - 1.
  std::int64_t begin = 0, rows = 0;
  runtime::BatchResults results;
  // The entries that could not be decided, and why, in entry order: a run of valid rows
  // allocates nothing per row.
  struct Invalid {
    std::int64_t entry;
    std::string why;
  };
  std::vector<Invalid> invalid;
  std::vector<std::int64_t> as_of;            // per entry, when the as-of day is per row
  std::int64_t run_day = 0;                   // the as-of day of every entry otherwise
  std::vector<std::int64_t> unbound_values;   // zeros for the optional inputs left unbound
  std::vector<std::int64_t> unbound_denoms;
  std::vector<std::uint8_t> unbound_validity; // all absent
  std::vector<std::int64_t> paid;             // per entry: the amount when eligible and decided, else 0

  // Why entry `entry` of the last run was not decided, or null.
  const std::string* why_invalid(std::int64_t entry) const {
    auto it = std::lower_bound(invalid.begin(), invalid.end(), entry, [](const Invalid& i, std::int64_t e) { return i.entry < e; });
    return it != invalid.end() && it->entry == entry ? &it->why : nullptr;
  }
  std::int64_t day_of(std::int64_t entry) const { return as_of.empty() ? run_day : as_of[static_cast<std::size_t>(entry)]; }

  // batch_run.cpp: one run over bound rows [first, last) on `threads` threads.
  Status run(std::int64_t first, std::int64_t last, int threads);
  // batch_check.cpp: the checks of the bound columns a run makes before native code reads them.
  batch::Checks checks() const;
  // Why bound row `row` cannot be decided (its values, then its as-of day), or empty.
  std::string why_not(std::int64_t row) const;

  // Arrow (arrow_in.cpp): the columns converted from Arrow arrays, kept until the next
  // Arrow binding (a deque: a column never moves), and the inputs bound from them.
  std::deque<std::vector<std::int64_t>> arrow_ints;
  std::deque<std::vector<std::uint8_t>> arrow_bytes;
  std::vector<std::uint32_t> arrow_slots;
  std::int64_t arrow_rows = 0;  // the length of the struct array bound last
  // Unbinds the inputs bound from Arrow and lets their converted columns go.
  void unbind_arrow() {
    for (auto slot : arrow_slots) {
      bound[slot] = false, values[slot] = nullptr, denoms[slot] = nullptr, validity[slot] = nullptr;
      auto& l = lists[slot];
      for (std::size_t f = 0; f < l.bound.size(); ++f) l.bound[f] = false, l.values[f] = nullptr, l.denoms[f] = nullptr, l.validity[f] = nullptr;
    }
    arrow_slots.clear(), arrow_ints.clear(), arrow_bytes.clear(), arrow_rows = 0;
  }
  // Binds an input or a list's field (`target`, of type `in`) from an Arrow array whose row
  // 0 is element `at` of its buffers, `count` rows, the parent's nulls (bit parent_at + r)
  // absent too; why not, or empty.
  struct Target;
  std::string bind_arrow_column(const ir::Input& in, Target target, const ArrowSchema& cs, const ArrowArray& ca, std::int64_t at,
                                std::int64_t count, const void* parent_valid, std::int64_t parent_at);
  std::string bind_arrow_list(const ir::Input& in, std::uint32_t slot, const ArrowSchema& cs, const ArrowArray& ca, std::int64_t at,
                              std::int64_t count);
  Impl(const runtime::Engine* e, std::uint32_t f)
      : engine(e), frame(f), values(e->ruleset().inputs.size(), nullptr), denoms(e->ruleset().inputs.size(), nullptr),
        validity(e->ruleset().inputs.size(), nullptr), bound(e->ruleset().inputs.size(), false), results(e->ruleset(), f),
        lists(e->ruleset().inputs.size()), list_views(e->ruleset().inputs.size(), kijun_batch_list{}) {
    for (auto s : e->ruleset().frames[f].inputs)
      if (e->ruleset().inputs[s].type.kind == dsl::Kind::list) {
        auto n = e->ruleset().records[e->ruleset().inputs[s].type.enum_id].fields.size();
        lists[s] = {std::vector<const void*>(n), std::vector<const std::int64_t*>(n), std::vector<const std::uint8_t*>(n),
                    std::vector<bool>(n)};
      }
  }

  // List inputs (batch_lists.cpp): the offsets are values[slot] (kijun/batch.h); each field
  // of the record is a column indexed by element, bound as "list.field".
  struct ListColumns {
    std::vector<const void*> values;
    std::vector<const std::int64_t*> denoms;
    std::vector<const std::uint8_t*> validity;
    std::vector<bool> bound;
  };
  std::vector<ListColumns> lists;              // per slot; empty but for list inputs
  std::vector<kijun_batch_list> list_views;    // what native code reads, per slot
  std::vector<std::int64_t> unbound_elements;  // zeros for the optional fields left unbound
  std::vector<std::uint8_t> unbound_element_validity;
  struct Target {
    std::uint32_t slot;
    std::int32_t field = -1;  // a field of list `slot`, or -1 for the input itself
  };
  // The input or "list.field" a bind names, if it takes values of `want`.
  Result<Target> target(const std::string& name, dsl::Kind want) const;
  void bind(const Target& t, const void* values, const std::int64_t* denoms, const std::uint8_t* validity);
  // Before a run of bound rows [first, last): every required field bound, the unbound
  // optional ones absent.
  Status prepare_lists(std::int64_t first, std::int64_t last);
  // The row as the interpreter reads it: its inputs, then its lists' elements.
  void row_values(std::int64_t row, std::vector<ir::Value>& out) const;
  const kijun_batch_list* views();
  // Why list `slot` of row `row` cannot be given to compiled code, or empty.
  std::string check_lists_of(std::uint32_t slot, std::int64_t row) const;

  static bool fits(dsl::Kind kind, dsl::Kind want) {
    return kind == want || (want == dsl::Kind::int_ && (kind == dsl::Kind::yen || kind == dsl::Kind::date || kind == dsl::Kind::enumeration));
  }
  // Why a value cannot be `in`'s, or empty.
  static std::string check_value(const ir::Ruleset& rs, const ir::Input& in, ir::Value v);

  Result<std::uint32_t> slot(const std::string& name, dsl::Kind want) const {
    const auto& rs = engine->ruleset();
    auto s = rs.input_index(name);
    const auto& inputs = rs.frames[frame].inputs;
    if (s < 0 || std::find(inputs.begin(), inputs.end(), static_cast<std::uint32_t>(s)) == inputs.end())
      return Status::failure("`" + name + "` is not an input of frame " + rs.frames[frame].name);
    if (!fits(rs.inputs[s].type.kind, want)) return Status::failure("`" + name + "` is not bound that way: see kijun::InputType of the input");
    return static_cast<std::uint32_t>(s);
  }

  bool present(std::uint32_t s, std::int64_t row) const {
    return !validity[s] || ((validity[s][row >> 3] >> (row & 7)) & 1);
  }

  ir::Value value(std::uint32_t s, std::int64_t row) const {
    const auto& type = engine->ruleset().inputs[s].type;
    if (!present(s, row)) return ir::Value::absent();
    if (type.kind == dsl::Kind::bool_) return ir::Value::of(static_cast<const std::uint8_t*>(values[s])[row]);
    if (type.kind == dsl::Kind::rate) return {static_cast<const std::int64_t*>(values[s])[row], denoms[s][row]};
    return ir::Value::of(static_cast<const std::int64_t*>(values[s])[row]);
  }

  // Why this row cannot be given to compiled code, or empty. Generated code trusts what it
  // reads: a zero denominator or an enum code out of range must never reach it.
  std::string check(std::int64_t row) const {
    const auto& rs = engine->ruleset();
    for (auto s : rs.frames[frame].inputs) {
      const auto& in = rs.inputs[s];
      if (in.type.kind == dsl::Kind::text) continue;
      if (in.type.kind == dsl::Kind::list) {
        if (auto why = check_lists_of(s, row); !why.empty()) return why;
        continue;
      }
      if (!present(s, row)) {
        if (!in.type.optional) return in.name + ": required value missing";
        continue;
      }
      if (auto why = check_value(rs, in, value(s, row)); !why.empty()) return why;
    }
    return "";
  }
};

}  // namespace kijun
