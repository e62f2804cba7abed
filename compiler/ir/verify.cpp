// The well-formedness of a ruleset IR (compiler/ir/verify.hpp): indices, then kinds, then
// acyclicity with the depth of evaluation. Each pass is linear in the size of the IR. The
// kind rules restate the checker's typing (dsl/check_expr.cpp) on the nodes lowering
// makes of it (compiler/lower.cpp); they accept exactly the kinds a checked program can give.
#include "compiler/ir/verify.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "dsl/support/calendar.hpp"

namespace kijun::ir {

namespace {

using dsl::Kind;

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::error: return "no kind";
    case Kind::bool_: return "bool";
    case Kind::int_: return "int";
    case Kind::yen: return "yen";
    case Kind::yen_exact: return "an exact yen fraction";
    case Kind::rate: return "rate";
    case Kind::date: return "date";
    case Kind::duration: return "a duration";
    case Kind::text: return "text";
    case Kind::list: return "a list";
    case Kind::enumeration: return "an enum value";
  }
  return "an unknown kind";
}

// A kind a value can have (the reader takes a kind from any byte).
bool value_kind(Kind k) { return k != Kind::error && static_cast<unsigned>(k) <= static_cast<unsigned>(Kind::enumeration); }
bool keyable(Kind k) { return k == Kind::enumeration || k == Kind::bool_ || k == Kind::int_ || k == Kind::yen || k == Kind::date; }
bool extension_kind(Kind k) { return k == Kind::bool_ || k == Kind::int_ || k == Kind::yen || k == Kind::date; }

// The kinds of `*` and `/` (dsl/check_expr.cpp, check_arith); error where the checker refuses.
Kind product(Kind a, Kind b) {
  using dsl::is_money, dsl::is_ratio;
  if (is_ratio(a) && is_ratio(b)) return a == Kind::int_ && b == Kind::int_ ? Kind::int_ : Kind::rate;
  if ((a == Kind::yen && b == Kind::int_) || (a == Kind::int_ && b == Kind::yen)) return Kind::yen;
  if ((is_money(a) && is_ratio(b)) || (is_ratio(a) && is_money(b))) return Kind::yen_exact;
  return Kind::error;
}

Kind quotient(Kind a, Kind b) {
  using dsl::is_money, dsl::is_ratio;
  if ((is_ratio(a) && is_ratio(b)) || (is_money(a) && is_money(b))) return Kind::rate;
  if (is_money(a) && is_ratio(b)) return Kind::yen_exact;
  return Kind::error;
}

// Whether `==` (or `<`, when ordered) compares values of kinds a and b (check_compare).
bool comparable(Kind a, Kind b, bool ordered) {
  if (dsl::is_numeric(a) && dsl::is_numeric(b)) return dsl::common_kind(a, b) != Kind::error;
  if (a == Kind::date && b == Kind::date) return true;
  return !ordered && a == b && a != Kind::duration && value_kind(a);
}

// A constant's value is one of its kind: present, reduced to den ≥ 1, whole unless a
// fraction is its kind, a bool 0 or 1.
bool value_of(Kind k, const Value& v) {
  if (v.den < 1) return false;
  if (k != Kind::rate && k != Kind::yen_exact && v.den != 1) return false;
  return k != Kind::bool_ || v.num == 0 || v.num == 1;
}

// How many children an operation takes, lo..hi (compiler/ir/ops.def): `add`, `sub`, `and`,
// `or` may take more than two, a chain of one operator being one node; an extension call
// takes its function's parameters.
std::pair<std::uint32_t, std::uint32_t> arity(const Ruleset& rs, const Node& n) {
  if (n.op == Op::call_ext) {
    auto params = static_cast<std::uint32_t>(rs.functions[n.a].params.size());
    return {params, params};
  }
  const OpInfo& info = op_info(n.op);
  return {info.fewest, info.most};
}

