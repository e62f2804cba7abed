// Lowers the checked program to the typed IR: names become input slots, definition and
// table indices; literals become canonical values; date arithmetic becomes day and month
// offsets.
#include "compiler/lower.hpp"

#include <algorithm>

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

  const dsl::Program& p_;
  Ruleset& rs_;
};

Value rational(std::int64_t num, std::int64_t den) {
  Value v;
  if (exact::make(num, den, v) != EvalError::none) return Value::of(0);
  return v;
}

NodeId Lowerer::name(ExprId e) {
  const auto& x = p_.ast.at(e);
  const auto& ref = p_.refs[e];
  Kind kind = p_.types[e].kind;
  switch (ref.kind) {
    case dsl::SymbolRef::Kind::input: return emit(Op::input, kind, x.span, {}, ref.index);
    case dsl::SymbolRef::Kind::def: return emit(Op::def, kind, x.span, {}, ref.index);
    case dsl::SymbolRef::Kind::table_output: return emit(Op::table, kind, x.span, {}, ref.index, ref.extra);
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
          return no_node;  // unreachable: the checker refuses lists until they are lowered (K0222)
        } else
          return call(n, e);
      },
      x.node);
}

Period period(const dsl::Effective& e) { return {e.from, e.until}; }

// Folds a constant expression (literals and arithmetic on them) at compile time.
Value fold(const Ruleset& rs, NodeId n);

}  // namespace

Value Lowerer::constant(ExprId e) { return fold(rs_, expr(e)); }

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
                         in.frame == dsl::no_index ? -1 : static_cast<std::int32_t>(in.frame)});
  for (auto& d : p.defs) {
    Def def{d.name, d.type.kind, {}, d.decl->cite.value, d.decl->label.value, d.decl->span};
    for (auto& alt : d.decl->alts) def.alts.push_back({lw.expr(alt.value), period(alt.effective)});
    rs.defs.push_back(std::move(def));
  }
  for (auto& t : p.tables) {
    Table table{t.name, {}, {}, {}, t.decl->cite.value, t.decl->span};
    for (auto k : t.decl->keys) table.keys.push_back(lw.expr(k));
    for (auto& o : t.decl->outputs) table.outputs.push_back(o.name.name);
    for (auto& row : t.decl->rows) {
      TableRow r;
      r.cite = row.cite.value;
      for (auto& cell : row.keys) {
        TableCell c;
        c.kind = static_cast<TableCell::Kind>(cell.kind);
        for (auto v : cell.values) c.values.push_back(lw.constant(v).num);
        if (cell.lo != dsl::no_expr) c.lo = lw.constant(cell.lo).num;
        if (cell.hi != dsl::no_expr) c.hi = lw.constant(cell.hi).num;
        // `> 3` starts at 4 and `< 4` ends at 3; `> 9223372036854775807` matches nothing
        // (lo > hi), as the checker's coverage takes it.
        bool empty = (cell.lo_open && c.lo == INT64_MAX) || (cell.hi_open && c.hi == INT64_MIN);
        if (empty) c.lo = INT64_MAX, c.hi = INT64_MIN;
        else c.lo += cell.lo_open ? 1 : 0, c.hi -= cell.hi_open ? 1 : 0;
        r.keys.push_back(std::move(c));
      }
      for (auto o : row.outputs) r.outputs.push_back(lw.constant(o));
      table.rows.push_back(std::move(r));
    }
    rs.tables.push_back(std::move(table));
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
