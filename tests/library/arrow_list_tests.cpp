// Lists from Arrow: a large list of structs (a group's partners) bound by Batch::bind_arrow
// decides as the same values bound by bind_list and "list.field" columns; the elements'
// own offset and nulls count; a list column with nulls or offsets beyond its elements is
// refused.
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <memory>

#include "kijun/arrow.h"
#include "kijun/kijun.hpp"

namespace {

const std::string lists_ruleset = std::string(KIJUN_SOURCE_DIR) + "/tests/golden/check/good/lists.kj";

// An Arrow array built by hand, owning what its structs point to (not released by kijun).
struct Node {
  std::string format, name;
  std::vector<const void*> buffers;
  std::vector<std::unique_ptr<Node>> children;
  std::vector<ArrowSchema*> schema_children;
  std::vector<ArrowArray*> array_children;
  ArrowSchema schema{};
  ArrowArray array{};

  Node& add(std::unique_ptr<Node> child) { return *children.emplace_back(std::move(child)); }
  // Fills the structs, children first; `length` rows from element `offset`.
  void finish(std::int64_t length, std::int64_t offset = 0, std::int64_t nulls = 0) {
    for (auto& c : children) schema_children.push_back(&c->schema), array_children.push_back(&c->array);
    schema = {format.c_str(), name.c_str(), nullptr, ARROW_FLAG_NULLABLE, static_cast<std::int64_t>(children.size()),
              schema_children.data(), nullptr, [](ArrowSchema* s) { s->release = nullptr; }, nullptr};
    array = {length, nulls, offset, static_cast<std::int64_t>(buffers.size()), static_cast<std::int64_t>(children.size()), buffers.data(),
             array_children.data(), nullptr, [](ArrowArray* a) { a->release = nullptr; }, nullptr};
  }
};

std::unique_ptr<Node> leaf(const char* format, const char* name, const void* validity, const void* values) {
  auto n = std::make_unique<Node>();
  n->format = format, n->name = name, n->buffers = {validity, values};
  return n;
}

void set(std::vector<std::uint8_t>& bits, std::size_t i) { bits[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8)); }

}  // namespace