// The kind rules of the nodes and of the declarations that hold them.
class Kinds {
public:
  explicit Kinds(const Ruleset& rs) : rs_(rs), outputs_(rs.tables.size()) {
    for (std::size_t t = 0; t < rs.tables.size(); ++t) outputs_[t].assign(rs.tables[t].outputs.size(), Kind::error);
  }
  std::string node(NodeId id);
  std::string declarations() const;
  std::string table_outputs() const;

private:
  Kind kid(const Node& n, std::uint32_t i) const { return rs_.node(rs_.child(n, i)).kind; }
  std::string kid_text(const Node& n, std::uint32_t i) const { return "child " + std::to_string(i) + " is " + kind_name(kid(n, i)); }
  std::string operands(const Node& n) const;
  Kind common(const Node& n) const;
  Kind result(const Node& n);

  const Ruleset& rs_;
  std::vector<std::vector<Kind>> outputs_;  // per table output: the kind of the nodes that read it
};

// The kind numeric children combine to, or date children (min, max, clamp; add and sub of
// numbers only); error when they do not combine.
Kind Kinds::common(const Node& n) const {
  Kind acc = kid(n, 0);
  for (std::uint32_t i = 1; i < n.count; ++i) {
    Kind k = kid(n, i);
    if (acc == Kind::date && k == Kind::date) continue;
    acc = dsl::is_numeric(acc) && dsl::is_numeric(k) ? dsl::common_kind(acc, k) : Kind::error;
  }
  if (acc == Kind::date && (n.op == Op::add || n.op == Op::sub)) return Kind::error;
  return acc;
}

// The kind the node must have given its operation and its children's kinds (error: they
// do not combine). For `if`, `??`, constants and table outputs, the node's own kind: their
// children are checked against it in operands().
Kind Kinds::result(const Node& n) {
  switch (n.op) {
    case Op::constant: case Op::if_: case Op::coalesce: return n.kind;
    case Op::input: return rs_.inputs[n.a].type.kind;
    case Op::def: return rs_.defs[n.a].kind;
    case Op::table: {
      Kind& seen = outputs_[n.a][n.b];  // every node reading one output gives one kind
      if (seen == Kind::error) seen = n.kind;
      return seen;
    }
    case Op::as_of: case Op::add_days: case Op::add_months: return Kind::date;
    case Op::frame: return Kind::enumeration;
    case Op::days_between: return Kind::int_;
    case Op::present: case Op::not_: case Op::and_: case Op::or_: case Op::implies: case Op::in_set:
    case Op::eq: case Op::ne: case Op::lt: case Op::le: case Op::gt: case Op::ge: return Kind::bool_;
    case Op::neg: return dsl::is_numeric(kid(n, 0)) ? kid(n, 0) : Kind::error;
    case Op::add: case Op::sub: case Op::min: case Op::max: case Op::clamp: return common(n);
    case Op::mul: return product(kid(n, 0), kid(n, 1));
    case Op::div: return quotient(kid(n, 0), kid(n, 1));
    case Op::floor: case Op::ceil:
      return dsl::is_money(kid(n, 0)) ? Kind::yen : dsl::is_ratio(kid(n, 0)) ? Kind::int_ : Kind::error;
    case Op::call_ext: return rs_.functions[n.a].result;
    case Op::field: return n.kind;  // its field's kind: compiler/ir/verify_lists.cpp
    case Op::list_count: return Kind::int_;
    case Op::list_all: case Op::list_any: return Kind::bool_;
    case Op::list_sum: return dsl::is_numeric(kid(n, 0)) ? kid(n, 0) : Kind::error;
    case Op::list_min: case Op::list_max: return dsl::is_numeric(kid(n, 0)) || kid(n, 0) == Kind::date ? kid(n, 0) : Kind::error;
    case Op::tiered: {  // check_expr.cpp, tiered: a cost in money, a subsidy in yen, two ratios
      bool ok = dsl::is_money(kid(n, 0)) && kid(n, 1) == Kind::yen && dsl::is_ratio(kid(n, 2)) && dsl::is_ratio(kid(n, 3));
      return ok ? Kind::yen_exact : Kind::error;
    }
  }
  return Kind::error;
}

