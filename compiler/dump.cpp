// Canonical text of the IR: one line per definition, rule and frame, expressions in
// prefix form. Stable across runs, so golden tests can compare it.
#include <string>

#include "compiler/ir.hpp"
#include "dsl/calendar.hpp"

namespace kijun::ir {

const char* op_name(Op op) {
  switch (op) {
    case Op::constant: return "const";
    case Op::input: return "input";
    case Op::def: return "def";
    case Op::table: return "table";
    case Op::as_of: return "as_of";
    case Op::frame: return "frame";
    case Op::tiered: return "tiered";
    case Op::present: return "present";
    case Op::not_: return "not";
    case Op::and_: return "and";
    case Op::or_: return "or";
    case Op::implies: return "implies";
    case Op::if_: return "if";
    case Op::coalesce: return "coalesce";
    case Op::neg: return "neg";
    case Op::add: return "add";
    case Op::sub: return "sub";
    case Op::mul: return "mul";
    case Op::div: return "div";
    case Op::eq: return "eq";
    case Op::ne: return "ne";
    case Op::lt: return "lt";
    case Op::le: return "le";
    case Op::gt: return "gt";
    case Op::ge: return "ge";
    case Op::in_set: return "in";
    case Op::floor: return "floor";
    case Op::ceil: return "ceil";
    case Op::min: return "min";
    case Op::max: return "max";
    case Op::clamp: return "clamp";
    case Op::add_days: return "add_days";
    case Op::add_months: return "add_months";
    case Op::days_between: return "days_between";
    case Op::call_ext: return "call";
  }
  return "?";
}

namespace {

void node(const Ruleset& rs, NodeId id, std::string& out) {
  const Node& n = rs.node(id);
  switch (n.op) {
    case Op::constant:
      out += n.imm.den == 1 ? std::to_string(n.imm.num) : std::to_string(n.imm.num) + "/" + std::to_string(n.imm.den);
      return;
    case Op::input: out += "$" + rs.inputs[n.a].name; return;
    case Op::def: out += "@" + rs.defs[n.a].name; return;
    case Op::table: out += rs.tables[n.a].name + "." + rs.tables[n.a].outputs[n.b]; return;
    default: break;
  }
  out += "(";
  out += op_name(n.op);
  if (n.op == Op::add_days || n.op == Op::add_months) out += " " + std::to_string(n.imm.num);
  for (std::uint32_t i = 0; i < n.count; ++i) {
    out += " ";
    node(rs, rs.child(n, i), out);
  }
  out += ")";
}

std::string period(const Period& p) {
  if (!p.from && !p.until) return "";
  std::string out = " [";
  out += p.from ? dsl::format_date(*p.from) : "";
  out += "..";
  out += p.until ? dsl::format_date(*p.until) : "";
  return out + "]";
}

}  // namespace

std::string dump(const Ruleset& rs) {
  std::string out;
  for (auto& d : rs.defs)
    for (auto& alt : d.alts) {
      out += "def " + d.name + period(alt.period) + " = ";
      node(rs, alt.root, out);
      out += "\n";
    }
  for (auto& r : rs.rules) {
    out += std::string(dsl::rule_kind_name(r.kind)) + " " + r.id + period(r.period);
    if (r.points) out += " points=" + std::to_string(r.points);
    if (r.as_of != no_node) out += " as_of=", node(rs, r.as_of, out);
    if (r.applies != no_node) out += " applies=", node(rs, r.applies, out);
    for (auto& e : r.exceptions) out += " unless" + period(e.period) + "=", node(rs, e.condition, out);
    out += " = ";
    node(rs, r.body, out);
    out += "\n";
  }
  for (auto& f : rs.frames) {
    out += "frame " + f.name + ":";
    for (auto r : f.rules) out += " " + rs.rules[r].id;
    out += "\n";
  }
  return out;
}

}  // namespace kijun::ir