BOOST_AUTO_TEST_CASE(a_list_of_structs_from_arrow_decides_as_bound_columns_do) {
  kijun::LoadOptions o;
  o.cache = false;
  auto loaded = kijun::Ruleset::load(lists_ruleset, o);
  BOOST_REQUIRE_MESSAGE(loaded.ok(), loaded.status().message());
  const auto& r = loaded.value();
  constexpr std::int64_t rows = 60;
  auto day = *kijun::parse_day("2026-06-01");
  // The applicants, as plain columns.
  std::vector<std::int64_t> applied(rows, day), sector(rows, 0), staff(rows), cost(rows, 300), offsets{0};
  std::vector<std::int32_t> applied32(rows, static_cast<std::int32_t>(day)), staff32(rows);
  // The partners: row r has r % 13 of them.
  std::vector<std::int64_t> p_sector, p_staff, p_cost, p_share_num, p_share_den, p_joined;
  std::vector<std::int8_t> p_sector8;
  std::vector<std::int32_t> p_joined32;
  std::vector<std::int64_t> p_share128;  // decimal128 little-endian: low word, high word
  for (std::int64_t i = 0; i < rows; ++i) {
    staff[i] = staff32[i] = static_cast<std::int32_t>(i % 7);
    for (std::int64_t p = 0; p < i % 13; ++p) {
      std::int64_t s = (i + p) % 2, n = (i + p) % 5, share = (i * p) % 100;
      p_sector.push_back(s), p_sector8.push_back(static_cast<std::int8_t>(s)), p_staff.push_back(n), p_cost.push_back(100 + p);
      p_share_num.push_back(share), p_share_den.push_back(100), p_share128.push_back(share), p_share128.push_back(0);
      p_joined.push_back(day - 40 - p), p_joined32.push_back(static_cast<std::int32_t>(day - 40 - p));
    }
    offsets.push_back(static_cast<std::int64_t>(p_sector.size()));
  }
  auto elements = p_sector.size();
  // Every third partner gives no share, every fifth no joining date.
  std::vector<std::uint8_t> share_valid(elements / 8 + 1, 0), joined_valid(elements / 8 + 1, 0);
  for (std::size_t e = 0; e < elements; ++e) {
    if (e % 3) set(share_valid, e);
    if (e % 5) set(joined_valid, e);
  }
  // The cost column of the elements starts one element in (its own offset 1).
  std::vector<std::int64_t> p_cost_shifted{-1};
  p_cost_shifted.insert(p_cost_shifted.end(), p_cost.begin(), p_cost.end());

  auto by_columns = r.batch("group");
  BOOST_REQUIRE(by_columns.ok());
  auto& b = by_columns.value();
  BOOST_REQUIRE(b.bind_int64("applied", applied.data()).ok());
  BOOST_REQUIRE(b.bind_int64("sector", sector.data()).ok());
  BOOST_REQUIRE(b.bind_int64("staff", staff.data()).ok());
  BOOST_REQUIRE(b.bind_int64("cost_yen", cost.data()).ok());
  BOOST_REQUIRE(b.bind_list("partners", offsets.data()).ok());
  BOOST_REQUIRE(b.bind_int64("partners.sector", p_sector.data()).ok());
  BOOST_REQUIRE(b.bind_int64("partners.staff", p_staff.data()).ok());
  BOOST_REQUIRE(b.bind_int64("partners.cost_yen", p_cost.data()).ok());
  BOOST_REQUIRE(b.bind_rate("partners.share", p_share_num.data(), p_share_den.data(), share_valid.data()).ok());
  BOOST_REQUIRE(b.bind_int64("partners.joined", p_joined.data(), joined_valid.data()).ok());
  BOOST_REQUIRE(b.run(rows).ok());

  Node top;
  top.format = "+s", top.buffers = {nullptr};
  top.add(leaf("tdD", "applied", nullptr, applied32.data())).finish(rows);
  top.add(leaf("l", "sector", nullptr, sector.data())).finish(rows);
  top.add(leaf("i", "staff", nullptr, staff32.data())).finish(rows);
  top.add(leaf("l", "cost_yen", nullptr, cost.data())).finish(rows);
  auto list = std::make_unique<Node>();
  list->format = "+L", list->name = "partners", list->buffers = {nullptr, offsets.data()};
  auto members = std::make_unique<Node>();
  members->format = "+s", members->buffers = {nullptr};
  auto e = static_cast<std::int64_t>(elements);
  members->add(leaf("c", "sector", nullptr, p_sector8.data())).finish(e);
  members->add(leaf("l", "staff", nullptr, p_staff.data())).finish(e);
  members->add(leaf("l", "cost_yen", nullptr, p_cost_shifted.data())).finish(e, 1);
  members->add(leaf("d:3,2", "share", share_valid.data(), p_share128.data())).finish(e, 0, 1);
  members->add(leaf("tdD", "joined", joined_valid.data(), p_joined32.data())).finish(e, 0, 1);
  members->finish(e);
  list->add(std::move(members));
  list->finish(rows);
  top.add(std::move(list));
  top.finish(rows);

  auto by_arrow = r.batch("group");
  BOOST_REQUIRE(by_arrow.ok());
  auto& a = by_arrow.value();
  auto bound = a.bind_arrow(top.schema, top.array);
  BOOST_REQUIRE_MESSAGE(bound.ok(), bound.status().message());
  BOOST_TEST(bound.value() == rows);
  BOOST_REQUIRE(a.run(rows).ok());
  std::size_t eligible = 0;
  for (std::int64_t i = 0; i < rows; ++i) {
    BOOST_TEST(a.json(i, "g") == b.json(i, "g"));
    eligible += a.json(i, "g").find("\"eligible\":true") != std::string::npos;
  }
  BOOST_TEST(eligible > 0u);

  // A list column with a null, and offsets beyond the elements, are refused.
  auto& list_node = *top.children.back();
  std::vector<std::uint8_t> some_null(rows / 8 + 1, 0xFF);
  some_null[0] = 0xFE;
  list_node.buffers[0] = some_null.data();
  list_node.array.null_count = 1;
  auto refused = a.bind_arrow(top.schema, top.array);
  BOOST_TEST(!refused.ok());
  BOOST_TEST(refused.status().message().find("a list column has nulls") != std::string::npos);
  list_node.buffers[0] = nullptr, list_node.array.null_count = 0;
  offsets.back() = e + 5;
  refused = a.bind_arrow(top.schema, top.array);
  BOOST_TEST(!refused.ok());
  BOOST_TEST(refused.status().message().find("offsets name elements the struct does not have") != std::string::npos);
  // A binding that fails leaves nothing of itself, nor of the one before, bound.
  auto run = a.run(rows);
  BOOST_TEST(!run.ok());
  BOOST_TEST(run.message().find("is not bound") != std::string::npos);
  // A dictionary is read for an enum only.
  offsets.back() = e;
  auto& staff_node = *top.children[2];
  staff_node.schema.dictionary = &top.children[1]->schema;
  refused = a.bind_arrow(top.schema, top.array);
  BOOST_TEST(!refused.ok());
  BOOST_TEST(refused.status().message().find("a dictionary-encoded column is read for an enum only") != std::string::npos);
}
