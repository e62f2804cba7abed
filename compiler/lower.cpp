// Lowers the checked program to the typed IR: names become input slots, definition and
// table indices; literals become canonical values; date arithmetic becomes day and month
// offsets.
#include "compiler/lower.hpp"

#include <algorithm>
#include <map>

#include "compiler/describe.hpp"
#include "compiler/ir/exact.hpp"
#include "dsl/builtins.hpp"
#include "dsl/limits.hpp"

namespace kijun::ir {

namespace {

using dsl::BinOp;
using dsl::ExprId;
using dsl::Kind;

// The operation a builtin lowers to, from its catalog line (dsl/builtins.def).
Op builtin_op(dsl::Builtin b) {
  switch (b) {
#define KIJUN_BUILTIN(name, fewest, most, op, takes, summary) \
  case dsl::Builtin::name: return Op::op;
#include "dsl/builtins.def"
#undef KIJUN_BUILTIN
  }
  return Op::constant;
}

class Lowerer {
public:
  Lowerer(const dsl::Program& p, Ruleset& rs) : p_(p), rs_(rs) {}

  NodeId expr(ExprId e);
  Value constant(ExprId e);

private:
  NodeId emit(Op op, Kind kind, dsl::Span span, std::vector<NodeId> kids = {}, std::uint32_t a = 0, std::uint32_t b = 0,
              Value imm = {}) {
    Node n{op, kind, static_cast<std::uint32_t>(rs_.children.size()), static_cast<std::uint32_t>(kids.size()), a, b, imm, span};
    rs_.children.insert(rs_.children.end(), kids.begin(), kids.end());
    rs_.nodes.push_back(n);
    return static_cast<NodeId>(rs_.nodes.size() - 1);
  }
  NodeId binary(const dsl::Binary& b, ExprId e);
  std::optional<NodeId> chain(ExprId e);
  NodeId logic(Op op, const dsl::Binary& b, ExprId e);
  NodeId call(const dsl::Call& c, ExprId e);
  NodeId name(ExprId e);
  NodeId aggregate(const dsl::Aggregate& a, ExprId e);
  std::uint32_t level_of(ExprId element) const;

  // Element definitions and tables (ir.hpp Def::record): made on first use, once per
  // (definition, record), after the applicant's own, which keep the program's indices.
  bool reads_inputs(ExprId e);
  bool def_reads_inputs(std::uint32_t def);
  bool table_reads_inputs(std::uint32_t table);
  std::uint32_t element_def(std::uint32_t def, std::uint32_t record);
  std::uint32_t element_table(std::uint32_t table, std::uint32_t record);
  NodeId field_named(const std::string& name, Kind kind, dsl::Span span);

