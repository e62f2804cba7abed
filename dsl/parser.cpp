#include "dsl/parser.hpp"

#include <tao/pegtl/contrib/parse_tree.hpp>

#include <charconv>
#include <filesystem>

#include "dsl/calendar.hpp"
#include "dsl/grammar.hpp"
#include "dsl/limits.hpp"

namespace kijun::dsl {

namespace g = grammar;
namespace pt = tao::pegtl::parse_tree;
using Node = pt::node;

namespace {

// The parse-tree nodes the builder reads; every other rule is transparent.
template <typename Rule>
using selector = pt::selector<
    Rule,
    pt::store_content::on<
        g::date_lit, g::yen_lit, g::duration_lit, g::percent_lit, g::decimal_lit, g::int_lit, g::bool_lit, g::string_lit,
        g::kw_null, g::identifier, g::name, g::paren, g::member_name, g::rule_id, g::def_name, g::input_name, g::enum_name,
        g::table_name, g::include_module, g::frame_name, g::module_name, g::base_name, g::call, g::frame_callee, g::postfix,
        g::member_tail, g::negation, g::mul_expr, g::mul_tail, g::mul_op, g::add_expr, g::add_tail, g::add_op,
        g::coalesce_expr, g::coalesce_tail, g::cmp_expr, g::cmp_tail, g::cmp_op, g::in_tail, g::in_op, g::set_lit,
        g::not_prefix, g::and_expr, g::and_tail, g::or_expr, g::or_tail, g::implies_expr, g::implies_tail, g::if_expr,
        g::cite_clause, g::label_clause, g::effective_clause, g::from_bound, g::until_bound, g::type_ref,
        g::applies_clause, g::rule_as_of, g::unless_clause, g::rule_body, g::rule_kind, g::points, g::rule_decl, g::def_decl,
        g::def_kind, g::def_alt, g::special_decl, g::special_kind, g::input_decl, g::input_interval, g::input_min,
        g::enum_decl, g::enum_value, g::table_decl, g::table_header, g::table_key, g::table_output_col, g::table_row,
        g::any_cell, g::cell_cmp, g::cell_interval, g::range_lo, g::range_hi, g::cell_values, g::table_output,
        g::include_decl, g::except_list, g::frame_decl, g::module_decl, g::import_decl, g::header_decl,
        g::header_item, g::header_version, g::field, g::record, g::applicant_decl, g::id_list,
        g::expect_not_eligible, g::expect_list, g::expect_list_kind, g::expect_value, g::expect_value_kind,
        g::expect_error, g::expect_def, g::expect_name, g::kw_eligible, g::test_frame, g::test_as_of, g::test_given, g::test_expect,
        g::test_decl, g::param_decl, g::function_name, g::function_sig, g::extension_name, g::extension_decl,
        g::extends_path, g::removable_kind, g::removed_name, g::remove_decl, g::replace_decl, g::amend_kind,
        g::amend_target, g::amend_decl, g::remove_test>>;

class Builder {
public:
  Builder(const SourceSet& sources, FileId file, Ast& ast, Diagnostics& diags)
      : file_(file), text_(sources.file(file).text), ast_(ast), diags_(diags) {}

  void top(const Node& n, ModuleFile& m);

private:
  template <typename R>
  static bool is(const Node& n) { return n.is_type<R>(); }

  Span span(const Node& n) const {
    return {file_, static_cast<std::uint32_t>(n.m_begin.data - text_.data()),
            static_cast<std::uint32_t>(n.m_end.data - text_.data())};
  }
  Ident ident(const Node& n) const { return {n.string(), span(n)}; }
  const Node* child(const Node& n, std::size_t i) const { return i < n.children.size() ? n.children[i].get() : nullptr; }
  template <typename R>
  const Node* find(const Node& n) const {
    for (auto& c : n.children)
      if (c->is_type<R>()) return c.get();
    return nullptr;
  }

