#include "compiler/ir/image.hpp"
#include "compiler/ir/verify.hpp"
#include "dsl/support/hash.hpp"

#include <cstring>
#include <filesystem>

namespace kijun::ir {

namespace {

constexpr char magic[8] = {'K', 'I', 'J', 'U', 'N', 'I', 'R', '\0'};

class Writer {
public:
  void u(std::uint64_t v) {
    do {
      std::uint8_t byte = v & 0x7F;
      v >>= 7;
      out += static_cast<char>(byte | (v ? 0x80 : 0));
    } while (v);
  }
  void i(std::int64_t v) { u((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
  void s(const std::string& v) {
    u(v.size());
    out += v;
  }
  void opt(const std::optional<std::int64_t>& v) {
    u(v ? 1 : 0);
    if (v) i(*v);
  }
  void value(const Value& v) { i(v.num), i(v.den); }
  void span(const dsl::Span& sp) { u(sp.file), u(sp.begin), u(sp.end); }
  void period(const Period& p) { opt(p.from), opt(p.until); }
  template <typename T, typename F>
  void list(const std::vector<T>& v, F each) {
    u(v.size());
    for (const auto& x : v) each(x);
  }
  std::string out;
};

class Reader {
public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool ok() const { return ok_; }
  std::uint64_t u() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= b_.size()) return fail();
      auto byte = static_cast<std::uint8_t>(b_[pos_++]);
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return v;
    }
    return fail();
  }
  std::int64_t i() {
    std::uint64_t z = u();
    return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  std::uint32_t u32() {
    auto v = u();
    if (v > UINT32_MAX) fail();
    return static_cast<std::uint32_t>(v);
  }
  std::string s() {
    auto n = u();
    if (n > b_.size() - pos_) return fail(), std::string();
    std::string v(b_.substr(pos_, n));
    pos_ += n;
    return v;
  }
  // A section's bytes, unread (a length, then the bytes).
  std::string_view view() {
    auto n = u();
    if (n > b_.size() - pos_) return fail(), std::string_view();
    auto v = b_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  std::optional<std::int64_t> opt() {
    if (u()) return i();
    return std::nullopt;
  }
  Value value() {
    Value v;
    v.num = i();
    v.den = i();
    return v;
  }
  dsl::Span span() {
    dsl::Span sp;
    sp.file = u32();
    sp.begin = u32();
    sp.end = u32();
    return sp;
  }
  Period period() {
    Period p;
    p.from = opt();
    p.until = opt();
    return p;
  }
  // An applicant written as the changes from `previous` (Writer's order: ascending slots).
  // Its size is at least `expected` (one value per input; lists' elements follow), and
  // within the budget, so a corrupt count cannot allocate.
  // `budget` is how many more values may be made: the changes encoding lets few bytes stand
  // for many values, so a hostile image could otherwise ask for memory quadratic in its size.
  void changes(std::vector<Value>& v, const std::vector<Value>& previous, std::size_t expected, std::size_t& budget) {
    if (!ok_) return;
    auto size = u();
    if (size < expected || size > budget) return void(fail());
    budget -= size;
    expected = size;
    v = previous;
    v.resize(size, Value::absent());
    auto n = u();
    std::uint64_t next = 0;
    for (std::uint64_t k = 0; k < n && ok_; ++k) {
      auto slot = u();
      if (slot < next || slot >= expected) return void(fail());
      v[slot] = value();
      next = slot + 1;
    }
  }
  template <typename T, typename F>
  void list(std::vector<T>& v, F each) {
    auto n = u();
    if (n > b_.size() - pos_) return void(fail());  // every element takes at least one byte
    v.resize(n);
    for (auto& x : v) each(x);
  }
  bool at_end() const { return pos_ == b_.size(); }

private:
  std::uint64_t fail() {
    ok_ = false;
    pos_ = b_.size();
    return 0;
  }
  std::string_view b_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

std::string write_tests(const Ruleset& rs) {
  Writer w;
  const std::vector<Value> nothing;
  const std::vector<Value>* previous = &nothing;
  w.list(rs.tests, [&](const Test& t) {
    w.s(t.name), w.span(t.span), w.u(t.frame), w.opt(t.as_of);
    // The applicant as it differs from the previous test's (the first's: from an applicant
    // with nothing present). Tests mostly vary one base applicant a field or two at a time.
    w.u(t.applicant.size());
    std::vector<std::uint32_t> changed;
    for (std::uint32_t slot = 0; slot < t.applicant.size(); ++slot) {
      Value before = slot < previous->size() ? (*previous)[slot] : Value::absent();
      if (t.applicant[slot].num != before.num || t.applicant[slot].den != before.den) changed.push_back(slot);
    }
    w.list(changed, [&](std::uint32_t slot) { w.u(slot), w.value(t.applicant[slot]); });
    previous = &t.applicant;
    w.s(t.problem);
    w.list(t.expectations, [&](const TestExpectation& x) {
      w.u(static_cast<std::uint8_t>(x.kind));
      w.list(x.ids, [&](const std::string& id) { w.s(id); });
      w.s(x.name), w.value(x.value), w.i(x.def), w.i(x.table), w.i(x.column), w.i(x.input);
    });
  });
  return w.out;
}

std::string write_description(const Ruleset& rs) {
  Writer w;
  auto part = [&](const DescribedPart& p) {
    w.s(p.name), w.s(p.text), w.u(p.exception.has_value());
    if (p.exception) w.period(*p.exception);
  };
  w.list(rs.description, [&](const Described& d) {
    w.s(d.group), w.s(d.kind), w.s(d.name);
    w.list(d.before, part);
    w.list(d.forms, [&](const DescribedForm& f) {
      w.s(f.kind), w.period(f.period), w.u(f.judged), w.s(f.cite), w.s(f.label);
      w.list(f.parts, part);
    });
    w.list(d.after, part);
  });
  return w.out;
}

// The most applicant values the tests of an image may hold (64 MiB of them): far above any
// ruleset's (it-hojo 2026: 36,400), far below what would exhaust a machine.
constexpr std::size_t max_test_values = std::size_t{1} << 22;

void read_tests(Reader& r, Ruleset& rs) {
  const std::vector<Value> nothing;
  const std::vector<Value>* previous = &nothing;
  std::size_t budget = max_test_values;
  r.list(rs.tests, [&](Test& t) {
    t.name = r.s(), t.span = r.span(), t.frame = r.u32(), t.as_of = r.opt();
    r.changes(t.applicant, *previous, rs.inputs.size(), budget);
    previous = &t.applicant;
    t.problem = r.s();
    r.list(t.expectations, [&](TestExpectation& x) {
      x.kind = static_cast<Expect>(r.u());
      r.list(x.ids, [&](std::string& id) { id = r.s(); });
      x.name = r.s(), x.value = r.value();
      x.def = static_cast<std::int32_t>(r.i()), x.table = static_cast<std::int32_t>(r.i());
      x.column = static_cast<std::int32_t>(r.i()), x.input = static_cast<std::int32_t>(r.i());
    });
  });
}

void read_description(Reader& r, Ruleset& rs) {
  auto part = [&](DescribedPart& p) {
    p.name = r.s(), p.text = r.s();
    if (r.u() != 0) p.exception = r.period();
  };
  r.list(rs.description, [&](Described& d) {
    d.group = r.s(), d.kind = r.s(), d.name = r.s();
    r.list(d.before, part);
    r.list(d.forms, [&](DescribedForm& f) {
      f.kind = r.s(), f.period = r.period(), f.judged = r.u() != 0, f.cite = r.s(), f.label = r.s();
      r.list(f.parts, part);
    });
    r.list(d.after, part);
  });
}

}  // namespace

std::string write_image(const Ruleset& rs, const dsl::SourceSet& sources) {
  Writer w;
  w.out.append(magic, sizeof magic);
  w.u(image_format_version);
  w.s(rs.programme), w.i(rs.fiscal_year), w.s(rs.title), w.s(rs.source), w.u(rs.as_of_input);
  w.list(rs.versions, [&](const Version& v) { w.i(v.date), w.s(v.note); });
  w.list(rs.inputs, [&](const Input& in) {
    w.s(in.name), w.u(static_cast<std::uint8_t>(in.type.kind)), w.u(in.type.enum_id), w.u(in.type.optional);
    w.opt(in.min), w.opt(in.max), w.s(in.label), w.i(in.frame), w.i(in.min_length), w.i(in.max_length);
  });
  w.list(rs.records, [&](const Record& rec) {
    w.s(rec.name), w.s(rec.label);
    w.list(rec.fields, [&](const Input& in) {
      w.s(in.name), w.u(static_cast<std::uint8_t>(in.type.kind)), w.u(in.type.enum_id), w.u(in.type.optional);
      w.opt(in.min), w.opt(in.max), w.s(in.label);
    });
  });
  w.list(rs.enums, [&](const Enum& e) {
    w.s(e.name);
    w.list(e.values, [&](const std::string& v) { w.s(v); });
    w.list(e.labels, [&](const std::string& v) { w.s(v); });
  });
  w.list(rs.nodes, [&](const Node& n) {
    w.u(static_cast<std::uint8_t>(n.op)), w.u(static_cast<std::uint8_t>(n.kind)), w.u(n.first), w.u(n.count);
    w.u(n.a), w.u(n.b), w.value(n.imm), w.span(n.span);
  });
  w.list(rs.children, [&](NodeId c) { w.u(c); });
  w.list(rs.defs, [&](const Def& d) {
    w.s(d.name), w.u(static_cast<std::uint8_t>(d.kind));
    w.list(d.alts, [&](const DefAlt& a) { w.u(a.root), w.period(a.period); });
    w.s(d.cite), w.s(d.label), w.span(d.span), w.i(d.record), w.u(d.of);
  });
  w.list(rs.tables, [&](const Table& t) {
    w.s(t.name);
    w.list(t.keys, [&](NodeId k) { w.u(k); });
    w.list(t.outputs, [&](const std::string& o) { w.s(o); });
    w.list(t.rows, [&](const TableRow& r) {
      w.list(r.keys, [&](const TableCell& c) {
        w.u(static_cast<std::uint8_t>(c.kind));
        w.list(c.values, [&](std::int64_t v) { w.i(v); });
        w.i(c.lo), w.i(c.hi);
      });
      w.list(r.outputs, [&](const Value& v) { w.value(v); });
      w.s(r.cite);
    });
    w.s(t.cite), w.span(t.span), w.i(t.record), w.u(t.of);
  });
  w.list(rs.rules, [&](const Rule& r) {
    w.u(static_cast<std::uint8_t>(r.kind)), w.s(r.id), w.i(r.points), w.s(r.cite), w.s(r.label), w.period(r.period);
    w.u(r.applies);
    w.list(r.exceptions, [&](const Exception& e) { w.u(e.condition), w.period(e.period), w.s(e.cite), w.span(e.span); });
    w.u(r.body), w.span(r.span), w.u(r.as_of);
  });
  w.list(rs.frames, [&](const Frame& f) {
    w.s(f.name), w.s(f.label), w.s(f.cite);
    w.list(f.rules, [&](std::uint32_t r) { w.u(r); });
    w.list(f.inputs, [&](std::uint32_t s) { w.u(s); });
    w.u(f.rate), w.u(f.amount);
  });
  w.list(rs.functions, [&](const Function& f) {
    w.s(f.extension), w.s(f.name), w.u(static_cast<std::uint8_t>(f.result));
    w.list(f.params, [&](dsl::Kind k) { w.u(static_cast<std::uint8_t>(k)); });
  });
  // The tests and the description, each a section of its own: a plugin loaded to decide
  // applicants leaves them unread (read_deferred).
  w.s(write_tests(rs)), w.s(write_description(rs));
  w.u(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    // Names relative to the ruleset's directory: an image records no directory of the
    // machine that built it.
    w.s(dsl::source_name(sources, static_cast<dsl::FileId>(i)));
    w.s(sources.file(static_cast<dsl::FileId>(i)).text);
  }
  return w.out;
}

bool read_image(std::string_view bytes, Ruleset& rs, dsl::SourceSet& sources, std::string& error, DeferredParts* deferred) {
  if (bytes.size() < sizeof magic || std::memcmp(bytes.data(), magic, sizeof magic) != 0) {
    error = "not a kijun ruleset image";
    return false;
  }
  Reader r(bytes.substr(sizeof magic));
  auto version = r.u();
  if (version != image_format_version) {
    error = "ruleset image format " + std::to_string(version) + ", this kijun reads format " + std::to_string(image_format_version);
    return false;
  }
  rs = Ruleset{};
  rs.programme = r.s(), rs.fiscal_year = r.i(), rs.title = r.s(), rs.source = r.s(), rs.as_of_input = r.u32();
  r.list(rs.versions, [&](Version& v) { v.date = r.i(), v.note = r.s(); });
  r.list(rs.inputs, [&](Input& in) {
    in.name = r.s();
    in.type.kind = static_cast<dsl::Kind>(r.u());
    in.type.enum_id = static_cast<std::uint16_t>(r.u());
    in.type.optional = r.u() != 0;
    in.min = r.opt(), in.max = r.opt(), in.label = r.s(), in.frame = static_cast<std::int32_t>(r.i());
    in.min_length = r.i(), in.max_length = r.i();
  });
  r.list(rs.records, [&](Record& rec) {
    rec.name = r.s(), rec.label = r.s();
    r.list(rec.fields, [&](Input& in) {
      in.name = r.s();
      in.type.kind = static_cast<dsl::Kind>(r.u());
      in.type.enum_id = static_cast<std::uint16_t>(r.u());
      in.type.optional = r.u() != 0;
      in.min = r.opt(), in.max = r.opt(), in.label = r.s();
    });
  });
  r.list(rs.enums, [&](Enum& e) {
    e.name = r.s();
    r.list(e.values, [&](std::string& v) { v = r.s(); });
    r.list(e.labels, [&](std::string& v) { v = r.s(); });
  });
  r.list(rs.nodes, [&](Node& n) {
    n.op = static_cast<Op>(r.u()), n.kind = static_cast<dsl::Kind>(r.u()), n.first = r.u32(), n.count = r.u32();
    n.a = r.u32(), n.b = r.u32(), n.imm = r.value(), n.span = r.span();
  });
  r.list(rs.children, [&](NodeId& c) { c = r.u32(); });
  r.list(rs.defs, [&](Def& d) {
    d.name = r.s(), d.kind = static_cast<dsl::Kind>(r.u());
    r.list(d.alts, [&](DefAlt& a) { a.root = r.u32(), a.period = r.period(); });
    d.cite = r.s(), d.label = r.s(), d.span = r.span();
    d.record = static_cast<std::int32_t>(r.i()), d.of = r.u32();
  });
  r.list(rs.tables, [&](Table& t) {
    t.name = r.s();
    r.list(t.keys, [&](NodeId& k) { k = r.u32(); });
    r.list(t.outputs, [&](std::string& o) { o = r.s(); });
    r.list(t.rows, [&](TableRow& row) {
      r.list(row.keys, [&](TableCell& c) {
        c.kind = static_cast<TableCell::Kind>(r.u());
        r.list(c.values, [&](std::int64_t& v) { v = r.i(); });
        c.lo = r.i(), c.hi = r.i();
      });
      r.list(row.outputs, [&](Value& v) { v = r.value(); });
      row.cite = r.s();
    });
    t.cite = r.s(), t.span = r.span(), t.record = static_cast<std::int32_t>(r.i()), t.of = r.u32();
  });
  r.list(rs.rules, [&](Rule& rule) {
    rule.kind = static_cast<dsl::RuleKind>(r.u()), rule.id = r.s(), rule.points = r.i(), rule.cite = r.s();
    rule.label = r.s(), rule.period = r.period(), rule.applies = r.u32();
    r.list(rule.exceptions, [&](Exception& e) { e.condition = r.u32(), e.period = r.period(), e.cite = r.s(), e.span = r.span(); });
    rule.body = r.u32(), rule.span = r.span(), rule.as_of = r.u32();
  });
  r.list(rs.frames, [&](Frame& f) {
    f.name = r.s(), f.label = r.s(), f.cite = r.s();
    r.list(f.rules, [&](std::uint32_t& x) { x = r.u32(); });
    r.list(f.inputs, [&](std::uint32_t& x) { x = r.u32(); });
    f.rate = r.u32(), f.amount = r.u32();
  });
  r.list(rs.functions, [&](Function& f) {
    f.extension = r.s(), f.name = r.s(), f.result = static_cast<dsl::Kind>(r.u());
    r.list(f.params, [&](dsl::Kind& k) { k = static_cast<dsl::Kind>(r.u()); });
  });
  std::string_view tests = r.view(), description = r.view();
  auto files = r.u();
  sources = dsl::SourceSet{};
  for (std::uint64_t i = 0; i < files && r.ok(); ++i) {
    auto path = r.s();
    auto text = r.s();
    sources.add(std::move(path), std::move(text));
  }
  if (!r.ok() || !r.at_end()) {
    error = "the ruleset image is truncated or corrupt";
    return false;
  }
  // What lowering makes, and only that: indices in range, kinds that agree, no cycle.
  error = verify(rs);
  if (!error.empty()) return false;
  if (deferred) {
    *deferred = {tests, description};
    return true;
  }
  return read_deferred({tests, description}, rs, error);
}

bool read_deferred(const DeferredParts& parts, Ruleset& rs, std::string& error) {
  Reader tests(parts.tests), description(parts.description);
  read_tests(tests, rs);
  read_description(description, rs);
  if (!tests.ok() || !tests.at_end() || !description.ok() || !description.at_end()) {
    rs.tests.clear(), rs.description.clear();
    error = "the ruleset image's tests or description are truncated or corrupt";
    return false;
  }
  error = verify_tests(rs);
  if (error.empty()) error = verify_description(rs);
  if (error.empty()) return true;
  error = "inconsistent " + error;
  rs.tests.clear(), rs.description.clear();
  return false;
}

}  // namespace kijun::ir
