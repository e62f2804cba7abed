// Batch::export_arrow: the outputs of the last run as an Arrow struct array. The arrays own
// copies of the outputs (the batch's are overwritten by the next run), shared by the struct
// and its children, each of which may be moved out and released on its own, as the
// specification allows.
#include <cstring>
#include <memory>

#include "kijun/arrow.h"
#include "runtime/library/batch_impl.hpp"

namespace kijun {

namespace {

struct Column {
  std::string format, name;
  std::int64_t null_count = 0;
  std::vector<const void*> buffers;
};

struct Holder {
  std::vector<std::vector<std::uint8_t>> bytes;  // every buffer
  std::vector<Column> columns;
  std::vector<ArrowSchema> schemas;
  std::vector<ArrowSchema*> schema_ptrs;
  std::vector<ArrowArray> arrays;
  std::vector<ArrowArray*> array_ptrs;
  const void* struct_buffers[1] = {nullptr};
};

struct Ref {
  std::shared_ptr<Holder> holder;
};

// A schema's or an array's release: its children not yet released (or moved out) first.
template <typename T>
void release(T* x) {
  if (!x || !x->release) return;
  for (std::int64_t i = 0; i < x->n_children; ++i)
    if (x->children[i]->release) x->children[i]->release(x->children[i]);
  delete static_cast<Ref*>(x->private_data);
  x->release = nullptr;
}

std::vector<std::uint8_t>& buffer(Holder& h, std::size_t size) { return h.bytes.emplace_back(std::max<std::size_t>(size, 1), 0); }

}  // namespace

Status Batch::export_arrow(ArrowSchema* schema, ArrowArray* array) const try {
  if (!schema || !array) return Status::failure("schema and array must not be null");
  const auto& b = *impl_;
  auto h = std::make_shared<Holder>();
  auto n = static_cast<std::size_t>(b.rows);
  auto rows = b.rows;
  h->bytes.reserve(16);  // references into it are taken below: no reallocation
  const auto* error = b.results.error();
  auto& decided = buffer(*h, (n + 7) / 8);
  auto& undecided = buffer(*h, (n + 7) / 8);
  auto& eligible = buffer(*h, (n + 7) / 8);
  std::int64_t failures = 0;
  for (std::size_t r = 0; r < n; ++r) {
    auto bit = static_cast<std::uint8_t>(1u << (r & 7));
    if (error[r] == 0) decided[r >> 3] |= bit;
    else undecided[r >> 3] |= bit, ++failures;
    if (error[r] == 0 && b.results.eligible()[r]) eligible[r >> 3] |= bit;
  }
  h->columns.push_back({"b", "eligible", failures, {decided.data(), eligible.data()}});
  h->columns.push_back({"b", "decided", 0, {nullptr, decided.data()}});
  auto longs = [&](const char* name, const std::int64_t* values) {
    auto& data = buffer(*h, n * 8);
    if (n) std::memcpy(data.data(), values, n * 8);
    h->columns.push_back({"l", name, failures, {decided.data(), data.data()}});
  };
  longs("paid_amount_yen", b.paid.data());
  longs("computed_amount_yen", b.results.amount());
  longs("rate_num", b.results.rate_num());
  longs("rate_den", b.results.rate_den());
  longs("bonus_points", b.results.bonus_points());
  longs("penalty_points", b.results.penalty_points());
  // Why a row was not decided: strings with 64-bit offsets, null where it was decided.
  auto& offsets = buffer(*h, (n + 1) * 8);
  std::string text;
  std::int64_t end = 0;
  for (std::size_t r = 0; r < n; ++r) {
    if (error[r] != 0) text += decision(static_cast<std::int64_t>(r)).error;
    end = static_cast<std::int64_t>(text.size());
    std::memcpy(offsets.data() + (r + 1) * 8, &end, 8);
  }
  auto& chars = buffer(*h, text.size());
  std::memcpy(chars.data(), text.data(), text.size());
  h->columns.push_back({"U", "error", rows - failures, {undecided.data(), offsets.data(), chars.data()}});
  if (auto words = b.results.words()) {
    auto bits = [&](const char* name, const std::uint64_t* from) {
      auto& data = buffer(*h, n * words * 8);
      if (n) std::memcpy(data.data(), from, n * words * 8);
      h->columns.push_back({"w:" + std::to_string(words * 8), name, failures, {decided.data(), data.data()}});
    };
    bits("failed_rules", b.results.failed());
    bits("scored_rules", b.results.scored());
  }

  auto k = h->columns.size();
  h->schemas.resize(k), h->arrays.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    auto& c = h->columns[i];
    h->schemas[i] = {c.format.c_str(), c.name.c_str(), nullptr, ARROW_FLAG_NULLABLE, 0, nullptr, nullptr, release<ArrowSchema>, new Ref{h}};
    h->arrays[i] = {rows, c.null_count, 0, static_cast<std::int64_t>(c.buffers.size()), 0, c.buffers.data(), nullptr, nullptr,
                    release<ArrowArray>, new Ref{h}};
    h->schema_ptrs.push_back(&h->schemas[i]);
    h->array_ptrs.push_back(&h->arrays[i]);
  }
  *schema = {"+s", "", nullptr, 0, static_cast<std::int64_t>(k), h->schema_ptrs.data(), nullptr, release<ArrowSchema>, new Ref{h}};
  *array = {rows, 0, 0, 1, static_cast<std::int64_t>(k), h->struct_buffers, h->array_ptrs.data(), nullptr, release<ArrowArray>, new Ref{h}};
  return {};
} catch (...) {
  return internal_error();
}

}  // namespace kijun
