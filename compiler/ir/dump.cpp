// Canonical text of the IR: one line per definition, rule and frame, expressions in
// prefix form. Stable across runs, so golden tests can compare it.
#include <string>

#include "compiler/ir/ir.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::ir {

const char* op_name(Op op) { return static_cast<std::size_t>(op) < op_count ? op_info(op).text : "?"; }

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