  const dsl::Program& p_;
  Ruleset& rs_;
  std::vector<std::string> binders_;  // the elements bound around the node being lowered, outermost first
  std::int32_t record_ = -1;          // lowering an element definition or table of this record
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> element_defs_, element_tables_;
  std::vector<std::int8_t> def_reads_, table_reads_;  // -1 unknown, else 0/1

public:
  void lower_table(const dsl::TableInfo& t, Table& table);
};

Value rational(std::int64_t num, std::int64_t den) {
  Value v;
  if (exact::make(num, den, v) != EvalError::none) return Value::of(0);
  return v;
}

// The level of the element `m` names in `m.field` (ops.def `field`).
std::uint32_t Lowerer::level_of(ExprId element) const {
  const auto* n = std::get_if<dsl::NameRef>(&p_.ast.at(element).node);
  for (std::size_t i = binders_.size(); n && i-- > 0;)
    if (binders_[i] == n->name) return static_cast<std::uint32_t>(i);
  return 0;
}

// In an element definition, an input read is the element's field of that name.
NodeId Lowerer::field_named(const std::string& name, Kind kind, dsl::Span span) {
  const auto& fields = p_.records[static_cast<std::size_t>(record_)].fields;
  std::uint32_t i = 0;
  while (i < fields.size() && fields[i].name != name) ++i;
  return emit(Op::field, kind, span, {}, i, 0);
}

NodeId Lowerer::name(ExprId e) {
  const auto& x = p_.ast.at(e);
  const auto& ref = p_.refs[e];
  Kind kind = p_.types[e].kind;
  switch (ref.kind) {
    case dsl::SymbolRef::Kind::input:
      if (record_ >= 0) return field_named(p_.inputs[ref.index].name, kind, x.span);
      return emit(Op::input, kind, x.span, {}, ref.index);
    case dsl::SymbolRef::Kind::field:
      return emit(Op::field, kind, x.span, {}, ref.extra, level_of(std::get<dsl::Member>(x.node).object));
    case dsl::SymbolRef::Kind::def:
      if (ref.extra > 0 && def_reads_inputs(ref.index))  // `m.def`: applied to the element m
        return emit(Op::def, kind, x.span, {}, element_def(ref.index, ref.extra - 1),
                    level_of(std::get<dsl::Member>(x.node).object));
      if (record_ >= 0 && def_reads_inputs(ref.index))
        return emit(Op::def, kind, x.span, {}, element_def(ref.index, static_cast<std::uint32_t>(record_)), 0);
      return emit(Op::def, kind, x.span, {}, ref.index);
    case dsl::SymbolRef::Kind::table_output:
      if (record_ >= 0 && table_reads_inputs(ref.index))
        return emit(Op::table, kind, x.span, {}, element_table(ref.index, static_cast<std::uint32_t>(record_)), ref.extra);
      return emit(Op::table, kind, x.span, {}, ref.index, ref.extra);
    case dsl::SymbolRef::Kind::enum_value: return emit(Op::constant, kind, x.span, {}, 0, 0, Value::of(ref.extra));
    default: return emit(Op::constant, kind, x.span);
  }
}

bool numeric(Kind k) { return k == Kind::int_ || k == Kind::yen || k == Kind::yen_exact || k == Kind::rate; }

// A chain of numeric sums (differences), lowered in a loop: each run of links of one kind
// becomes one n-ary node whose value is the left fold (ir.hpp), so a sum of any length is
// one node. A link of another kind (an `int` sum inside a `rate` one) starts a new run over
// the old; a chain of dates falls back to one node per link, bounded by the IR's depth limit.
std::optional<NodeId> Lowerer::chain(ExprId e) {
  dsl::Chain c = dsl::chain_of(p_.ast, e);
  if (c.links.size() < 2) return std::nullopt;
  for (ExprId link : c.links)
    if (!numeric(p_.types[link].kind)) return std::nullopt;
  Op op = std::get<dsl::Binary>(p_.ast.at(e).node).op == BinOp::add ? Op::add : Op::sub;
  std::vector<NodeId> kids{expr(c.first)};
  Kind run = p_.types[c.links.front()].kind;
  ExprId last = c.links.front();
  for (ExprId link : c.links) {
    Kind k = p_.types[link].kind;
    if (k != run) {
      kids = {emit(op, run, p_.ast.at(last).span, std::move(kids))};
      run = k;
    }
    kids.push_back(expr(std::get<dsl::Binary>(p_.ast.at(link).node).rhs));
    last = link;
  }
  return emit(op, run, p_.ast.at(e).span, std::move(kids));
}

// `a and b and c` is one node of three operands: smaller IR, and one short-circuit loop.
NodeId Lowerer::logic(Op op, const dsl::Binary& b, ExprId e) {
  std::vector<ExprId> operands{b.rhs};
  ExprId left = b.lhs;
  while (auto* l = std::get_if<dsl::Binary>(&p_.ast.at(left).node)) {
    if (l->op != b.op) break;
    operands.push_back(l->rhs);
    left = l->lhs;
  }
  operands.push_back(left);
  std::vector<NodeId> kids;
  for (auto it = operands.rbegin(); it != operands.rend(); ++it) kids.push_back(expr(*it));
  return emit(op, Kind::bool_, p_.ast.at(e).span, std::move(kids));
}

NodeId Lowerer::binary(const dsl::Binary& b, ExprId e) {
  if (auto n = chain(e)) return *n;
  const auto& x = p_.ast.at(e);
  Kind kind = p_.types[e].kind;
  auto two = [&](Op op) { return emit(op, kind, x.span, {expr(b.lhs), expr(b.rhs)}); };
  Kind lk = p_.types[b.lhs].kind, rk = p_.types[b.rhs].kind;
  if ((b.op == BinOp::add || b.op == BinOp::sub) && (lk == Kind::duration || rk == Kind::duration)) {
    ExprId date = lk == Kind::date ? b.lhs : b.rhs;
    ExprId dur = lk == Kind::duration ? b.lhs : b.rhs;
    const auto* d = std::get_if<dsl::DurationLit>(&p_.ast.at(dur).node);
    std::int64_t count = d ? d->count : 0;
    if (b.op == BinOp::sub) count = -count;
    bool days = d && d->unit == dsl::DurationUnit::days;
    // Beyond ±1,000,000 every shift leaves years 1..9999: keep the fault, avoid the overflow.
    count = std::clamp<std::int64_t>(count, -1'000'000, 1'000'000);
    if (d && d->unit == dsl::DurationUnit::years) count *= 12;
    return emit(days ? Op::add_days : Op::add_months, Kind::date, x.span, {expr(date)}, 0, 0, Value::of(count));
  }
  switch (b.op) {
    case BinOp::add: return two(Op::add);
    case BinOp::sub: return lk == Kind::date ? two(Op::days_between) : two(Op::sub);
    case BinOp::mul: return two(Op::mul);
    case BinOp::div: return two(Op::div);
    case BinOp::eq: return two(Op::eq);
    case BinOp::ne: return two(Op::ne);
    case BinOp::lt: return two(Op::lt);
    case BinOp::le: return two(Op::le);
    case BinOp::gt: return two(Op::gt);
    case BinOp::ge: return two(Op::ge);
    case BinOp::and_: return logic(Op::and_, b, e);
    case BinOp::or_: return logic(Op::or_, b, e);
    case BinOp::implies: return two(Op::implies);
    case BinOp::coalesce: return two(Op::coalesce);
  }
  return no_node;
}

// Each argument is lowered once, into the one node of its call: `tiered` too is one node
// (ir.hpp), and unused subtrees would grow with every level of nesting.
NodeId Lowerer::call(const dsl::Call& c, ExprId e) {
  const auto& x = p_.ast.at(e);
  Kind kind = p_.types[e].kind;
  std::vector<NodeId> kids;
  for (auto a : c.args) kids.push_back(expr(a));
  if (p_.refs[e].kind == dsl::SymbolRef::Kind::function) return emit(Op::call_ext, kind, x.span, std::move(kids), p_.refs[e].index);
  return emit(builtin_op(*dsl::find_builtin(c.callee)), kind, x.span, std::move(kids));
}

NodeId Lowerer::expr(ExprId e) {
  const auto& x = p_.ast.at(e);
  Kind kind = p_.types[e].kind;
  return std::visit(
      [&](const auto& n) -> NodeId {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, dsl::IntLit> || std::is_same_v<T, dsl::YenLit>)
          return emit(Op::constant, kind, x.span, {}, 0, 0, Value::of(n.value));
        else if constexpr (std::is_same_v<T, dsl::RateLit>)
          return emit(Op::constant, kind, x.span, {}, 0, 0, rational(n.num, n.den));
        else if constexpr (std::is_same_v<T, dsl::DateLit>)
          return emit(Op::constant, kind, x.span, {}, 0, 0, Value::of(n.days));
        else if constexpr (std::is_same_v<T, dsl::BoolLit>)
          return emit(Op::constant, kind, x.span, {}, 0, 0, Value::of(n.value ? 1 : 0));
        else if constexpr (std::is_same_v<T, dsl::DurationLit> || std::is_same_v<T, dsl::TextLit>)
          return emit(Op::constant, kind, x.span);
        else if constexpr (std::is_same_v<T, dsl::NameRef> || std::is_same_v<T, dsl::Member>)
          return name(e);
        else if constexpr (std::is_same_v<T, dsl::Unary>)
          return emit(n.op == dsl::UnOp::not_ ? Op::not_ : Op::neg, kind, x.span, {expr(n.operand)});
        else if constexpr (std::is_same_v<T, dsl::Binary>)
          return binary(n, e);
        else if constexpr (std::is_same_v<T, dsl::IfElse>)
          return emit(Op::if_, kind, x.span, {expr(n.cond), expr(n.then_branch), expr(n.else_branch)});
        else if constexpr (std::is_same_v<T, dsl::InSet>) {
          std::vector<NodeId> kids{expr(n.subject)};
          for (auto el : n.elements) kids.push_back(expr(el));
          NodeId in = emit(Op::in_set, Kind::bool_, x.span, std::move(kids));
          return n.negated ? emit(Op::not_, Kind::bool_, x.span, {in}) : in;
        } else if constexpr (std::is_same_v<T, dsl::Aggregate>) {
          return aggregate(n, e);
        } else
          return call(n, e);
      },
      x.node);
}

Period period(const dsl::Effective& e) { return {e.from, e.until}; }

}  // namespace