// What the operation asks of its children beyond combining to the node's kind; empty if
// they give it.
std::string Kinds::operands(const Node& n) const {
  auto all = [&](Kind want, std::uint32_t from) {
    for (std::uint32_t i = from; i < n.count; ++i)
      if (kid(n, i) != want) return kid_text(n, i) + ", not " + kind_name(want);
    return std::string();
  };
  // A branch of `if`, a side of `??`: the node's kind, or a number that widens to it.
  auto fits = [&](std::uint32_t i) {
    Kind k = kid(n, i);
    if (k == n.kind || (dsl::is_numeric(k) && dsl::common_kind(k, n.kind) == n.kind)) return std::string();
    return kid_text(n, i) + " where the node is " + kind_name(n.kind);
  };
  switch (n.op) {
    case Op::constant: return value_of(n.kind, n.imm) ? "" : std::string("its value is not one of ") + kind_name(n.kind);
    case Op::not_: case Op::and_: case Op::or_: case Op::implies: return all(Kind::bool_, 0);
    case Op::add_days: case Op::add_months: case Op::days_between: return all(Kind::date, 0);
    case Op::if_: {
      if (kid(n, 0) != Kind::bool_) return kid_text(n, 0) + ", not bool";
      auto e = fits(1);
      return e.empty() ? fits(2) : e;
    }
    case Op::coalesce: {
      auto e = fits(0);
      return e.empty() ? fits(1) : e;
    }
    case Op::eq: case Op::ne: case Op::lt: case Op::le: case Op::gt: case Op::ge: {
      bool ordered = n.op != Op::eq && n.op != Op::ne;
      if (comparable(kid(n, 0), kid(n, 1), ordered)) return "";
      return std::string("it compares ") + kind_name(kid(n, 0)) + " with " + kind_name(kid(n, 1));
    }
    case Op::in_set:
      for (std::uint32_t i = 1; i < n.count; ++i) {
        Kind subject = kid(n, 0), k = kid(n, i);
        if (dsl::is_numeric(subject) ? !comparable(subject, k, false) : k != subject)
          return std::string("it looks for ") + kind_name(subject) + " among " + kind_name(k);
      }
      return "";
    case Op::list_count: case Op::list_sum: case Op::list_all: case Op::list_any: case Op::list_min: case Op::list_max: {
      // The filter, when there is one, is the last child; all and any take a condition.
      std::uint32_t body = n.op == Op::list_count ? 0 : 1;
      if (n.b > 1 || n.count != body + n.b) return "its children are not a body and a filter";
      if (n.b && kid(n, n.count - 1) != Kind::bool_) return kid_text(n, n.count - 1) + ", not bool";
      if ((n.op == Op::list_all || n.op == Op::list_any) && kid(n, 0) != Kind::bool_) return kid_text(n, 0) + ", not bool";
      return "";
    }
    case Op::call_ext:
      for (std::uint32_t i = 0; i < n.count; ++i)
        if (kid(n, i) != rs_.functions[n.a].params[i])
          return kid_text(n, i) + ", not " + kind_name(rs_.functions[n.a].params[i]);
      return "";
    default: return "";
  }
}

std::string Kinds::node(NodeId id) {
  const Node& n = rs_.node(id);
  auto at = [&] { return "node " + std::to_string(id) + " (" + op_name(n.op) + ")"; };
  if (!value_kind(n.kind)) return at() + " has " + kind_name(n.kind);
  auto takes = arity(rs_, n);
  if (n.count < takes.first || n.count > takes.second)
    return at() + " has " + std::to_string(n.count) + (n.count == 1 ? " child" : " children") + "; it takes " +
           std::to_string(takes.first) + (takes.second > takes.first ? " or more" : "");
  Kind want = result(n);
  if (want != n.kind) {
    std::string kinds;
    for (std::uint32_t i = 0; i < n.count; ++i) kinds += std::string(i ? ", " : " of ") + kind_name(kid(n, i));
    if (want == Kind::error) return at() + " cannot combine children" + kinds;
    return at() + " is " + kind_name(n.kind) + ", but gives " + kind_name(want);
  }
  auto e = operands(n);
  return e.empty() ? e : at() + ": " + e;
}

