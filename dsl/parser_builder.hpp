// The parse-tree builder, shared by its halves: parser_expr.cpp builds literals and
// expressions, parser_decls.cpp declarations and top-level items; parser.cpp drives it.
#pragma once

#include <tao/pegtl/contrib/parse_tree.hpp>

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/grammar.hpp"

namespace kijun::dsl::parse {

namespace g = grammar;
namespace pt = tao::pegtl::parse_tree;
using Node = pt::node;

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
        g::amend_target, g::amend_decl, g::remove_test, g::list_type, g::list_record, g::length_interval,
        g::record_decl, g::record_name, g::record_field, g::aggregate, g::aggregate_op, g::element_var, g::element_filter,
        g::element_body, g::count_list, g::list_value, g::element_value, g::element_repeat>>;

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
  InputDecl input(const Node& n);  // an input, or a record's field
  RecordDecl record_decl(const Node& n);
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

}  // namespace kijun::dsl::parse
