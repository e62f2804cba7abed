// The canonical layout of expressions and table cells: minimal parentheses, canonical
// literals, long and/or chains and `if`s broken one operand or branch per line.
#include <algorithm>

#include "dsl/formatter_printer.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::dsl::fmt {

int precedence(const Expr& e) {
  return std::visit(
      [](const auto& n) -> int {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, IfElse>) return 1;
        else if constexpr (std::is_same_v<T, Binary>) {
          switch (n.op) {
            case BinOp::implies: return 2;
            case BinOp::or_: return 3;
            case BinOp::and_: return 4;
            case BinOp::eq: case BinOp::ne: case BinOp::lt: case BinOp::le: case BinOp::gt: case BinOp::ge: return 6;
            case BinOp::coalesce: return 7;
            case BinOp::add: case BinOp::sub: return 8;
            case BinOp::mul: case BinOp::div: return 9;
          }
          return 12;
        } else if constexpr (std::is_same_v<T, Unary>) return n.op == UnOp::not_ ? 5 : 10;
        else if constexpr (std::is_same_v<T, InSet>) return 6;
        else if constexpr (std::is_same_v<T, Member>) return 11;
        else if constexpr (std::is_same_v<T, YenLit> || std::is_same_v<T, DurationLit>) return 11;
        else return 12;
      },
      e.node);
}

const char* op_text(BinOp op) {
  switch (op) {
    case BinOp::add: return "+";
    case BinOp::sub: return "-";
    case BinOp::mul: return "*";
    case BinOp::div: return "/";
    case BinOp::eq: return "==";
    case BinOp::ne: return "!=";
    case BinOp::lt: return "<";
    case BinOp::le: return "<=";
    case BinOp::gt: return ">";
    case BinOp::ge: return ">=";
    case BinOp::and_: return "and";
    case BinOp::or_: return "or";
    case BinOp::implies: return "implies";
    case BinOp::coalesce: return "??";
  }
  return "?";
}

std::string grouped(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? 0 - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v));
  if (digits.size() < 5) return (v < 0 ? "-" : "") + digits;
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += '_';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

std::string decimal(std::int64_t num, std::int64_t den, bool percent) {
  int scale = 0;
  for (std::int64_t d = den; d > 1; d /= 10) ++scale;
  if (percent) scale -= 2;
  std::string digits = std::to_string(num);
  if (scale <= 0) return digits + (percent ? "%" : "");
  if (digits.size() <= static_cast<std::size_t>(scale)) digits = std::string(scale - digits.size() + 1, '0') + digits;
  digits.insert(digits.size() - scale, ".");
  return digits + (percent ? "%" : "");
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out + "\"";
}


// A chain of sums, printed in a loop from its leftmost operand (no recursion per link).
std::string Printer::chain(const Chain& c) const {
  std::string s = expr(c.first, 8);
  for (ExprId link : c.links) {
    const auto& b = std::get<Binary>(ast_.at(link).node);
    s += " ";
    s += op_text(b.op);
    s += " ";
    s += expr(b.rhs, 9);
  }
  return s;
}

std::string Printer::expr(ExprId id, int min_prec) const {
  const Expr& e = ast_.at(id);
  int prec = precedence(e);
  if (Chain c = chain_of(ast_, id); c.links.size() >= 2) return prec < min_prec ? "(" + chain(c) + ")" : chain(c);
  std::string s = std::visit(
      [&](const auto& n) -> std::string {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, IntLit>) return grouped(n.value);
        else if constexpr (std::is_same_v<T, YenLit>) return grouped(n.value) + " yen";
        else if constexpr (std::is_same_v<T, RateLit>) return decimal(n.num, n.den, n.percent);
        else if constexpr (std::is_same_v<T, DateLit>) return format_date(n.days);
        else if constexpr (std::is_same_v<T, DurationLit>) {
          const char* unit = n.unit == DurationUnit::days ? "day" : n.unit == DurationUnit::months ? "month" : "year";
          return std::to_string(n.count) + " " + unit + (n.count == 1 ? "" : "s");
        } else if constexpr (std::is_same_v<T, BoolLit>) return n.value ? "true" : "false";
        else if constexpr (std::is_same_v<T, TextLit>) return quoted(n.value);
        else if constexpr (std::is_same_v<T, NameRef>) return n.name;
        else if constexpr (std::is_same_v<T, Member>) return expr(n.object, 11) + "." + n.member;
        else if constexpr (std::is_same_v<T, Aggregate>) {
          static const char* names[] = {"count", "sum", "all", "any", "min", "max"};
          if (n.var.name.empty()) return "count(" + expr(n.list) + ")";
          std::string out = std::string(names[static_cast<int>(n.op)]) + "(" + n.var.name + " in " + expr(n.list, 11);
          if (n.filter != no_expr) out += " where " + expr(n.filter);
          if (n.body != no_expr) out += ": " + expr(n.body);
          return out + ")";
        }
        else if constexpr (std::is_same_v<T, Unary>) {
          if (n.op == UnOp::not_) return "not " + expr(n.operand, 5);
          std::string inner = expr(n.operand, 10);
          return "-" + (inner.starts_with("-") ? " " + inner : inner);
        } else if constexpr (std::is_same_v<T, Binary>) {
          bool right = n.op == BinOp::implies || n.op == BinOp::coalesce;
          bool nonassoc = prec == 6;
          int l = right || nonassoc ? prec + 1 : prec;
          int r = right ? prec : prec + 1;
          // `2/3` is how rates are written; keep a division of two whole numbers tight.
          // `x * 2/3` parses as `(x * 2) / 3`, the same exact value; print it the way it is written.
          if (n.op == BinOp::div && std::holds_alternative<IntLit>(ast_.at(n.rhs).node)) {
            const Expr& lhs = ast_.at(n.lhs);
            auto* mul = std::get_if<Binary>(&lhs.node);
            if (std::holds_alternative<IntLit>(lhs.node)) return expr(n.lhs, l) + "/" + expr(n.rhs, r);
            if (mul && mul->op == BinOp::mul && std::holds_alternative<IntLit>(ast_.at(mul->rhs).node))
              return expr(mul->lhs, 9) + " * " + expr(mul->rhs, 10) + "/" + expr(n.rhs, r);
          }
          return expr(n.lhs, l) + " " + op_text(n.op) + " " + expr(n.rhs, r);
        } else if constexpr (std::is_same_v<T, IfElse>)
          return "if " + expr(n.cond) + " then " + expr(n.then_branch) + " else " + expr(n.else_branch);
        else if constexpr (std::is_same_v<T, InSet>) {
          std::string set = expr(n.subject, 7) + (n.negated ? " not in { " : " in { ");
          for (std::size_t i = 0; i < n.elements.size(); ++i) set += (i ? ", " : "") + expr(n.elements[i]);
          return set + " }";
        } else {
          std::string call = n.callee + "(";
          for (std::size_t i = 0; i < n.args.size(); ++i) call += (i ? ", " : "") + expr(n.args[i]);
          return call + ")";
        }
      },
      e.node);
  return prec < min_prec ? "(" + s + ")" : s;
}

