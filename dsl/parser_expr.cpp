// The builder's literals and expressions: exact numbers, dates, strings, operator chains.
#include <charconv>
#include <map>

#include "dsl/limits.hpp"
#include "dsl/parser_builder.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::dsl::parse {

std::int64_t Builder::integer(std::string_view digits, Span at) {
  std::string clean;
  for (char c : digits)
    if (c >= '0' && c <= '9') clean += c;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), v);
  if (ec != std::errc() || p != clean.data() + clean.size()) {
    diags_.report(Diag::integer_too_large, at, {std::string(digits)});
    return 0;
  }
  return v;
}

std::optional<std::int64_t> Builder::valid_date(const Node& n) {
  auto d = parse_date(n.string_view());
  if (!d) diags_.report(Diag::invalid_date, span(n), {n.string()});
  return d;
}

std::int64_t Builder::date(const Node& n) { return valid_date(n).value_or(0); }

Text Builder::string_text(const Node& n) {
  auto raw = n.string_view();
  std::string out;
  for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 2 < raw.size()) {
      char e = raw[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    } else {
      out += raw[i];
    }
  }
  return {out, span(n)};
}

ExprId Builder::literal(const Node& n) {
  auto s = span(n);
  auto text = n.string_view();
  if (is<g::date_lit>(n)) return ast_.add(s, DateLit{date(n)});
  if (is<g::bool_lit>(n)) return ast_.add(s, BoolLit{text == "true"});
  if (is<g::int_lit>(n)) return ast_.add(s, IntLit{integer(text, s)});
  if (is<g::yen_lit>(n)) {
    auto end = text.find_first_not_of("0123456789_");
    return ast_.add(s, YenLit{integer(text.substr(0, end), s)});
  }
  if (is<g::duration_lit>(n)) {
    auto end = text.find_first_not_of("0123456789_");
    auto unit_text = text.substr(text.find_first_not_of(" \t", end));
    auto unit = unit_text.starts_with("day") ? DurationUnit::days
                : unit_text.starts_with("month") ? DurationUnit::months
                                                 : DurationUnit::years;
    return ast_.add(s, DurationLit{integer(text.substr(0, end), s), unit});
  }
  // Decimal or percent: num / 10^fraction_digits (÷100 more for %), exact.
  bool percent = is<g::percent_lit>(n);
  if (percent) text.remove_suffix(1);
  auto dot = text.find('.');
  std::string digits;
  for (char c : text)
    if (c >= '0' && c <= '9') digits += c;
  std::size_t scale = (dot == std::string_view::npos ? 0 : text.size() - dot - 1) + (percent ? 2 : 0);
  if (digits.size() > 18 || scale > 18) {
    diags_.report(Diag::decimal_too_precise, s, {n.string()});
    return ast_.add(s, RateLit{0, 1, percent});
  }
  std::int64_t den = 1;
  for (std::size_t i = 0; i < scale; ++i) den *= 10;
  return ast_.add(s, RateLit{integer(digits, s), den, percent});
}

ExprId Builder::chain(const Node& n) {
  // A left-associative chain: first operand, then tails of (operator, operand).
  ExprId lhs = expr(*n.children[0]);
  for (std::size_t i = 1; i < n.children.size(); ++i) {
    const Node& tail = *n.children[i];
    BinOp op{};
    Span op_span = span(tail);
    const Node* rhs_node = nullptr;
    if (is<g::mul_tail>(tail) || is<g::add_tail>(tail)) {
      const Node& o = *tail.children[0];
      auto t = o.string_view();
      op = t == "*" ? BinOp::mul : t == "/" ? BinOp::div : t == "+" ? BinOp::add : BinOp::sub;
      op_span = span(o);
      rhs_node = tail.children[1].get();
    } else {
      op = is<g::and_tail>(tail) ? BinOp::and_ : BinOp::or_;
      rhs_node = tail.children[0].get();
      op_span = {file_, op_span.begin, op_span.begin};
    }
    ExprId rhs = expr(*rhs_node);
    lhs = ast_.add(Span::cover(ast_.at(lhs).span, ast_.at(rhs).span), Binary{op, lhs, rhs, op_span});
  }
  return lhs;
}