// `count(m in xs where C)`, `sum(m in xs: E)`…: the body and then the filter, lowered with
// `m` bound at the next level.
NodeId Lowerer::aggregate(const dsl::Aggregate& a, ExprId e) {
  static constexpr Op ops[] = {Op::list_count, Op::list_sum, Op::list_all, Op::list_any, Op::list_min, Op::list_max};
  binders_.push_back(a.var.name);
  std::vector<NodeId> kids;
  if (a.body != dsl::no_expr && a.op != dsl::AggOp::count) kids.push_back(expr(a.body));
  if (a.filter != dsl::no_expr) kids.push_back(expr(a.filter));
  binders_.pop_back();
  return emit(ops[static_cast<int>(a.op)], p_.types[e].kind, p_.ast.at(e).span, std::move(kids), p_.refs[a.list].index,
              a.filter != dsl::no_expr ? 1 : 0);
}

bool Lowerer::reads_inputs(ExprId e) {
  const auto& ref = p_.refs[e];
  if (ref.kind == dsl::SymbolRef::Kind::input || ref.kind == dsl::SymbolRef::Kind::field) return true;
  if (ref.kind == dsl::SymbolRef::Kind::def && def_reads_inputs(ref.index)) return true;
  if (ref.kind == dsl::SymbolRef::Kind::table_output && table_reads_inputs(ref.index)) return true;
  bool any = false;
  dsl::for_each_child(p_.ast.at(e), [&](ExprId k) { any = any || reads_inputs(k); });
  return any;
}