std::string Kinds::declarations() const {
  auto kind = [&](NodeId n) { return rs_.node(n).kind; };
  for (const auto& in : rs_.inputs)
    if (!value_kind(in.type.kind) && in.type.kind != Kind::list) return "input `" + in.name + "` has " + kind_name(in.type.kind);
  if (rs_.as_of_input != UINT32_MAX && rs_.inputs[rs_.as_of_input].type.kind != Kind::date)
    return "the as-of input `" + rs_.inputs[rs_.as_of_input].name + "` is not a date";
  for (const auto& d : rs_.defs) {
    if (!value_kind(d.kind)) return "definition `" + d.name + "` has " + kind_name(d.kind);
    for (const auto& a : d.alts)  // a value fits its definition's kind; an int widens to a rate
      if (kind(a.root) != d.kind && !(d.kind == Kind::rate && kind(a.root) == Kind::int_))
        return "definition `" + d.name + "` is " + kind_name(d.kind) + ", but a value of it is " + kind_name(kind(a.root));
  }
  for (const auto& t : rs_.tables)
    for (std::size_t c = 0; c < t.keys.size(); ++c) {
      Kind k = kind(t.keys[c]);
      if (!keyable(k)) return "table `" + t.name + "` is keyed by " + kind_name(k);
      bool ranges = k == Kind::int_ || k == Kind::yen || k == Kind::date;
      for (const auto& row : t.rows)
        if (row.keys[c].kind > TableCell::Kind::range || (row.keys[c].kind == TableCell::Kind::range && !ranges))
          return "table `" + t.name + "` has a cell that cannot match " + kind_name(k);
    }
  for (const auto& r : rs_.rules) {
    if (r.kind > dsl::RuleKind::limit) return "rule `" + r.id + "` has an unknown kind";
    bool conditions = kind(r.body) == Kind::bool_ && (r.applies == no_node || kind(r.applies) == Kind::bool_);
    for (const auto& e : r.exceptions) conditions = conditions && kind(e.condition) == Kind::bool_;
    if (!conditions) return "rule `" + r.id + "` has a condition that is not bool";
    if (r.as_of != no_node && kind(r.as_of) != Kind::date) return "rule `" + r.id + "` is judged as of something not a date";
  }
  for (const auto& f : rs_.frames) {
    if (f.rate != UINT32_MAX && rs_.defs[f.rate].kind != Kind::rate) return "the rate of frame `" + f.name + "` is not a rate";
    if (f.amount != UINT32_MAX && rs_.defs[f.amount].kind != Kind::yen) return "the amount of frame `" + f.name + "` is not yen";
  }
  for (const auto& f : rs_.functions) {
    bool ok = extension_kind(f.result);
    for (Kind p : f.params) ok = ok && extension_kind(p);
    if (!ok) return "extension function `" + f.name + "` takes or gives a kind extensions cannot";
  }
  return "";
}

// Each row's output is a value of the kind the nodes reading that output give (any
// present value when no node reads it).
std::string Kinds::table_outputs() const {
  for (std::size_t t = 0; t < rs_.tables.size(); ++t)
    for (const auto& row : rs_.tables[t].rows)
      for (std::size_t o = 0; o < row.outputs.size(); ++o) {
        Kind k = outputs_[t][o] == Kind::error ? Kind::rate : outputs_[t][o];
        if (!value_of(k, row.outputs[o]))
          return "table `" + rs_.tables[t].name + "` gives `" + rs_.tables[t].outputs[o] + "` a value that is not " + kind_name(k);
      }
  return "";
}