ExprId Builder::expr(const Node& n) {
  if (is<g::name>(n)) return ast_.add(span(n), NameRef{n.string()});
  // Parentheses make no node of their own, but the expression inside spans them: every span
  // covering it (`(a ?? 0) / b`, `x * (y + z)`) then starts and ends where the reader sees it.
  if (is<g::paren>(n)) {
    ExprId inner = expr(*n.children[0]);
    ast_.exprs[inner].span = span(n);
    return inner;
  }
  if (is<g::mul_expr>(n) || is<g::add_expr>(n) || is<g::and_expr>(n) || is<g::or_expr>(n)) return chain(n);
  if (is<g::postfix>(n)) {
    ExprId object = expr(*n.children[0]);
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      const Node& m = *n.children[i]->children[0];
      object = ast_.add(Span::cover(ast_.at(object).span, span(m)), Member{object, m.string(), span(m)});
    }
    return object;
  }
  if (is<g::aggregate>(n)) {
    static const std::map<std::string_view, AggOp> ops = {{"count", AggOp::count}, {"sum", AggOp::sum}, {"all", AggOp::all},
                                                          {"any", AggOp::any},     {"min", AggOp::min}, {"max", AggOp::max}};
    Aggregate agg{ops.at(n.children[0]->string_view()), ident(*n.children[1]), expr(*n.children[2])};
    for (std::size_t i = 3; i < n.children.size(); ++i) {
      if (is<g::element_filter>(*n.children[i])) agg.filter = expr(*n.children[i]->children[0]);
      if (is<g::element_body>(*n.children[i])) agg.body = expr(*n.children[i]->children[0]);
    }
    return ast_.add(span(n), std::move(agg));
  }
  if (is<g::count_list>(n)) return ast_.add(span(n), Aggregate{AggOp::count, {}, expr(*n.children[0])});
  if (is<g::call>(n)) {
    Call c{n.children[0]->string(), span(*n.children[0]), {}};
    for (std::size_t i = 1; i < n.children.size(); ++i) c.args.push_back(expr(*n.children[i]));
    return ast_.add(span(n), std::move(c));
  }
  if (is<g::negation>(n)) return ast_.add(span(n), Unary{UnOp::neg, expr(*n.children[0])});
  if (is<g::not_prefix>(n)) return ast_.add(span(n), Unary{UnOp::not_, expr(*n.children[0])});
  if (is<g::coalesce_expr>(n)) {
    ExprId lhs = expr(*n.children[0]);
    if (n.children.size() == 1) return lhs;
    const Node& tail = *n.children[1];
    ExprId rhs = expr(*tail.children[0]);
    Span op_span{file_, span(tail).begin, span(tail).begin};
    return ast_.add(span(n), Binary{BinOp::coalesce, lhs, rhs, op_span});
  }
  if (is<g::implies_expr>(n)) {
    ExprId lhs = expr(*n.children[0]);
    if (n.children.size() == 1) return lhs;
    ExprId rhs = expr(*n.children[1]->children[0]);
    return ast_.add(span(n), Binary{BinOp::implies, lhs, rhs, span(*n.children[1])});
  }
  if (is<g::cmp_expr>(n)) {
    ExprId lhs = expr(*n.children[0]);
    if (n.children.size() == 1) return lhs;
    const Node& tail = *n.children[1];
    if (is<g::in_tail>(tail)) {
      bool negated = tail.children[0]->string_view().starts_with("not");
      std::vector<ExprId> elements;
      for (auto& e : tail.children[1]->children) elements.push_back(expr(*e));
      return ast_.add(span(n), InSet{lhs, std::move(elements), negated});
    }
    auto o = tail.children[0]->string_view();
    BinOp op = o == "==" ? BinOp::eq : o == "!=" ? BinOp::ne : o == "<=" ? BinOp::le : o == ">=" ? BinOp::ge
             : o == "<" ? BinOp::lt : BinOp::gt;
    ExprId rhs = expr(*tail.children[1]);
    return ast_.add(span(n), Binary{op, lhs, rhs, span(*tail.children[0])});
  }
  if (is<g::if_expr>(n))
    return ast_.add(span(n), IfElse{expr(*n.children[0]), expr(*n.children[1]), expr(*n.children[2])});
  return literal(n);
}

Effective Builder::effective(const Node& n) {
  Effective e;
  e.span = span(n);
  for (auto& b : n.children) {
    if (is<g::from_bound>(*b)) e.from = valid_date(*b->children[0]);
    if (is<g::until_bound>(*b)) e.until = valid_date(*b->children[0]);
  }
  if (e.from && e.until && *e.from > *e.until)
    diags_.report(Diag::empty_effective, e.span, {format_date(*e.from), format_date(*e.until)});
  return e;
}

TypeRef Builder::type_ref(const Node& n) {
  TypeRef t;
  t.name = ident(*n.children[0]);
  t.optional = n.string_view().ends_with("?");
  t.span = span(n);
  return t;
}

// cite, label and effective clauses in any order, each at most once.
}  // namespace kijun::dsl::parse