bool Lowerer::def_reads_inputs(std::uint32_t def) {
  if (def_reads_.empty()) def_reads_.assign(p_.defs.size(), -1);
  if (def_reads_[def] < 0) {
    def_reads_[def] = 0;
    bool any = false;
    for (auto& alt : p_.defs[def].decl->alts) any = any || reads_inputs(alt.value);
    def_reads_[def] = any ? 1 : 0;
  }
  return def_reads_[def] == 1;
}

bool Lowerer::table_reads_inputs(std::uint32_t table) {
  if (table_reads_.empty()) table_reads_.assign(p_.tables.size(), -1);
  if (table_reads_[table] < 0) {
    table_reads_[table] = 0;
    bool any = false;
    for (auto k : p_.tables[table].decl->keys) any = any || reads_inputs(k);
    table_reads_[table] = any ? 1 : 0;
  }
  return table_reads_[table] == 1;
}

std::uint32_t Lowerer::element_def(std::uint32_t def, std::uint32_t record) {
  auto [it, fresh] = element_defs_.try_emplace({def, record}, 0);
  if (!fresh) return it->second;
  auto index = static_cast<std::uint32_t>(rs_.defs.size());
  it->second = index;
  const auto& d = p_.defs[def];
  rs_.defs.push_back({d.name, d.type.kind, {}, d.decl->cite.value, d.decl->label.value, d.decl->span,
                      static_cast<std::int32_t>(record), def});
  auto outer_binders = std::move(binders_);
  auto outer_record = record_;
  binders_.clear();
  record_ = static_cast<std::int32_t>(record);
  std::vector<DefAlt> alts;
  for (auto& alt : d.decl->alts) alts.push_back({expr(alt.value), period(alt.effective)});
  rs_.defs[index].alts = std::move(alts);
  binders_ = std::move(outer_binders);
  record_ = outer_record;
  return index;
}