// Every index in the IR must point inside its table, or evaluation could read anywhere.
std::string indices(const Ruleset& rs) {
  auto node_ok = [&](NodeId n) { return n < rs.nodes.size(); };
  for (const auto& n : rs.nodes) {
    if (std::uint64_t{n.first} + n.count > rs.children.size()) return "node children";
    if (static_cast<std::size_t>(n.op) >= op_count) return "operation";
    if (n.op == Op::input && n.a >= rs.inputs.size()) return "input reference";
    if (n.op == Op::def && n.a >= rs.defs.size()) return "definition reference";
    if (n.op == Op::table && (n.a >= rs.tables.size() || n.b >= rs.tables[n.a].outputs.size())) return "table reference";
    if (is_list_op(n.op) && (n.a >= rs.inputs.size() || rs.inputs[n.a].type.kind != Kind::list)) return "list reference";
    if (n.op == Op::call_ext && (n.a >= rs.functions.size() || n.count != rs.functions[n.a].params.size() || n.count > 16))
      return "function call";
  }
  for (auto c : rs.children)
    if (!node_ok(c)) return "child";
  for (const auto& d : rs.defs)
    for (const auto& a : d.alts)
      if (!node_ok(a.root)) return "definition";
  for (const auto& t : rs.tables) {
    for (auto k : t.keys)
      if (!node_ok(k)) return "table key";
    for (const auto& r : t.rows)
      if (r.keys.size() != t.keys.size() || r.outputs.size() != t.outputs.size()) return "table row";
  }
  for (const auto& r : rs.rules) {
    if (!node_ok(r.body) || (r.applies != no_node && !node_ok(r.applies)) || (r.as_of != no_node && !node_ok(r.as_of)))
      return "rule";
    for (const auto& e : r.exceptions)
      if (!node_ok(e.condition)) return "exception";
  }
  for (const auto& f : rs.frames) {
    for (auto r : f.rules)
      if (r >= rs.rules.size()) return "frame rule";
    for (auto s : f.inputs)
      if (s >= rs.inputs.size()) return "frame input";
    if ((f.rate != UINT32_MAX && f.rate >= rs.defs.size()) || (f.amount != UINT32_MAX && f.amount >= rs.defs.size()))
      return "frame amount";
  }
  for (const auto& in : rs.inputs)
    if (in.type.kind == Kind::enumeration && in.type.enum_id >= rs.enums.size()) return "input enum";
  if (rs.as_of_input != UINT32_MAX && rs.as_of_input >= rs.inputs.size()) return "as-of input";
  return "";
}

// Evaluation must end, and not too deep: no node, definition or table key may reach itself
// through children, definitions' values and tables' keys (the checker refuses such
// rulesets; an image is checked again, since it comes from a file), and no path may be
// longer than max_ir_depth (the interpreter and explain recurse along it). An iterative
// depth-first search, so a long chain cannot exhaust the stack; each vertex's depth is
// known when the search leaves it. Vertices: nodes, then definitions, then tables.
// The length of the longest path; none if there is a cycle.
std::optional<std::size_t> longest_path(const Ruleset& rs) {
  const std::size_t nodes = rs.nodes.size(), defs = rs.defs.size(), total = nodes + defs + rs.tables.size();
  auto successors = [&](std::size_t v, std::vector<std::size_t>& out) {
    out.clear();
    if (v < nodes) {
      const Node& n = rs.nodes[v];
      for (std::uint32_t i = 0; i < n.count; ++i) out.push_back(rs.children[n.first + i]);
      if (n.op == Op::def) out.push_back(nodes + n.a);
      if (n.op == Op::table) out.push_back(nodes + defs + n.a);
    } else if (v < nodes + defs) {
      for (const auto& a : rs.defs[v - nodes].alts) out.push_back(a.root);
    } else {
      for (auto k : rs.tables[v - nodes - defs].keys) out.push_back(k);
    }
  };
  constexpr std::size_t unseen = 0, on_path = SIZE_MAX;  // else the vertex's depth, ≥ 1
  std::vector<std::size_t> depth(total, unseen);
  std::vector<std::pair<std::size_t, std::vector<std::size_t>>> stack;
  std::vector<std::size_t> again;
  std::size_t longest = 0;
  for (std::size_t start = 0; start < total; ++start) {
    if (depth[start] != unseen) continue;
    stack.push_back({start, {}});
    successors(start, stack.back().second);
    depth[start] = on_path;
    while (!stack.empty()) {
      auto& [v, next] = stack.back();
      if (next.empty()) {
        std::size_t d = 1;
        successors(v, again);
        for (auto w : again) d = std::max(d, 1 + depth[w]);
        depth[v] = d;
        longest = std::max(longest, d);
        stack.pop_back();
        continue;
      }
      std::size_t w = next.back();
      next.pop_back();
      if (depth[w] == on_path) return std::nullopt;
      if (depth[w] != unseen) continue;
      depth[w] = on_path;
      stack.push_back({w, {}});
      successors(w, stack.back().second);
    }
  }
  return longest;
}

