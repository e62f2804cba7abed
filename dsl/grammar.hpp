// The kijun grammar in PEGTL 3. Private to dsl/parser.cpp.
//
// Whitespace and `#` comments separate tokens anywhere; blocks use braces. Rules that a
// construct cannot do without are wrapped in `must<>`, and `expected<Rule>` below names
// what was expected, so a syntax error reads "expected `=` and the rule's condition".
#pragma once

#include <tao/pegtl.hpp>

namespace kijun::dsl::grammar {

using namespace tao::pegtl;

// ---- Lexical -------------------------------------------------------------------------

struct comment : seq<one<'#'>, until<eolf>> {};
struct ws : star<sor<space, comment>> {};

// Identifiers: ASCII letters, `_`, and Japanese scripts (kana, CJK ideographs), so rule
// authors can name things as the guideline does.
struct id_start : sor<ranges<'a', 'z', 'A', 'Z', '_'>,
                      utf8::ranges<0x00C0, 0x024F, 0x3041, 0x30FF, 0x3400, 0x4DBF, 0x4E00, 0x9FFF, 0xF900, 0xFAFF,
                                   0xFF66, 0xFF9F>> {};
struct id_rest : sor<id_start, digit> {};
template <typename S>
struct kw : seq<S, not_at<id_rest>> {};

#define KIJUN_KW(name, text) struct kw_##name : kw<TAO_PEGTL_STRING(text)> {};
KIJUN_KW(and, "and") KIJUN_KW(or, "or") KIJUN_KW(not, "not") KIJUN_KW(implies, "implies")
KIJUN_KW(if, "if") KIJUN_KW(then, "then") KIJUN_KW(else, "else") KIJUN_KW(in, "in")
KIJUN_KW(true, "true") KIJUN_KW(false, "false") KIJUN_KW(null, "null")
KIJUN_KW(cite, "cite") KIJUN_KW(label, "label") KIJUN_KW(effective, "effective")
KIJUN_KW(from, "from") KIJUN_KW(until, "until") KIJUN_KW(applies, "applies") KIJUN_KW(unless, "unless")
KIJUN_KW(ruleset, "ruleset") KIJUN_KW(module, "module") KIJUN_KW(import, "import")
KIJUN_KW(include, "include") KIJUN_KW(except, "except") KIJUN_KW(frame, "frame")
KIJUN_KW(input, "input") KIJUN_KW(enum, "enum") KIJUN_KW(def, "def") KIJUN_KW(param, "param")
KIJUN_KW(table, "table") KIJUN_KW(requirement, "requirement") KIJUN_KW(exclusion, "exclusion")
KIJUN_KW(bonus, "bonus") KIJUN_KW(penalty, "penalty") KIJUN_KW(limit, "limit")
KIJUN_KW(rate, "rate") KIJUN_KW(amount, "amount")
KIJUN_KW(applicant, "applicant") KIJUN_KW(test, "test") KIJUN_KW(expect, "expect") KIJUN_KW(given, "given")
KIJUN_KW(as_of, "as_of") KIJUN_KW(fiscal_year, "fiscal_year") KIJUN_KW(title, "title")
KIJUN_KW(source, "source") KIJUN_KW(version, "version")
KIJUN_KW(eligible, "eligible") KIJUN_KW(failed, "failed") KIJUN_KW(score, "score")
KIJUN_KW(bonus_points, "bonus_points") KIJUN_KW(penalty_points, "penalty_points") KIJUN_KW(error, "error")
KIJUN_KW(extension, "extension") KIJUN_KW(function, "function")
KIJUN_KW(extends, "extends") KIJUN_KW(amend, "amend") KIJUN_KW(remove, "remove") KIJUN_KW(replace, "replace")
KIJUN_KW(yen, "yen") KIJUN_KW(days, "days") KIJUN_KW(day, "day") KIJUN_KW(months, "months")
KIJUN_KW(month, "month") KIJUN_KW(years, "years") KIJUN_KW(year, "year")
// Words of the list forms, keywords only where they are expected (`length` and `of` may
// still name things elsewhere).
KIJUN_KW(record, "record") KIJUN_KW(list, "list") KIJUN_KW(of, "of") KIJUN_KW(length, "length")
KIJUN_KW(where, "where") KIJUN_KW(count, "count") KIJUN_KW(sum, "sum") KIJUN_KW(all, "all") KIJUN_KW(any, "any")
KIJUN_KW(min, "min") KIJUN_KW(max, "max")
#undef KIJUN_KW

// Words that can never name a thing.
struct reserved : sor<kw_and, kw_or, kw_not, kw_implies, kw_if, kw_then, kw_else, kw_in, kw_true, kw_false, kw_null,
                      kw_cite, kw_label, kw_effective, kw_from, kw_until, kw_applies, kw_unless, kw_ruleset,
                      kw_module, kw_import, kw_include, kw_except, kw_frame, kw_input, kw_enum, kw_def, kw_param,
                      kw_table, kw_requirement, kw_exclusion, kw_bonus, kw_penalty, kw_limit, kw_applicant,
                      kw_test, kw_expect, kw_given, kw_extension, kw_function> {};
struct identifier : seq<not_at<reserved>, id_start, star<id_rest>> {};

struct digits : seq<digit, star<sor<digit, seq<one<'_'>, digit>>>> {};  // 1_500_000
struct date_lit : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>, not_at<id_rest>> {};
struct yen_unit : sor<kw_yen, TAO_PEGTL_STRING("円")> {};
struct yen_lit : seq<digits, star<blank>, yen_unit> {};
struct duration_unit : sor<kw_days, kw_day, kw_months, kw_month, kw_years, kw_year> {};
struct duration_lit : seq<digits, plus<blank>, duration_unit> {};
struct decimal : seq<digits, one<'.'>, plus<digit>> {};
struct percent_lit : seq<sor<decimal, digits>, one<'%'>> {};
struct decimal_lit : seq<decimal, not_at<id_rest>> {};
struct int_lit : seq<digits, not_at<id_rest>> {};
struct bool_lit : sor<kw_true, kw_false> {};

struct escape : seq<one<'\\'>, one<'"', '\\', 'n', 't'>> {};
struct string_char : sor<escape, not_one<'"', '\\', '\n', '\r'>> {};
struct string_close : one<'"'> {};
struct string_lit : seq<one<'"'>, star<string_char>, must<string_close>> {};

// ---- Expressions (lowest precedence first) --------------------------------------------

struct expr;
struct comma : seq<ws, one<','>, ws> {};
struct expr_list : list<expr, comma> {};
struct close_paren : one<')'> {};
struct paren : seq<one<'('>, ws, must<expr>, ws, must<close_paren>> {};
struct call_args : opt<expr_list> {};
struct frame_callee : kw_frame {};  // `frame()`: the frame being evaluated
struct call : seq<sor<identifier, frame_callee>, one<'('>, ws, call_args, ws, must<close_paren>> {};
struct name : identifier {};
struct literal : sor<date_lit, yen_lit, duration_lit, percent_lit, decimal_lit, int_lit, bool_lit> {};
struct element_list;
// `count(m in members where C: E)`: tried before a call, and given up (for `min(a, b)`)
// unless a name and `in` follow the parenthesis.
struct aggregate_op : sor<kw_count, kw_sum, kw_all, kw_any, kw_min, kw_max> {};
struct element_var : identifier {};
struct element_filter : seq<kw_where, ws, must<expr>> {};
struct element_body : seq<one<':'>, ws, must<expr>> {};
struct aggregate : seq<aggregate_op, one<'('>, ws, element_var, ws, kw_in, ws, must<element_list>, opt<ws, element_filter>,
                       opt<ws, element_body>, ws, must<close_paren>> {};
// `count(members)`: the number of elements.
struct count_list : seq<kw_count, one<'('>, ws, element_list, ws, one<')'>> {};
struct primary : sor<paren, literal, count_list, aggregate, call, name> {};
struct member_name : identifier {};
struct member_tail : seq<one<'.'>, not_at<one<'.'>>, must<member_name>> {};
struct postfix : seq<primary, star<member_tail>> {};
struct element_list : postfix {};
struct neg_op : seq<one<'-'>, not_at<one<'-'>>> {};
struct unary;
struct negation : seq<neg_op, ws, must<unary>> {};
struct unary : sor<negation, postfix> {};
struct mul_op : one<'*', '/'> {};
struct mul_tail : seq<ws, mul_op, ws, must<unary>> {};
struct mul_expr : seq<unary, star<mul_tail>> {};
struct add_op : sor<one<'+'>, seq<one<'-'>, not_at<one<'-'>>>> {};
struct add_tail : seq<ws, add_op, ws, must<mul_expr>> {};
struct add_expr : seq<mul_expr, star<add_tail>> {};
struct coalesce_expr;
struct coalesce_tail : seq<ws, TAO_PEGTL_STRING("??"), ws, must<coalesce_expr>> {};
struct coalesce_expr : seq<add_expr, opt<coalesce_tail>> {};
struct cmp_op : sor<TAO_PEGTL_STRING("=="), TAO_PEGTL_STRING("!="), TAO_PEGTL_STRING("<="), TAO_PEGTL_STRING(">="),
                    one<'<'>, one<'>'>> {};
struct cmp_tail : seq<ws, cmp_op, ws, must<coalesce_expr>> {};
struct close_brace : one<'}'> {};
struct set_elems : list<expr, comma> {};
struct set_lit : seq<one<'{'>, ws, must<set_elems>, ws, must<close_brace>> {};
struct not_in : seq<kw_not, ws, kw_in> {};
struct in_op : sor<not_in, kw_in> {};
struct in_tail : seq<ws, in_op, ws, must<set_lit>> {};
struct cmp_expr : seq<coalesce_expr, opt<sor<cmp_tail, in_tail>>> {};
struct not_expr;
struct not_prefix : seq<kw_not, ws, must<not_expr>> {};
struct not_expr : sor<not_prefix, cmp_expr> {};
struct and_tail : seq<ws, kw_and, ws, must<not_expr>> {};
struct and_expr : seq<not_expr, star<and_tail>> {};
struct or_tail : seq<ws, kw_or, ws, must<and_expr>> {};
struct or_expr : seq<and_expr, star<or_tail>> {};
struct implies_expr;
struct implies_tail : seq<ws, kw_implies, ws, must<implies_expr>> {};
struct implies_expr : seq<or_expr, opt<implies_tail>> {};
struct then_kw : kw_then {};
struct else_kw : kw_else {};
struct if_expr : seq<kw_if, ws, must<expr>, ws, must<then_kw>, ws, must<expr>, ws, must<else_kw>, ws, must<expr>> {};
struct expr : sor<if_expr, implies_expr> {};

// ---- Clauses shared by declarations ---------------------------------------------------

struct cite_clause : seq<kw_cite, ws, must<string_lit>> {};
struct label_clause : seq<kw_label, ws, must<string_lit>> {};
struct from_bound : seq<kw_from, ws, must<date_lit>> {};
struct until_bound : seq<kw_until, ws, must<date_lit>> {};
struct effective_bounds : sor<seq<from_bound, opt<ws, until_bound>>, until_bound> {};
struct effective_clause : seq<kw_effective, ws, must<effective_bounds>> {};
struct header_clause : sor<cite_clause, label_clause, effective_clause> {};
struct type_ref : seq<identifier, opt<one<'?'>>> {};
struct eq_sign : seq<one<'='>, not_at<one<'='>>> {};

// ---- Declarations ---------------------------------------------------------------------

struct rule_kind : sor<kw_requirement, kw_exclusion, kw_bonus, kw_penalty, kw_limit> {};
struct rule_id : identifier {};
struct points : digits {};
struct applies_if : seq<kw_if, ws, must<expr>> {};
struct applies_clause : seq<kw_applies, ws, must<applies_if>> {};
struct unless_clause : seq<kw_unless, ws, must<expr>, star<ws, sor<cite_clause, effective_clause>>> {};
struct rule_body : seq<eq_sign, ws, must<expr>> {};
// `as_of D`: the rule is judged as of the date D (its versions and dated exceptions).
struct rule_as_of : seq<kw_as_of, ws, must<expr>> {};
struct rule_decl : seq<rule_kind, ws, opt<points, ws>, must<rule_id>, star<ws, header_clause>, opt<ws, rule_as_of>,
                       opt<ws, applies_clause>, star<ws, unless_clause>, ws, must<rule_body>> {};

struct def_kind : sor<kw_def, kw_param> {};
struct def_name : identifier {};
struct type_annot : seq<one<':'>, ws, must<type_ref>> {};
struct def_alt : seq<eq_sign, ws, must<expr>, opt<ws, effective_clause>> {};
struct def_alts : seq<def_alt, star<ws, def_alt>> {};
struct def_decl : seq<def_kind, ws, must<def_name>, opt<ws, type_annot>, star<ws, sor<cite_clause, label_clause>>, ws,
                      must<def_alts>> {};
struct special_kind : sor<kw_rate, kw_amount> {};
struct special_decl : seq<special_kind, star<ws, sor<cite_clause, label_clause>>, ws, must<def_alts>> {};

struct colon : one<':'> {};
struct range_dots : TAO_PEGTL_STRING("..") {};
struct input_interval : seq<add_expr, ws, range_dots, ws, must<add_expr>> {};
struct input_min : seq<TAO_PEGTL_STRING(">="), ws, must<add_expr>> {};
struct input_range : sor<seq<kw_in, ws, must<input_interval>>, input_min> {};
struct input_name : identifier {};
// `list of RECORD, length LO..HI`: a list input; the upper bound bounds evaluation.
struct list_record : identifier {};
struct length_interval : seq<add_expr, ws, range_dots, ws, must<add_expr>> {};
struct list_length : seq<one<','>, ws, must<kw_length>, ws, must<length_interval>> {};
struct list_type : seq<kw_list, ws, must<kw_of>, ws, must<list_record>, ws, must<list_length>> {};
struct input_type : sor<list_type, seq<type_ref, opt<ws, input_range>>> {};
struct input_decl : seq<kw_input, ws, must<input_name>, ws, must<colon>, ws, must<input_type>,
                        star<ws, sor<cite_clause, label_clause>>> {};



struct open_brace : one<'{'> {};
struct enum_value : seq<identifier, opt<star<blank>, string_lit>> {};
struct enum_name : identifier {};
struct enum_decl : seq<kw_enum, ws, must<enum_name>, star<ws, label_clause>, ws, must<open_brace>, ws,
                       star<enum_value, ws>, must<close_brace>> {};

// `record NAME { field: type … }`: the fields of a list's elements, each declared as an
// input is (type, range, citation, label) without the word `input`.
struct record_name : identifier {};
struct record_field : seq<input_name, ws, must<colon>, ws, must<type_ref>, opt<ws, input_range>,
                          star<ws, sor<cite_clause, label_clause>>> {};
struct record_decl : seq<kw_record, ws, must<record_name>, star<ws, sor<cite_clause, label_clause>>, ws, must<open_brace>,
                         ws, star<record_field, ws>, must<close_brace>> {};

// Tables: `| key | key || output | output |` rows; a header row names the key
// expressions and the typed output columns.
struct bar : seq<one<'|'>, not_at<one<'|'>>> {};
struct dbar : TAO_PEGTL_STRING("||") {};
struct col_sep : seq<ws, bar, ws> {};
struct table_key : expr {};
struct table_output_col : seq<identifier, ws, must<colon>, ws, must<type_ref>> {};
struct table_header : seq<bar, ws, list<table_key, col_sep>, ws, must<dbar>, ws, list<table_output_col, col_sep>, ws,
                          must<bar>> {};
struct any_cell : seq<one<'-'>, not_at<digit>> {};
struct range_lo : add_expr {};
struct range_hi : add_expr {};
struct cell_interval : seq<range_lo, ws, range_dots, ws, must<range_hi>> {};
struct cell_cmp : seq<cmp_op, ws, must<add_expr>> {};
struct cell_values : list<add_expr, comma> {};
struct table_cell : sor<any_cell, cell_cmp, cell_interval, cell_values> {};
struct table_output : expr {};
struct table_row : seq<bar, ws, list<table_cell, col_sep>, ws, must<dbar>, ws, list<table_output, col_sep>, ws,
                       must<bar>, opt<ws, cite_clause>> {};
struct table_name : identifier {};
struct table_decl : seq<kw_table, ws, must<table_name>, star<ws, sor<cite_clause, label_clause>>, ws, must<open_brace>,
                        ws, must<table_header>, ws, star<table_row, ws>, must<close_brace>> {};

struct include_module : identifier {};
struct except_list : list<identifier, comma> {};
struct include_decl : seq<kw_include, ws, must<include_module>, opt<ws, kw_except, ws, must<except_list>>> {};

struct frame_item : sor<include_decl, input_decl, enum_decl, record_decl, def_decl, special_decl, table_decl, rule_decl> {};
struct frame_name : identifier {};
struct frame_decl : seq<kw_frame, ws, must<frame_name>, star<ws, sor<cite_clause, label_clause>>, ws, must<open_brace>,
                        ws, star<frame_item, ws>, must<close_brace>> {};

// Native extensions: the signatures of the functions a shared library provides.
struct open_paren : one<'('> {};
struct param_decl : seq<identifier, ws, must<colon>, ws, must<type_ref>> {};
struct param_list : opt<list<param_decl, comma>> {};
struct function_name : identifier {};
struct function_sig : seq<kw_function, ws, must<function_name>, ws, must<open_paren>, ws, param_list, ws, must<close_paren>,
                          ws, must<colon>, ws, must<type_ref>> {};
struct extension_name : identifier {};
struct extension_decl : seq<kw_extension, ws, must<extension_name>, star<ws, sor<cite_clause, label_clause>>, ws,
                            must<open_brace>, ws, star<function_sig, ws>, must<close_brace>> {};

struct module_name : identifier {};
struct module_decl : seq<kw_module, ws, must<module_name>> {};
struct import_decl : seq<kw_import, ws, must<module_name>> {};

struct header_version : seq<kw_version, ws, must<date_lit>, opt<star<blank>, string_lit>> {};
struct header_item : sor<seq<kw_fiscal_year, ws, must<int_lit>>, seq<kw_title, ws, must<string_lit>>,
                         seq<kw_source, ws, must<string_lit>>, seq<kw_as_of, ws, must<identifier>>, header_version> {};
struct extends_path : string_lit {};
struct extends_clause : seq<kw_extends, ws, must<extends_path>> {};
struct header_decl : seq<kw_ruleset, ws, must<string_lit>, opt<ws, extends_clause>, ws, must<open_brace>, ws,
                         star<header_item, ws>, must<close_brace>> {};

// Amendments of an extended ruleset: `amend module NAME { … }` removes, replaces and adds
// declarations of an inherited module or frame; `remove test "…"` drops an inherited test.
struct removable_kind : sor<kw_requirement, kw_exclusion, kw_bonus, kw_penalty, kw_limit, kw_input, kw_def, kw_param,
                            kw_table, kw_enum> {};
struct removed_name : identifier {};
struct remove_decl : seq<kw_remove, ws, must<removable_kind>, ws, must<removed_name>> {};
struct replaced_item : frame_item {};
struct replace_decl : seq<kw_replace, ws, must<replaced_item>> {};
struct amend_item : sor<remove_decl, replace_decl, frame_item> {};
struct amend_kind : sor<kw_module, kw_frame> {};
struct amend_target : identifier {};
struct amend_decl : seq<kw_amend, ws, must<amend_kind>, ws, must<amend_target>, ws, must<open_brace>, ws,
                        star<amend_item, ws>, must<close_brace>> {};
struct removed_test_kw : kw_test {};
struct remove_test : seq<kw_remove, ws, must<removed_test_kw>, ws, must<string_lit>> {};

// ---- Tests ----------------------------------------------------------------------------

// A list's value in a fixture: `[ {…}, 10 * {…} ]`, each element its fields, `N *` repeating it.
struct record;
struct element_repeat : digits {};
struct element_value : seq<opt<element_repeat, ws, one<'*'>, ws>, record> {};
struct close_list : one<']'> {};
struct list_value : seq<one<'['>, ws, star<element_value, ws, opt<one<','>, ws>>, must<close_list>> {};
struct field_value : sor<kw_null, string_lit, list_value, expr> {};
struct field : seq<identifier, ws, must<colon>, ws, must<field_value>> {};
struct record : seq<one<'{'>, ws, star<field, ws, opt<one<','>, ws>>, must<close_brace>> {};
struct base_name : identifier {};
struct applicant_decl : seq<kw_applicant, ws, must<identifier>, opt<ws, kw_from, ws, must<base_name>>, ws,
                            must<record>> {};
struct close_bracket : one<']'> {};
struct id_list : seq<one<'['>, ws, opt<list<identifier, comma>>, ws, must<close_bracket>> {};
struct expect_not_eligible : seq<kw_not, ws, kw_eligible> {};
struct expect_list_kind : sor<kw_failed, kw_bonus, kw_penalty> {};
struct expect_list : seq<expect_list_kind, ws, must<id_list>> {};
struct expect_value_kind : sor<kw_amount, kw_rate, kw_score, kw_bonus_points, kw_penalty_points> {};
struct expect_value : seq<expect_value_kind, ws, must<expr>> {};
struct expect_error : seq<kw_error, ws, must<identifier>> {};
struct expect_name : seq<identifier, opt<one<'.'>, must<identifier>>> {};  // a definition, input or table.output
struct expect_def : seq<expect_name, ws, eq_sign, ws, must<expr>> {};
struct expectation : sor<expect_def, expect_not_eligible, kw_eligible, expect_list, expect_value, expect_error> {};
struct frame_list : list<identifier, comma> {};
struct test_frame : seq<kw_frame, ws, must<frame_list>> {};
struct test_as_of : seq<kw_as_of, ws, must<date_lit>> {};
struct given_body : sor<seq<base_name, opt<ws, record>>, record> {};
struct test_given : seq<kw_given, ws, must<given_body>> {};
struct test_expect : seq<kw_expect, ws, must<expectation>> {};
struct test_item : sor<test_frame, test_as_of, test_given, test_expect> {};
struct test_decl : seq<kw_test, ws, must<string_lit>, ws, must<open_brace>, ws, star<test_item, ws>, must<close_brace>> {};

// One top-level declaration; the parser reads a file one item at a time and, after an
// error, resumes at the next line that starts a declaration.
struct top_item : sor<header_decl, module_decl, import_decl, frame_decl, applicant_decl, test_decl, extension_decl,
                      amend_decl, remove_test, frame_item> {};
struct top_keyword : sor<kw_ruleset, kw_module, kw_import, kw_frame, kw_applicant, kw_test, kw_extension, kw_amend,
                         kw_remove, kw_include, kw_input,
                         kw_enum, kw_record, kw_def, kw_param, kw_table, kw_requirement, kw_exclusion, kw_bonus, kw_penalty,
                         kw_limit, kw_rate, kw_amount> {};
struct item_start : seq<ws, must<top_item>> {};

// What must<Rule> reports when Rule does not match.
template <typename Rule> inline constexpr const char* expected = "valid syntax here";
template <> inline constexpr const char* expected<expr> = "an expression";
template <> inline constexpr const char* expected<unary> = "a value";
template <> inline constexpr const char* expected<mul_expr> = "a value";
template <> inline constexpr const char* expected<not_expr> = "a condition";
template <> inline constexpr const char* expected<and_expr> = "a condition";
template <> inline constexpr const char* expected<implies_expr> = "a condition";
template <> inline constexpr const char* expected<coalesce_expr> = "a value";
template <> inline constexpr const char* expected<add_expr> = "a value";
template <> inline constexpr const char* expected<close_paren> = "`)`";
template <> inline constexpr const char* expected<close_brace> = "`}`";
template <> inline constexpr const char* expected<close_bracket> = "`]`";
template <> inline constexpr const char* expected<open_brace> = "`{`";
template <> inline constexpr const char* expected<then_kw> = "`then`";
template <> inline constexpr const char* expected<else_kw> = "`else` (every `if` needs one)";
template <> inline constexpr const char* expected<string_lit> = "a quoted string";
template <> inline constexpr const char* expected<string_close> = "!unterminated";
template <> inline constexpr const char* expected<date_lit> = "a date (YYYY-MM-DD)";
template <> inline constexpr const char* expected<effective_bounds> = "`from DATE` or `until DATE`";
template <> inline constexpr const char* expected<rule_id> = "a rule id";
template <> inline constexpr const char* expected<rule_body> = "`=` and the rule's condition";
template <> inline constexpr const char* expected<applies_if> = "`if` after `applies`";
template <> inline constexpr const char* expected<def_name> = "a name";
template <> inline constexpr const char* expected<def_alts> = "`=` and a value";
template <> inline constexpr const char* expected<type_ref> = "a type (bool, int, yen, rate, date, text or an enum)";
template <> inline constexpr const char* expected<colon> = "`:` and a type";
template <> inline constexpr const char* expected<input_name> = "an input name";
template <> inline constexpr const char* expected<input_interval> = "a range such as `0..3`";
template <> inline constexpr const char* expected<enum_name> = "an enum name";
template <> inline constexpr const char* expected<record_name> = "a record name";
template <> inline constexpr const char* expected<element_list> = "the list (`count(m in members …)`)";
template <> inline constexpr const char* expected<list_record> = "the record type of the list's elements";
template <> inline constexpr const char* expected<kw_of> = "`of` (`list of RECORD, length 1..10`)";
template <> inline constexpr const char* expected<list_length> = "`, length LO..HI` (a list declares its longest length)";
template <> inline constexpr const char* expected<kw_length> = "`length LO..HI`";
template <> inline constexpr const char* expected<length_interval> = "a length range such as `1..1000`";
template <> inline constexpr const char* expected<input_type> = "a type (bool, int, yen, rate, date, text, an enum, or `list of RECORD, length LO..HI`)";
template <> inline constexpr const char* expected<table_name> = "a table name";
template <> inline constexpr const char* expected<table_header> = "a header row `| key || output: type |`";
template <> inline constexpr const char* expected<dbar> = "`||` between the key cells and the outputs";
template <> inline constexpr const char* expected<bar> = "`|` closing the row";
template <> inline constexpr const char* expected<range_hi> = "the upper end of the range";
template <> inline constexpr const char* expected<include_module> = "a module name";
template <> inline constexpr const char* expected<except_list> = "rule ids";
template <> inline constexpr const char* expected<frame_name> = "a frame name";
template <> inline constexpr const char* expected<frame_list> = "the frames the test runs in";
template <> inline constexpr const char* expected<module_name> = "a module name";
template <> inline constexpr const char* expected<extension_name> = "an extension name";
template <> inline constexpr const char* expected<function_name> = "a function name";
template <> inline constexpr const char* expected<open_paren> = "`(` and the parameters";
template <> inline constexpr const char* expected<int_lit> = "a whole number";
template <> inline constexpr const char* expected<identifier> = "a name";
template <> inline constexpr const char* expected<member_name> = "a name after `.`";
template <> inline constexpr const char* expected<field_value> = "a value";
template <> inline constexpr const char* expected<close_list> = "`]` or another element `{ … }`";
template <> inline constexpr const char* expected<record> = "`{` and field values";
template <> inline constexpr const char* expected<base_name> = "an applicant name";
template <> inline constexpr const char* expected<id_list> = "a list of rule ids in `[ ]`";
template <> inline constexpr const char* expected<expectation> =
    "an expectation (eligible, not eligible, failed [...], bonus [...], penalty [...], amount, rate, score, "
    "bonus_points, penalty_points, error CODE or NAME = value)";
template <> inline constexpr const char* expected<given_body> = "an applicant name or `{ fields }`";
template <> inline constexpr const char* expected<set_lit> = "`{` and the values";
template <> inline constexpr const char* expected<set_elems> = "at least one value";
template <> inline constexpr const char* expected<extends_path> = "the quoted directory of the ruleset it extends";
template <> inline constexpr const char* expected<removable_kind> =
    "what to remove (requirement, exclusion, bonus, penalty, limit, input, def, param, table or enum)";
template <> inline constexpr const char* expected<removed_name> = "the name of what to remove";
template <> inline constexpr const char* expected<replaced_item> = "the declaration that replaces the inherited one";
template <> inline constexpr const char* expected<amend_kind> = "`module` or `frame`";
template <> inline constexpr const char* expected<amend_target> = "the name of the module or frame to amend";
template <> inline constexpr const char* expected<removed_test_kw> =
    "`test` (rules are removed inside `amend module NAME { … }`)";
template <> inline constexpr const char* expected<top_item> =
    "a declaration (ruleset, module, import, extension, input, enum, def, param, table, requirement, exclusion, "
    "bonus, penalty, limit, frame, applicant, test, amend or remove test)";

template <typename Rule>
struct control : normal<Rule> {
  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, States&&...) {
    throw parse_error(expected<Rule>, in);
  }
};

}  // namespace kijun::dsl::grammar