// `lead EXPR tail`, breaking a long top-level and/or chain into one operand per line.
void Printer::block_expr(int indent, const std::string& lead, ExprId e, const std::string& tail) {
  std::string flat = lead + expr(e) + tail;
  if (indent * 2 + display_width(flat) <= max_width) return line(indent, flat);
  const Expr& x = ast_.at(e);
  if (std::holds_alternative<IfElse>(x.node)) return if_chain(indent, lead, e, tail);
  auto* b = std::get_if<Binary>(&x.node);
  if (!b || (b->op != BinOp::and_ && b->op != BinOp::or_)) return line(indent, flat);
  BinOp op = b->op;
  std::vector<ExprId> operands;
  std::vector<ExprId> stack{e};
  while (!stack.empty()) {
    ExprId cur = stack.back();
    stack.pop_back();
    auto* cb = std::get_if<Binary>(&ast_.at(cur).node);
    if (cb && cb->op == op) {
      stack.push_back(cb->rhs);
      stack.push_back(cb->lhs);
    } else {
      operands.push_back(cur);
    }
  }
  int own = op == BinOp::and_ ? 4 : 3;
  line(indent, lead + expr(operands[0], own + 1));
  for (std::size_t i = 1; i < operands.size(); ++i)
    line(indent + 1, std::string(op_text(op)) + " " + expr(operands[i], own + 1) + (i + 1 == operands.size() ? tail : ""));
}

// A long `if`: one branch per line, `else if` chains flat, a long branch on its own line.
void Printer::if_chain(int indent, const std::string& lead, ExprId e, const std::string& tail) {
  std::string prefix = lead;
  int at = indent;
  int branch_indent = indent + static_cast<int>(lead.size() / 2);
  while (auto* i = std::get_if<IfElse>(&ast_.at(e).node)) {
    std::string head = prefix + "if " + expr(i->cond) + " then";
    std::string whole = head + " " + expr(i->then_branch);
    if (at * 2 + display_width(whole) <= max_width) {
      line(at, whole);
    } else {
      line(at, head);
      block_expr(branch_indent + 1, "", i->then_branch);
    }
    e = i->else_branch;
    prefix = "else ";
    at = branch_indent;
  }
  std::string last = prefix + expr(e) + tail;
  if (at * 2 + display_width(last) <= max_width) return line(at, last);
  line(at, "else");
  block_expr(at + 1, "", e, tail);
}

std::string Printer::cell(const TableCell& c) const {
  std::string s;
  if (c.kind == TableCell::Kind::any) return "-";
  if (c.kind == TableCell::Kind::values) {
    for (std::size_t i = 0; i < c.values.size(); ++i) s += (i ? ", " : "") + expr(c.values[i]);
    return s;
  }
  if (c.lo != no_expr && c.hi != no_expr && !c.lo_open && !c.hi_open) return expr(c.lo, 8) + ".." + expr(c.hi, 8);
  if (c.lo != no_expr) return std::string(c.lo_open ? "> " : ">= ") + expr(c.lo, 8);
  return std::string(c.hi_open ? "< " : "<= ") + expr(c.hi, 8);
}

}  // namespace kijun::dsl::fmt