// The nodes evaluation can reach: from definitions' values, table keys and rules' parts,
// through children. Lowering leaves others behind — each table cell is lowered and folded
// in place, and a range's bounds, typed by no check, are nodes of no kind — which nothing
// evaluates (the applicant generator reads their constants as edges).
std::vector<bool> reachable(const Ruleset& rs) {
  std::vector<bool> seen(rs.nodes.size());
  std::vector<NodeId> stack;
  auto reach = [&](NodeId n) {
    if (n != no_node && !seen[n]) seen[n] = true, stack.push_back(n);
  };
  for (const auto& d : rs.defs)
    for (const auto& a : d.alts) reach(a.root);
  for (const auto& t : rs.tables)
    for (auto k : t.keys) reach(k);
  for (const auto& r : rs.rules) {
    reach(r.applies), reach(r.body), reach(r.as_of);
    for (const auto& e : r.exceptions) reach(e.condition);
  }
  while (!stack.empty()) {
    const Node& n = rs.node(stack.back());
    stack.pop_back();
    for (std::uint32_t i = 0; i < n.count; ++i) reach(rs.child(n, i));
  }
  return seen;
}

// The kinds of the nodes evaluation reaches and of the declarations, once every index is
// known to be in range.
std::string kinds(const Ruleset& rs) {
  Kinds k(rs);
  auto evaluated = reachable(rs);
  for (NodeId id = 0; id < rs.nodes.size(); ++id)
    if (auto e = evaluated[id] ? k.node(id) : ""; !e.empty()) return e;
  if (auto e = k.declarations(); !e.empty()) return e;
  return k.table_outputs();
}

// The dates the ruleset declares (versions, periods, date constants) are calendar days.
std::string dates(const Ruleset& rs) {
  for (const auto& v : rs.versions)
    if (!dsl::is_calendar_day(v.date)) return "a version dated outside years 1..9999";
  for (const auto& r : rs.rules) {
    if (!r.period.on_calendar()) return "rule `" + r.id + "`'s period is outside years 1..9999";
    for (const auto& e : r.exceptions)
      if (!e.period.on_calendar()) return "an exception of rule `" + r.id + "` has a period outside years 1..9999";
  }
  for (const auto& d : rs.defs)
    for (const auto& a : d.alts)
      if (!a.period.on_calendar()) return "definition `" + d.name + "` has a period outside years 1..9999";
  for (const auto& n : rs.nodes)
    if (n.op == Op::constant && n.kind == dsl::Kind::date && !dsl::is_calendar_day(n.imm.num)) return "a date constant outside years 1..9999";
  return "";
}

}  // namespace

std::string verify(const Ruleset& rs) {
  if (auto e = indices(rs); !e.empty()) return "inconsistent " + e;
  if (auto e = kinds(rs); !e.empty()) return "inconsistent kinds: " + e;
  if (auto e = verify_lists(rs); !e.empty()) return "inconsistent lists: " + e;
  if (auto e = dates(rs); !e.empty()) return "inconsistent dates: " + e;
  if (auto e = verify_tests(rs); !e.empty()) return "inconsistent " + e;
  auto longest = longest_path(rs);
  if (!longest) return "inconsistent definitions: one refers to itself";
  if (*longest > max_ir_depth)
    return "evaluation would nest " + std::to_string(*longest) + " levels deep; at most " + std::to_string(max_ir_depth) +
           " are read";
  return "";
}

}  // namespace kijun::ir
