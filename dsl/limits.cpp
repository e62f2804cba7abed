// The limits that keep a hostile or broken source from exhausting the stack: how deep
// parentheses nest, and how deep one expression goes (dsl/limits.hpp).
#include "dsl/limits.hpp"

#include <algorithm>

namespace kijun::dsl {

// The offset of the first `(` nested deeper than max_nesting, outside strings and comments.
std::optional<std::size_t> too_deep_parentheses(std::string_view text) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"') {
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '(') {
      if (++depth > max_nesting) return i;
    } else if (c == ')' && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

// A sum or difference whose left operand is a sum or difference of the same operator: every
// pass walks such a chain in a loop (the IR keeps it as one node), so its length costs no
// stack and does not count towards the depth.
bool chain_link(const Ast& ast, const Binary& b) {
  if (b.op != BinOp::add && b.op != BinOp::sub) return false;
  auto* lhs = std::get_if<Binary>(&ast.at(b.lhs).node);
  return lhs && lhs->op == b.op;
}

Chain chain_of(const Ast& ast, ExprId e) {
  Chain c;
  for (;;) {
    auto* b = std::get_if<Binary>(&ast.at(e).node);
    if (!b || !chain_link(ast, *b)) break;
    c.links.push_back(e);
    e = b->lhs;
  }
  if (auto* b = std::get_if<Binary>(&ast.at(e).node); b && !c.links.empty()) {
    c.links.push_back(e);  // the innermost link: its left operand is no chain
    e = b->lhs;
  }
  std::reverse(c.links.begin(), c.links.end());
  c.first = e;
  return c;
}

// Checks the expressions [first, end) of the item just parsed. A child always comes before
// its parent in the arena, so one forward pass finds every depth.
bool shallow(const Ast& ast, std::size_t first, Diagnostics& diags) {
  std::vector<std::size_t> depth(ast.exprs.size() - first, 1);
  auto of = [&](ExprId e) { return e >= first && e < ast.exprs.size() ? depth[e - first] : std::size_t{1}; };
  for (std::size_t e = first; e < ast.exprs.size(); ++e) {
    std::size_t d = 0;
    // A link of a chain of sums adds no level to its left operand (dsl/limits.hpp).
    if (auto* b = std::get_if<Binary>(&ast.exprs[e].node)) d = std::max(chain_link(ast, *b) ? of(b->lhs) - 1 : of(b->lhs), of(b->rhs));
    else for_each_child(ast.exprs[e], [&](ExprId x) { d = std::max(d, of(x)); });
    depth[e - first] = d + 1;
    if (d + 1 > max_expression_depth) {
      diags.report(Diag::expression_too_deep, ast.exprs[e].span, {std::to_string(d + 1), std::to_string(max_expression_depth)})
          .with_hint("split it: name parts of it with `def` and combine the names");
      return false;
    }
  }
  return true;
}

// Leaves out the top-level item just parsed (after an error that makes it unusable).
void drop_last(ModuleFile& m) {
  using K = ModuleFile::TopKind;
  if (m.order.empty()) return;
  switch (m.order.back().kind) {
    case K::frame: m.frames.pop_back(); break;
    case K::applicant: m.applicants.pop_back(); break;
    case K::test: m.tests.pop_back(); break;
    case K::amend: m.amends.pop_back(); break;
    case K::item: m.items.pop_back(); break;
    default: return;  // headers, modules and imports hold no expressions
  }
  m.order.pop_back();
}

}  // namespace kijun::dsl