std::uint32_t Lowerer::element_table(std::uint32_t table, std::uint32_t record) {
  auto [it, fresh] = element_tables_.try_emplace({table, record}, 0);
  if (!fresh) return it->second;
  auto index = static_cast<std::uint32_t>(rs_.tables.size());
  it->second = index;
  rs_.tables.emplace_back();
  auto outer_binders = std::move(binders_);
  auto outer_record = record_;
  binders_.clear();
  record_ = static_cast<std::int32_t>(record);
  Table t;
  lower_table(p_.tables[table], t);
  t.record = static_cast<std::int32_t>(record);
  t.of = table;
  rs_.tables[index] = std::move(t);
  binders_ = std::move(outer_binders);
  record_ = outer_record;
  return index;
}

namespace {

// Folds a constant expression (literals and arithmetic on them) at compile time.
Value fold(const Ruleset& rs, NodeId n);

}  // namespace

Value Lowerer::constant(ExprId e) { return fold(rs_, expr(e)); }

void Lowerer::lower_table(const dsl::TableInfo& t, Table& table) {
  table.name = t.name;
  table.cite = t.decl->cite.value;
  table.span = t.decl->span;
  for (auto k : t.decl->keys) table.keys.push_back(expr(k));
  for (auto& o : t.decl->outputs) table.outputs.push_back(o.name.name);
  for (auto& row : t.decl->rows) {
    TableRow r;
    r.cite = row.cite.value;
    for (auto& cell : row.keys) {
      TableCell c;
      c.kind = static_cast<TableCell::Kind>(cell.kind);
      for (auto v : cell.values) c.values.push_back(constant(v).num);
      if (cell.lo != dsl::no_expr) c.lo = constant(cell.lo).num;
      if (cell.hi != dsl::no_expr) c.hi = constant(cell.hi).num;
      // `> 3` starts at 4 and `< 4` ends at 3; `> 9223372036854775807` matches nothing
      // (lo > hi), as the checker's coverage takes it.
      bool empty = (cell.lo_open && c.lo == INT64_MAX) || (cell.hi_open && c.hi == INT64_MIN);
      if (empty) c.lo = INT64_MAX, c.hi = INT64_MIN;
      else c.lo += cell.lo_open ? 1 : 0, c.hi -= cell.hi_open ? 1 : 0;
      r.keys.push_back(std::move(c));
    }
    for (auto o : row.outputs) r.outputs.push_back(constant(o));
    table.rows.push_back(std::move(r));
  }
}