  std::int64_t integer(std::string_view digits, Span at);
  std::int64_t date(const Node& n);
  std::optional<std::int64_t> valid_date(const Node& n);
  Text string_text(const Node& n);
  ExprId expr(const Node& n);
  ExprId chain(const Node& n);
  ExprId literal(const Node& n);
  Effective effective(const Node& n);
  TypeRef type_ref(const Node& n);
  void clauses(const Node& n, Text& cite, Text& label, Effective* eff);

  RuleDecl rule(const Node& n);
  DefDecl def(const Node& n);
  InputDecl input(const Node& n);
  EnumDecl enumeration(const Node& n);
  TableDecl table(const Node& n);
  TableCell cell(const Node& n);
  IncludeDecl include(const Node& n);
  ExtensionDecl extension(const Node& n);
  FrameDecl frame(const Node& n);
  AmendDecl amend(const Node& n);
  HeaderDecl header(const Node& n);
  std::vector<FieldValue> record(const Node& n);
  ApplicantDecl applicant(const Node& n);
  TestDecl test(const Node& n);
  Expectation expectation(const Node& n);
  std::optional<Item> item(const Node& n);

  FileId file_;
  const std::string& text_;
  Ast& ast_;
  Diagnostics& diags_;
};

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
void Builder::clauses(const Node& n, Text& cite, Text& label, Effective* eff) {
  for (auto& c : n.children) {
    if (is<g::cite_clause>(*c)) {
      if (!cite.empty()) diags_.report(Diag::duplicate_clause, span(*c), {"cite"});
      cite = string_text(*c->children[0]);
    } else if (is<g::label_clause>(*c)) {
      if (!label.empty()) diags_.report(Diag::duplicate_clause, span(*c), {"label"});
      label = string_text(*c->children[0]);
    } else if (eff && is<g::effective_clause>(*c)) {
      if (!eff->always()) diags_.report(Diag::duplicate_clause, span(*c), {"effective"});
      *eff = effective(*c);
    }
  }
}

RuleDecl Builder::rule(const Node& n) {
  RuleDecl r;
  r.span = span(n);
  auto kind = n.children[0]->string_view();
  r.kind = kind == "requirement" ? RuleKind::requirement : kind == "exclusion" ? RuleKind::exclusion
         : kind == "bonus" ? RuleKind::bonus : kind == "penalty" ? RuleKind::penalty : RuleKind::limit;
  clauses(n, r.cite, r.label, &r.effective);
  for (auto& c : n.children) {
    if (is<g::points>(*c)) {
      r.points = integer(c->string_view(), span(*c));
      r.points_span = span(*c);
    } else if (is<g::rule_id>(*c)) {
      r.id = ident(*c);
    } else if (is<g::rule_as_of>(*c)) {
      r.as_of = expr(*c->children[0]);
    } else if (is<g::applies_clause>(*c)) {
      r.applies = expr(*c->children[0]);
    } else if (is<g::unless_clause>(*c)) {
      Exception e;
      e.span = span(*c);
      e.condition = expr(*c->children[0]);
      Text unused;
      clauses(*c, e.cite, unused, &e.effective);
      r.exceptions.push_back(std::move(e));
    } else if (is<g::rule_body>(*c)) {
      r.body = expr(*c->children[0]);
    }
  }
  bool scored = r.kind == RuleKind::bonus || r.kind == RuleKind::penalty;
  if (scored && r.points < 1) diags_.report(Diag::points_positive, r.points_span.end ? r.points_span : r.id.span);
  if (!scored && r.points_span.end != 0)
    diags_.report(Diag::syntax_expected, r.points_span, {"a rule id (only bonus and penalty take points)"});
  return r;
}

DefDecl Builder::def(const Node& n) {
  DefDecl d;
  d.span = span(n);
  const Node& kind = *n.children[0];
  auto k = kind.string_view();
  d.kind = k == "def" ? DefKind::def : k == "param" ? DefKind::param : k == "rate" ? DefKind::rate : DefKind::amount;
  if (d.kind == DefKind::rate || d.kind == DefKind::amount) d.name = {std::string(k), span(kind)};
  clauses(n, d.cite, d.label, nullptr);
  for (auto& c : n.children) {
    if (is<g::def_name>(*c)) d.name = ident(*c);
    if (is<g::type_ref>(*c)) d.type = type_ref(*c);
    if (is<g::def_alt>(*c)) {
      DefAlt alt;
      alt.span = span(*c);
      alt.value = expr(*c->children[0]);
      if (auto* e = find<g::effective_clause>(*c)) alt.effective = effective(*e);
      d.alts.push_back(alt);
    }
  }
  return d;
}

InputDecl Builder::input(const Node& n) {
  InputDecl in;
  in.span = span(n);
  clauses(n, in.cite, in.label, nullptr);
  for (auto& c : n.children) {
    if (is<g::input_name>(*c)) in.name = ident(*c);
    if (is<g::type_ref>(*c)) in.type = type_ref(*c);
    if (is<g::input_min>(*c)) in.min = expr(*c->children[0]);
    if (is<g::input_interval>(*c)) {
      in.min = expr(*c->children[0]);
      in.max = expr(*c->children[1]);
    }
  }
  return in;
}

EnumDecl Builder::enumeration(const Node& n) {
  EnumDecl e;
  e.span = span(n);
  Text unused;
  clauses(n, unused, e.label, nullptr);
  for (auto& c : n.children) {
    if (is<g::enum_name>(*c)) e.name = ident(*c);
    if (is<g::enum_value>(*c)) {
      EnumValueDecl v{ident(*c->children[0]), {}};
      if (c->children.size() > 1) v.label = string_text(*c->children[1]);
      e.values.push_back(std::move(v));
    }
  }
  return e;
}

TableCell Builder::cell(const Node& n) {
  TableCell c;
  c.span = span(n);
  if (is<g::any_cell>(n)) return c;
  if (is<g::cell_values>(n)) {
    c.kind = TableCell::Kind::values;
    for (auto& v : n.children) c.values.push_back(expr(*v));
    return c;
  }
  c.kind = TableCell::Kind::range;
  if (is<g::cell_interval>(n)) {
    c.lo = expr(*n.children[0]->children[0]);
    c.hi = expr(*n.children[1]->children[0]);
    return c;
  }
  auto op = n.children[0]->string_view();
  ExprId bound = expr(*n.children[1]);
  if (op == "<" || op == "<=") {
    c.hi = bound;
    c.hi_open = op == "<";
  } else if (op == ">" || op == ">=") {
    c.lo = bound;
    c.lo_open = op == ">";
  } else {  // `== v` is a single value; `!=` has no place in a table
    c.kind = TableCell::Kind::values;
    c.values.push_back(bound);
    if (op == "!=") diags_.report(Diag::syntax_expected, c.span, {"a value, a range or `-` (a table cell cannot say `!=`)"});
  }
  return c;
}

TableDecl Builder::table(const Node& n) {
  TableDecl t;
  t.span = span(n);
  clauses(n, t.cite, t.label, nullptr);
  for (auto& c : n.children) {
    if (is<g::table_name>(*c)) t.name = ident(*c);
    if (is<g::table_header>(*c)) {
      for (auto& h : c->children) {
        if (is<g::table_key>(*h)) t.keys.push_back(expr(*h->children[0]));
        if (is<g::table_output_col>(*h)) t.outputs.push_back({ident(*h->children[0]), type_ref(*h->children[1])});
      }
    }
    if (is<g::table_row>(*c)) {
      TableRow row;
      row.span = span(*c);
      for (auto& cell_node : c->children) {
        if (is<g::table_output>(*cell_node)) row.outputs.push_back(expr(*cell_node->children[0]));
        else if (is<g::cite_clause>(*cell_node)) row.cite = string_text(*cell_node->children[0]);
        else row.keys.push_back(cell(*cell_node));
      }
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

IncludeDecl Builder::include(const Node& n) {
  IncludeDecl inc;
  inc.span = span(n);
  inc.module = ident(*n.children[0]);
  if (auto* e = find<g::except_list>(n))
    for (auto& id : e->children) inc.except.push_back(ident(*id));
  return inc;
}

ExtensionDecl Builder::extension(const Node& n) {
  ExtensionDecl e;
  e.span = span(n);
  clauses(n, e.cite, e.label, nullptr);
  for (auto& c : n.children) {
    if (is<g::extension_name>(*c)) e.name = ident(*c);
    if (!is<g::function_sig>(*c)) continue;
    FunctionSig f;
    f.span = span(*c);
    for (auto& part : c->children) {
      if (is<g::function_name>(*part)) f.name = ident(*part);
      if (is<g::param_decl>(*part)) f.params.push_back({ident(*part->children[0]), type_ref(*part->children[1])});
      if (is<g::type_ref>(*part)) f.result = type_ref(*part);
    }
    e.functions.push_back(std::move(f));
  }
  return e;
}

std::optional<Item> Builder::item(const Node& n) {
  if (is<g::rule_decl>(n)) return rule(n);
  if (is<g::def_decl>(n) || is<g::special_decl>(n)) return def(n);
  if (is<g::input_decl>(n)) return input(n);
  if (is<g::enum_decl>(n)) return enumeration(n);
  if (is<g::table_decl>(n)) return table(n);
  if (is<g::include_decl>(n)) return include(n);
  if (is<g::extension_decl>(n)) return extension(n);
  return std::nullopt;
}

FrameDecl Builder::frame(const Node& n) {
  FrameDecl f;
  f.span = span(n);
  clauses(n, f.cite, f.label, nullptr);
  for (auto& c : n.children) {
    if (is<g::frame_name>(*c)) f.name = ident(*c);
    if (auto it = item(*c)) f.items.push_back(std::move(*it));
  }
  return f;
}

HeaderDecl Builder::header(const Node& n) {
  HeaderDecl h;
  h.span = span(n);
  h.programme = string_text(*n.children[0]);
  for (std::size_t i = 1; i < n.children.size(); ++i) {
    const Node& item_node = *n.children[i];
    if (is<g::extends_path>(item_node)) {
      h.extends = string_text(item_node);
      continue;
    }
    const Node& it = item_node.children.empty() || !is<g::header_version>(*item_node.children[0]) ? item_node : *item_node.children[0];
    if (is<g::header_version>(it)) {
      VersionDecl v{date(*it.children[0]), {}, span(it)};
      if (it.children.size() > 1) v.note = string_text(*it.children[1]);
      h.versions.push_back(std::move(v));
      continue;
    }
    auto t = it.string_view();
    const Node& value = *it.children[0];
    if (t.starts_with("fiscal_year")) h.fiscal_year = integer(value.string_view(), span(value));
    else if (t.starts_with("title")) h.title = string_text(value);
    else if (t.starts_with("source")) h.source = string_text(value);
    else if (t.starts_with("as_of")) h.as_of_input = ident(value);
  }
  return h;
}

AmendDecl Builder::amend(const Node& n) {
  AmendDecl a;
  a.span = span(n);
  for (auto& c : n.children) {
    if (is<g::amend_kind>(*c)) a.frame = c->string_view() == "frame";
    else if (is<g::amend_target>(*c)) a.target = ident(*c);
    else if (is<g::remove_decl>(*c)) {
      a.order.push_back({true, static_cast<std::uint32_t>(a.removes.size())});
      a.removes.push_back({ident(*c->children[0]), ident(*c->children[1]), span(*c)});
    } else {
      bool replace = is<g::replace_decl>(*c);
      auto it = item(replace ? *c->children[0] : *c);
      if (!it) continue;
      a.order.push_back({false, static_cast<std::uint32_t>(a.items.size())});
      a.items.push_back(std::move(*it));
      a.replaces.push_back(replace);
    }
  }
  return a;
}

std::vector<FieldValue> Builder::record(const Node& n) {
  std::vector<FieldValue> out;
  for (auto& f : n.children) {
    FieldValue v{ident(*f->children[0]), no_expr, span(*f)};
    const Node& value = *f->children[1];
    if (is<g::string_lit>(value)) {
      auto t = string_text(value);
      v.value = ast_.add(t.span, TextLit{t.value});
    } else if (!is<g::kw_null>(value)) {
      v.value = expr(value);
    }
    out.push_back(std::move(v));
  }
  return out;
}

ApplicantDecl Builder::applicant(const Node& n) {
  ApplicantDecl a;
  a.span = span(n);
  for (auto& c : n.children) {
    if (is<g::identifier>(*c)) a.name = ident(*c);
    if (is<g::base_name>(*c)) a.base = ident(*c);
    if (is<g::record>(*c)) a.fields = record(*c);
  }
  return a;
}

Expectation Builder::expectation(const Node& n) {
  Expectation e;
  e.span = span(n);
  if (is<g::kw_eligible>(n)) { e.kind = ExpectKind::eligible; return e; }
  if (is<g::expect_not_eligible>(n)) { e.kind = ExpectKind::not_eligible; return e; }
  if (is<g::expect_list>(n)) {
    auto k = n.children[0]->string_view();
    e.kind = k == "failed" ? ExpectKind::failed : k == "bonus" ? ExpectKind::bonus : ExpectKind::penalty;
    for (auto& id : n.children[1]->children) e.ids.push_back(ident(*id));
    return e;
  }
  if (is<g::expect_value>(n)) {
    auto k = n.children[0]->string_view();
    e.kind = k == "amount" ? ExpectKind::amount : k == "rate" ? ExpectKind::rate : k == "score" ? ExpectKind::score
           : k == "bonus_points" ? ExpectKind::bonus_points : ExpectKind::penalty_points;
    e.value = expr(*n.children[1]);
    return e;
  }
  if (is<g::expect_error>(n)) {
    e.kind = ExpectKind::error;
    e.name = ident(*n.children[0]);
    return e;
  }
  e.kind = ExpectKind::value;
  e.name = ident(*n.children[0]);
  e.value = expr(*n.children[1]);
  return e;
}

TestDecl Builder::test(const Node& n) {
  TestDecl t;
  t.span = span(n);
  t.name = string_text(*n.children[0]);
  for (std::size_t i = 1; i < n.children.size(); ++i) {
    const Node& it = *n.children[i];
    if (is<g::test_frame>(it))
      for (auto& f : it.children) t.frames.push_back(ident(*f));
    if (is<g::test_as_of>(it)) {
      t.as_of = date(*it.children[0]);
      t.as_of_span = span(it);
    }
    if (is<g::test_given>(it)) {
      for (auto& g : it.children) {
        if (is<g::base_name>(*g)) t.base = ident(*g);
        if (is<g::record>(*g)) t.fields = record(*g);
      }
    }
    if (is<g::test_expect>(it)) t.expectations.push_back(expectation(*it.children[0]));
  }
  return t;
}

void Builder::top(const Node& n, ModuleFile& m) {
  using K = ModuleFile::TopKind;
  auto at = [&](K kind, std::size_t index) { m.order.push_back({kind, static_cast<std::uint32_t>(index), span(n)}); };
  if (is<g::header_decl>(n)) {
    if (m.header) diags_.report(Diag::duplicate_header, span(n));
    else { m.header = header(n); at(K::header, 0); }
  } else if (is<g::module_decl>(n)) {
    m.module = ident(*n.children[0]);
    m.explicit_module = true;
    at(K::module, 0);
  } else if (is<g::import_decl>(n)) {
    m.imports.push_back(ident(*n.children[0]));
    at(K::import, m.imports.size() - 1);
  } else if (is<g::frame_decl>(n)) {
    m.frames.push_back(frame(n));
    at(K::frame, m.frames.size() - 1);
  } else if (is<g::applicant_decl>(n)) {
    m.applicants.push_back(applicant(n));
    at(K::applicant, m.applicants.size() - 1);
  } else if (is<g::test_decl>(n)) {
    m.tests.push_back(test(n));
    at(K::test, m.tests.size() - 1);
  } else if (is<g::amend_decl>(n)) {
    m.amends.push_back(amend(n));
    at(K::amend, m.amends.size() - 1);
  } else if (is<g::remove_test>(n)) {
    m.removed_tests.push_back(string_text(*n.children[0]));
    at(K::remove_test, m.removed_tests.size() - 1);
  } else if (auto it = item(n)) {
    m.items.push_back(std::move(*it));
    at(K::item, m.items.size() - 1);
  }
}

// Where to go on after an error at `from` in the item that began at `item_start`: the line
// holding the error when a declaration starts it (an unfinished item ran into the next),
// else the next line that begins with a top-level keyword.
std::size_t resume_point(const std::string& text, std::size_t from, std::size_t item_start) {
  std::size_t line = text.rfind('\n', from == 0 ? 0 : from - 1);
  line = line == std::string::npos ? 0 : line + 1;
  if (line > item_start) {
    tao::pegtl::memory_input in(text.data() + line, text.data() + text.size(), "");
    if (tao::pegtl::parse<g::top_keyword>(in)) return line;
  }
  std::size_t pos = text.find('\n', from);
  while (pos != std::string::npos) {
    ++pos;
    tao::pegtl::memory_input in(text.data() + pos, text.data() + text.size(), "");
    if (tao::pegtl::parse<g::top_keyword>(in)) return pos;
    pos = text.find('\n', pos);
  }
  return text.size();
}

std::vector<Comment> scan_comments(const std::string& text, FileId file) {
  std::vector<Comment> out;
  bool in_string = false;
  bool line_blank = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') { in_string = false; line_blank = true; continue; }
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') { in_string = true; line_blank = false; continue; }
    if (c == '#') {
      auto end = text.find('\n', i);
      if (end == std::string::npos) end = text.size();
      out.push_back({{file, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(end)}, line_blank});
      i = end - 1;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\r') line_blank = false;
  }
  return out;
}

std::string first_invalid_char(std::string_view rest) {
  if (rest.empty()) return "end of file";
  auto c = static_cast<unsigned char>(rest[0]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
  return std::string(rest.substr(0, std::min(n, rest.size())));
}

}  // namespace

ModuleFile parse_file(const SourceSet& sources, FileId file, Ast& ast, Diagnostics& diags) {
  const auto& src = sources.file(file);
  const std::string& text = src.text;
  ModuleFile m;
  m.file = file;
  m.module = {std::filesystem::path(src.path).filename().string(), {file, 0, 0}};
  for (auto suffix : {".test.kj", ".kj"})
    if (m.module.name.ends_with(suffix)) m.module.name.resize(m.module.name.size() - std::string_view(suffix).size());
  m.comments = scan_comments(text, file);

  if (auto deep = too_deep_parentheses(text)) {
    diags.report(Diag::nesting_too_deep, {file, static_cast<std::uint32_t>(*deep), static_cast<std::uint32_t>(*deep + 1)},
                 {std::to_string(max_nesting)})
        .with_hint("name parts of it with `def` and use the names");
    return m;
  }
  Builder builder(sources, file, ast, diags);
  std::size_t pos = 0;
  while (pos < text.size()) {
    tao::pegtl::memory_input skip(text.data() + pos, text.data() + text.size(), src.path);
    tao::pegtl::parse<g::ws>(skip);
    pos = static_cast<std::size_t>(skip.current() - text.data());
    if (pos >= text.size()) break;
    tao::pegtl::memory_input in(text.data() + pos, text.data() + text.size(), src.path, pos, 1, 1);
    try {
      std::size_t first_expr = ast.exprs.size();
      auto root = pt::parse<g::top_item, Node, selector, tao::pegtl::nothing, g::control>(in);
      if (!root || root->children.empty()) {
        diags.report(Diag::syntax_expected, {file, static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + 1)},
                     {grammar::expected<g::top_item>});
        pos = resume_point(text, pos, pos);
        continue;
      }
      builder.top(*root->children[0], m);
      if (!shallow(ast, first_expr, diags)) drop_last(m);
      pos = static_cast<std::size_t>(in.current() - text.data());
    } catch (const tao::pegtl::parse_error& e) {
      auto at = static_cast<std::uint32_t>(e.positions().empty() ? pos : e.positions().front().byte);
      std::string what(e.message());
      Span s{file, at, at + 1};
      if (what == "!unterminated") {
        // Point at the opening quote, not the end of the line.
        auto open = text.rfind('"', at == 0 ? 0 : at - 1);
        diags.report(Diag::unterminated_string, {file, static_cast<std::uint32_t>(open), at});
      } else {
        auto found = first_invalid_char(std::string_view(text).substr(at));
        auto& d = diags.report(Diag::syntax_expected, s, {what});
        if (found != "end of file") s.end = at + static_cast<std::uint32_t>(found.size());
        std::uint32_t before = at;
        while (before > pos && (text[before - 1] == ' ' || text[before - 1] == '\t' || text[before - 1] == '\n' || text[before - 1] == '\r')) --before;
        if (before < at && text.find('\n', before) < at) s = {file, before, before + 1};
        tao::pegtl::memory_input word(text.data() + at, text.data() + text.size(), "");
        if ((what.find("name") != std::string::npos || what.find(" id") != std::string::npos) &&
            tao::pegtl::parse<g::reserved>(word)) {
          auto length = static_cast<std::uint32_t>(word.current() - (text.data() + at));
          s.end = at + length;
          d.with_hint("`" + text.substr(at, length) + "` is a reserved word; choose another name");
        }
        d.span = s;
      }
      pos = resume_point(text, at, pos);
    }
  }
  return m;
}

const char* rule_kind_name(RuleKind k) {
  switch (k) {
    case RuleKind::requirement: return "requirement";
    case RuleKind::exclusion: return "exclusion";
    case RuleKind::bonus: return "bonus";
    case RuleKind::penalty: return "penalty";
    case RuleKind::limit: return "limit";
  }
  return "rule";
}

const Span& item_span(const Item& item) {
  return std::visit([](const auto& d) -> const Span& { return d.span; }, item);
}

std::string item_kind(const Item& item) {
  if (auto* r = std::get_if<RuleDecl>(&item)) return rule_kind_name(r->kind);
  if (auto* d = std::get_if<DefDecl>(&item)) {
    switch (d->kind) {
      case DefKind::def: return "def";
      case DefKind::param: return "param";
      case DefKind::rate: return "rate";
      case DefKind::amount: return "amount";
    }
  }
  if (std::holds_alternative<InputDecl>(item)) return "input";
  if (std::holds_alternative<EnumDecl>(item)) return "enum";
  if (std::holds_alternative<TableDecl>(item)) return "table";
  if (std::holds_alternative<IncludeDecl>(item)) return "include";
  return "extension";
}

std::string item_name(const Item& item) {
  if (auto* r = std::get_if<RuleDecl>(&item)) return r->id.name;
  if (auto* d = std::get_if<DefDecl>(&item)) return d->kind == DefKind::rate || d->kind == DefKind::amount ? "" : d->name.name;
  if (auto* in = std::get_if<InputDecl>(&item)) return in->name.name;
  if (auto* e = std::get_if<EnumDecl>(&item)) return e->name.name;
  if (auto* t = std::get_if<TableDecl>(&item)) return t->name.name;
  if (auto* x = std::get_if<ExtensionDecl>(&item)) return x->name.name;
  return "";
}

}  // namespace kijun::dsl
