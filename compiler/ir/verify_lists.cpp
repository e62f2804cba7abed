// The rules of lists in an IR (compiler/ir/verify.hpp): records and list inputs declared as
// lowering declares them, and each field read, element definition and element table used
// only where an element of its record is bound, so evaluation never reads an element that
// is not there. One pass over the nodes from every root, each node given one scope.
#include <map>
#include <vector>

#include "compiler/ir/verify.hpp"

namespace kijun::ir {

namespace {

using dsl::Kind;

bool scalar_kind(Kind k) { return k >= Kind::bool_ && k <= Kind::enumeration && k != Kind::duration; }  // text: held as 0

std::string declarations(const Ruleset& rs) {
  for (const auto& r : rs.records)
    for (const auto& f : r.fields) {
      if (!scalar_kind(f.type.kind)) return "field `" + r.name + "." + f.name + "` is not a single value";
      if (f.type.kind == Kind::enumeration && f.type.enum_id >= rs.enums.size()) return "field `" + f.name + "` has no enum";
    }
  for (const auto& in : rs.inputs) {
    if (in.type.kind != Kind::list) continue;
    if (in.type.enum_id >= rs.records.size()) return "list `" + in.name + "` has no record";
    if (in.type.optional || in.min_length < 0 || in.min_length > in.max_length || in.max_length > 1'000'000)
      return "list `" + in.name + "` has a length out of range";
  }
  for (const auto& d : rs.defs)
    if (d.record >= static_cast<std::int64_t>(rs.records.size()) || d.record < -1) return "definition `" + d.name + "` has no record";
  for (const auto& t : rs.tables)
    if (t.record >= static_cast<std::int64_t>(rs.records.size()) || t.record < -1) return "table `" + t.name + "` has no record";
  for (const auto& f : rs.frames)  // a frame's rate and amount are the applicant's, never an element's
    for (auto d : {f.rate, f.amount})
      if (d != UINT32_MAX && d < rs.defs.size() && rs.defs[d].record >= 0) return "frame `" + f.name + "` computes its outcome per element";
  return "";
}

// The records bound around a node, outermost first, interned so that each node keeps one.
class Scopes {
public:
  std::uint32_t intern(const std::vector<std::uint32_t>& s) {
    auto [it, fresh] = ids_.try_emplace(s, static_cast<std::uint32_t>(all_.size()));
    if (fresh) all_.push_back(s);
    return it->second;
  }
  const std::vector<std::uint32_t>& operator[](std::uint32_t id) const { return all_[id]; }

private:
  std::map<std::vector<std::uint32_t>, std::uint32_t> ids_;
  std::vector<std::vector<std::uint32_t>> all_;
};

std::string scoped_reads(const Ruleset& rs) {
  constexpr std::uint32_t unseen = UINT32_MAX;
  std::vector<std::uint32_t> scope_of(rs.nodes.size(), unseen);
  Scopes scopes;
  std::vector<std::pair<NodeId, std::uint32_t>> stack;
  std::string fault;
  auto reach = [&](NodeId n, std::uint32_t scope) {
    if (n == no_node) return;
    if (scope_of[n] == unseen) scope_of[n] = scope, stack.push_back({n, scope});
    else if (scope_of[n] != scope && fault.empty()) fault = "node " + std::to_string(n) + " is read where different elements are bound";
  };
  const std::uint32_t top = scopes.intern({});
  for (const auto& d : rs.defs) {
    std::uint32_t s = d.record < 0 ? top : scopes.intern({static_cast<std::uint32_t>(d.record)});
    for (const auto& a : d.alts) reach(a.root, s);
  }
  for (const auto& t : rs.tables) {
    std::uint32_t s = t.record < 0 ? top : scopes.intern({static_cast<std::uint32_t>(t.record)});
    for (auto k : t.keys) reach(k, s);
  }
  for (const auto& r : rs.rules) {
    reach(r.applies, top), reach(r.body, top), reach(r.as_of, top);
    for (const auto& e : r.exceptions) reach(e.condition, top);
  }
  while (!stack.empty() && fault.empty()) {
    auto [id, sid] = stack.back();
    stack.pop_back();
    const Node& n = rs.node(id);
    const std::vector<std::uint32_t> scope = scopes[sid];
    auto at = [&] { return "node " + std::to_string(id) + " (" + op_name(n.op) + ")"; };
    std::uint32_t inner = sid;
    switch (n.op) {
      case Op::field: {
        if (n.b >= scope.size()) return at() + " reads an element that is not bound there";
        const auto& fields = rs.records[scope[n.b]].fields;
        if (n.a >= fields.size()) return at() + " reads a field its record has not";
        if (fields[n.a].type.kind != n.kind || n.kind == Kind::text) return at() + " has a kind its field has not, or reads text";
        break;
      }
      case Op::def:
        if (rs.defs[n.a].record < 0 ? n.b != 0
                                    : n.b >= scope.size() || scope[n.b] != static_cast<std::uint32_t>(rs.defs[n.a].record))
          return at() + " applies a definition to an element of another record";
        break;
      case Op::table:
        if (rs.tables[n.a].record >= 0 && (scope.empty() || scope[0] != static_cast<std::uint32_t>(rs.tables[n.a].record)))
          return at() + " reads an element table where no element of its record is bound";
        break;
      case Op::list_count: case Op::list_sum: case Op::list_all: case Op::list_any: case Op::list_min: case Op::list_max: {
        auto more = scope;
        more.push_back(rs.inputs[n.a].type.enum_id);
        inner = scopes.intern(more);
        break;
      }
      default: break;
    }
    for (std::uint32_t i = 0; i < n.count; ++i) reach(rs.child(n, i), inner);
  }
  return fault;
}

// Every input a frame's code can read is among the frame's inputs: native code loads the
// columns of those alone.
std::string frame_reads(const Ruleset& rs) {
  for (const auto& f : rs.frames) {
    std::vector<bool> inputs(rs.inputs.size(), false), defs(rs.defs.size(), false), tables(rs.tables.size(), false),
        seen(rs.nodes.size(), false);
    for (auto s : f.inputs) inputs[s] = true;
    std::vector<NodeId> stack;
    auto def = [&](std::uint32_t d) {
      if (d == UINT32_MAX || defs[d]) return;
      defs[d] = true;
      for (const auto& a : rs.defs[d].alts) stack.push_back(a.root);
    };
    for (auto r : f.rules) {
      const Rule& rule = rs.rules[r];
      for (NodeId n : {rule.applies, rule.body, rule.as_of})
        if (n != no_node) stack.push_back(n);
      for (const auto& e : rule.exceptions) stack.push_back(e.condition);
    }
    def(f.rate), def(f.amount);
    while (!stack.empty()) {
      NodeId id = stack.back();
      stack.pop_back();
      if (seen[id]) continue;
      seen[id] = true;
      const Node& n = rs.node(id);
      if ((n.op == Op::input || is_list_op(n.op)) && !inputs[n.a])
        return "frame `" + f.name + "` reads `" + rs.inputs[n.a].name + "`, which is not among its inputs";
      if (n.op == Op::def) def(n.a);
      if (n.op == Op::table && !tables[n.a]) {
        tables[n.a] = true;
        for (auto k : rs.tables[n.a].keys) stack.push_back(k);
      }
      for (std::uint32_t i = 0; i < n.count; ++i) stack.push_back(rs.child(n, i));
    }
  }
  return "";
}

}  // namespace

std::string verify_lists(const Ruleset& rs) {
  if (auto e = declarations(rs); !e.empty()) return e;
  if (auto e = frame_reads(rs); !e.empty()) return e;
  return scoped_reads(rs);
}

}  // namespace kijun::ir