namespace {

Value fold(const Ruleset& rs, NodeId id) {
  const Node& n = rs.node(id);
  auto kid = [&](std::uint32_t i) { return fold(rs, rs.child(n, i)); };
  Value out = Value::of(0);
  switch (n.op) {
    case Op::constant: return n.imm;
    case Op::neg: exact::neg(kid(0), out); return out;
    case Op::add:
    case Op::sub:
      out = kid(0);
      for (std::uint32_t i = 1; i < n.count; ++i) {
        Value acc = out;
        (n.op == Op::add ? exact::add : exact::sub)(acc, kid(i), out);
      }
      return out;
    case Op::mul: exact::mul(kid(0), kid(1), out); return out;
    case Op::div: exact::div(kid(0), kid(1), out); return out;
    default: return out;
  }
}

}  // namespace

Ruleset lower(const dsl::Program& p) {
  Ruleset rs;
  Lowerer lw(p, rs);
  if (p.header) {
    rs.programme = p.header->programme.value;
    rs.fiscal_year = p.header->fiscal_year;
    rs.title = p.header->title.value;
    rs.source = p.header->source.value;
    for (auto& v : p.header->versions) rs.versions.push_back({v.date, v.note.value});
    if (!p.header->as_of_input.name.empty()) rs.as_of_input = p.input_index(p.header->as_of_input.name);
  }
  for (auto& en : p.enums) rs.enums.push_back({en.name, en.values, en.labels});
  for (auto& in : p.inputs)
    rs.inputs.push_back({in.name, in.type, in.min, in.max, in.decl->label.value,
                         in.frame == dsl::no_index ? -1 : static_cast<std::int32_t>(in.frame), in.min_length, in.max_length});
  for (auto& r : p.records) {
    Record record{r.name, r.decl->label.value, {}};
    for (auto& f : r.fields) record.fields.push_back({f.name, f.type, f.min, f.max, f.decl->label.value, -1});
    rs.records.push_back(std::move(record));
  }
  rs.defs.resize(p.defs.size());
  rs.tables.resize(p.tables.size());
  for (std::uint32_t i = 0; i < p.tables.size(); ++i) {
    Table table;
    lw.lower_table(p.tables[i], table);
    rs.tables[i] = std::move(table);
  }
  for (std::uint32_t i = 0; i < p.defs.size(); ++i) {
    auto& d = p.defs[i];
    Def def{d.name, d.type.kind, {}, d.decl->cite.value, d.decl->label.value, d.decl->span};
    for (auto& alt : d.decl->alts) def.alts.push_back({lw.expr(alt.value), period(alt.effective)});
    rs.defs[i] = std::move(def);
  }
  for (auto& info : p.rules) {
    const dsl::RuleDecl& d = *info.decl;
    Rule r{d.kind, d.id.name, d.points, d.cite.value, d.label.value, period(d.effective), no_node, {}, no_node, d.span};
    if (d.as_of != dsl::no_expr) r.as_of = lw.expr(d.as_of);
    if (d.applies != dsl::no_expr) r.applies = lw.expr(d.applies);
    for (auto& ex : d.exceptions) r.exceptions.push_back({lw.expr(ex.condition), period(ex.effective), ex.cite.value, ex.span});
    r.body = lw.expr(d.body);
    rs.rules.push_back(std::move(r));
  }
  for (auto& fn : p.functions) {
    Function f{fn.extension->name.name, fn.sig->name.name, {}, fn.result.kind};
    for (auto& t : fn.params) f.params.push_back(t.kind);
    rs.functions.push_back(std::move(f));
  }
  for (auto& f : p.frames)
    rs.frames.push_back({f.name, f.decl->label.value, f.decl->cite.value, f.rules, f.inputs,
                         f.rate == dsl::no_index ? UINT32_MAX : f.rate, f.amount == dsl::no_index ? UINT32_MAX : f.amount});
  rs.tests = lower_tests(p, rs);
  rs.description = describe(p);
  return rs;
}

Value lower_constant(const dsl::Program& p, dsl::ExprId e) {
  Ruleset scratch;
  Lowerer lw(p, scratch);
  return lw.constant(e);
}

}  // namespace kijun::ir
