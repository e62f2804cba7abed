#include "compiler/lint.hpp"

namespace kijun::compiler {

namespace {

// Marks what the expressions reachable from the frames read.
class Reads {
public:
  explicit Reads(const ir::Ruleset& rs)
      : rs_(rs), inputs_(rs.inputs.size()), defs_(rs.defs.size()), tables_(rs.tables.size()) {}

  void node(ir::NodeId id) {
    if (id == ir::no_node) return;
    const auto& n = rs_.node(id);
    if (n.op == ir::Op::input || ir::is_list_op(n.op)) inputs_[n.a] = true;
    if (n.op == ir::Op::def) def(n.a);
    if (n.op == ir::Op::table && !tables_[n.a]) {
      tables_[n.a] = true;
      for (auto key : rs_.tables[n.a].keys) node(key);
    }
    for (std::uint32_t i = 0; i < n.count; ++i) node(rs_.child(n, i));
  }

  void def(std::uint32_t index) {
    if (index >= defs_.size() || defs_[index]) return;
    defs_[index] = true;
    for (auto& alt : rs_.defs[index].alts) node(alt.root);
  }

  void rule(const ir::Rule& r) {
    node(r.as_of);
    node(r.applies);
    node(r.body);
    for (auto& e : r.exceptions) node(e.condition);
  }

  bool read(std::uint32_t input) const { return inputs_[input]; }

private:
  const ir::Ruleset& rs_;
  std::vector<bool> inputs_, defs_, tables_;
};

}  // namespace

void lint_unread_inputs(const ir::Ruleset& rs, const dsl::Program& program, dsl::Diagnostics& diags) {
  Reads reads(rs);
  for (auto& f : rs.frames) {
    for (auto r : f.rules) reads.rule(rs.rules[r]);
    reads.def(f.rate);
    reads.def(f.amount);
  }
  for (std::uint32_t i = 0; i < rs.inputs.size(); ++i) {
    if (reads.read(i) || i == rs.as_of_input || rs.inputs[i].type.kind == dsl::Kind::text) continue;
    diags.report(dsl::Diag::unread_input, program.inputs[i].decl->name.span, {rs.inputs[i].name})
        .with_hint("remove it, or write the rule that needs it");
  }
}

}  // namespace kijun::compiler
