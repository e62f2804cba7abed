// Internal to the checker's translation units.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "dsl/builtins.hpp"
#include "dsl/checker.hpp"

namespace kijun::dsl {

// What is known while checking one expression: where names are looked up, which
// optionals are known to be present, and whether only constants are allowed.
// The element a list operation binds (`m` in `count(m in members …)`).
struct Element {
  std::string name;
  std::uint16_t record = 0;
};

struct Context {
  const Scope* scope = nullptr;
  std::vector<SymbolRef> present;
  bool constant_only = false;
  std::vector<Element> elements;  // innermost last
};

using Facts = std::vector<SymbolRef>;

class Checker {
public:
  Checker(Program& p, const SourceSet& s, Diagnostics& d) : p_(p), src_(s), diags_(d) {}
  void run();

  // declare.cpp
  void declare_modules();
  void declare_item(const Item& it, Scope& scope, std::uint32_t module, std::uint32_t frame);
  void declare_frame(const FrameDecl& f, std::uint32_t module);
  void add_symbol(Scope& scope, const Ident& name, SymbolRef ref);
  Type resolve_type(const TypeRef& t);
  Type resolve_list(const ListType& l);

  // lookup.cpp
  std::optional<SymbolRef> lookup(const std::string& name, const Scope& scope, Span at, bool report);
  std::vector<std::string> visible_names(const Scope& scope) const;
  std::optional<std::uint32_t> enum_value(std::uint16_t enum_id, const std::string& name) const;

  // check_expr.cpp
  Type check(ExprId e, const Context& ctx, std::optional<Type> expect = std::nullopt);
  Type check_bool(ExprId e, const Context& ctx);
  Facts facts(ExprId e, bool polarity) const;
  Type def_type(std::uint32_t def, Span use);

  // check_decls.cpp
  void check_def(std::uint32_t def);
  void check_rule(std::uint32_t rule);
  void check_input(std::uint32_t input);
  void check_input(InputInfo& in, const char* what);  // an input or a record's field
  void check_list_length(InputInfo& in);
  void check_table(std::uint32_t table);
  void check_frame(std::uint32_t frame);
  void frame_inputs(std::uint32_t frame);
  void check_versions();
  void check_header();

  // check_depth.cpp
  bool check_evaluation_depth(bool rules);
  void check_tests();
  std::optional<std::int64_t> constant_int(ExprId e, Type want);

  // table_coverage.cpp
  void check_table_coverage(std::uint32_t table);

  // check_judged.cpp: rules with an `as_of` clause
  void declare_frame_enum();
  void check_judged_rule(std::uint32_t rule, const Context& ctx);
  void check_judged_versions(const std::vector<std::uint32_t>& versions);
  bool dated_def(std::uint32_t def);
  ExprId dated_use(ExprId e, bool in_def);
  std::vector<std::uint8_t> dated_;  // per definition: 0 unknown, 1 visiting, 2 no, 3 yes
  std::uint16_t frame_enum_ = UINT16_MAX;

  Program& p_;
  const SourceSet& src_;
  Diagnostics& diags_;
  std::map<std::string, SymbolRef> globals_;      // inputs of every frame
  std::map<std::string, std::uint16_t> enum_by_name_;
  std::map<std::string, std::uint16_t> record_by_name_;
  std::map<std::string, std::uint32_t> module_by_name_;
  std::vector<std::uint32_t> def_stack_;  // for cycle reports
  ExprId checked_lhs_ = no_expr;          // a chain link's left operand, already checked
  std::size_t depth_ = 0;                 // how deep check() is, through definitions too
  bool too_deep_ = false;                 // the depth limit was reported

private:
  Type check_node(ExprId e, const Context& ctx, std::optional<Type> expect);
  Type check_name(ExprId e, const NameRef& n, const Context& ctx, std::optional<Type> expect);
  Type check_member(ExprId e, const Member& m, const Context& ctx);
  // dsl/check_lists.cpp
  ExprId list_operand_ = no_expr;
  void check_list_value(const FieldValue& fv, std::uint32_t input);  // the list operand being checked, where a list may stand
  Type check_aggregate(ExprId e, const Aggregate& a, const Context& ctx);
  const Element* element_named(const std::string& name, const Context& ctx) const;
  Type check_field(ExprId e, const Member& m, const Element& element, const Context& ctx);
  // The inputs a definition reads, through definitions and tables (checked before).
  void inputs_read(std::uint32_t def, std::vector<std::uint32_t>& inputs, std::vector<bool>& seen_defs);
  Type check_binary(ExprId e, const Binary& b, const Context& ctx);
  Type check_arith(const Binary& b, Type l, Type r, Span at);
  Type check_compare(ExprId e, const Binary& b, const Context& ctx);
  Type check_in(ExprId e, const InSet& in, const Context& ctx);
  Type check_call(ExprId e, const Call& c, const Context& ctx);
  Type check_builtin(Builtin b, const Call& c, const Context& ctx);  // dsl/check_builtins.cpp
  Type check_if(const IfElse& i, const Context& ctx);
  Type symbol_type(const SymbolRef& ref, Span use);
};

Context with_facts(const Context& ctx, const Facts& f);
// Is `got` acceptable where `want` is declared? int widens to rate.
bool fits(Type want, Type got);
bool same_symbol(const SymbolRef& a, const SymbolRef& b);
// A value that must be present: reports a use of an unchecked optional (dsl/check_expr.cpp).
Type require_present(Checker& c, ExprId e, Type t);

}  // namespace kijun::dsl
