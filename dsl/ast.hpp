// The syntax tree of kijun sources. Nodes are immutable after parsing; each carries its
// span. Expressions live in one arena per compilation (Ast::exprs) and are referred to by
// ExprId, so the checker keeps types and resolved names in side tables keyed by that id.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "dsl/support/source.hpp"
#include "dsl/support/types.hpp"

namespace kijun::dsl {

using ExprId = std::uint32_t;
inline constexpr ExprId no_expr = UINT32_MAX;

enum class BinOp : std::uint8_t { add, sub, mul, div, eq, ne, lt, le, gt, ge, and_, or_, implies, coalesce };
enum class UnOp : std::uint8_t { neg, not_ };
enum class DurationUnit : std::uint8_t { days, months, years };

struct Ident {
  std::string name;
  Span span;
};

struct IntLit { std::int64_t value; };
struct YenLit { std::int64_t value; };
// 0.035 or 3.5%: an exact rate num/den as written (den a power of ten).
struct RateLit { std::int64_t num; std::int64_t den; bool percent; };
struct DateLit { std::int64_t days; };
struct DurationLit { std::int64_t count; DurationUnit unit; };
struct BoolLit { bool value; };
struct TextLit { std::string value; };  // only in test fixtures (applicant ids)
struct NameRef { std::string name; };
struct Member { ExprId object; std::string member; Span member_span; };
struct Unary { UnOp op; ExprId operand; };
struct Binary { BinOp op; ExprId lhs; ExprId rhs; Span op_span; };
struct IfElse { ExprId cond; ExprId then_branch; ExprId else_branch; };
struct InSet { ExprId subject; std::vector<ExprId> elements; bool negated; };
struct Call { std::string callee; Span callee_span; std::vector<ExprId> args; };
// `count(m in members where C)`, `sum(m in members: E)`, `all(m in members: C)`…: over the
// elements of a list, `var` naming the element in the filter and the body (docs/design/lists.md).
enum class AggOp : std::uint8_t { count, sum, all, any, min, max };
struct Aggregate { AggOp op; Ident var; ExprId list = no_expr; ExprId filter = no_expr; ExprId body = no_expr; };

using ExprNode = std::variant<IntLit, YenLit, RateLit, DateLit, DurationLit, BoolLit, TextLit, NameRef, Member, Unary, Binary,
                              IfElse, InSet, Call, Aggregate>;

struct Expr {
  Span span;
  ExprNode node;
};

// Calls f(child) for each expression directly inside `e`, in source order: the one place
// that knows which fields of a node are expressions.
template <typename F>
void for_each_child(const Expr& e, F&& f) {
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, Member>) f(n.object);
        else if constexpr (std::is_same_v<T, Unary>) f(n.operand);
        else if constexpr (std::is_same_v<T, Binary>) f(n.lhs), f(n.rhs);
        else if constexpr (std::is_same_v<T, IfElse>) f(n.cond), f(n.then_branch), f(n.else_branch);
        else if constexpr (std::is_same_v<T, InSet>) {
          f(n.subject);
          for (auto x : n.elements) f(x);
        } else if constexpr (std::is_same_v<T, Call>) {
          for (auto x : n.args) f(x);
        } else if constexpr (std::is_same_v<T, Aggregate>) {
          f(n.list);
          if (n.filter != no_expr) f(n.filter);
          if (n.body != no_expr) f(n.body);
        }
      },
      e.node);
}

struct Text {
  std::string value;
  Span span;
  bool empty() const { return value.empty() && span.end == span.begin; }
};

// `effective from D until D` (both inclusive); either bound may be absent.
struct Effective {
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> until;
  Span span;
  bool always() const { return !from && !until; }
  bool contains(std::int64_t day) const { return (!from || day >= *from) && (!until || day <= *until); }
};

struct TypeRef {
  Ident name;
  bool optional = false;
  Span span;
};

struct Exception {
  ExprId condition = no_expr;
  Text cite;
  Effective effective;
  Span span;
};

struct RuleDecl {
  RuleKind kind{};
  Ident id;
  std::int64_t points = 0;  // bonus and penalty
  Span points_span;
  Text cite;
  Text label;
  Effective effective;
  ExprId as_of = no_expr;    // `as_of D`: the date the rule is judged on, when not the evaluation's
  ExprId applies = no_expr;  // `applies if C`
  std::vector<Exception> exceptions;
  ExprId body = no_expr;
  Span span;
};

struct DefAlt {
  ExprId value = no_expr;
  Effective effective;
  Span span;
};

enum class DefKind : std::uint8_t { def, param, rate, amount };

struct DefDecl {
  DefKind kind{};
  Ident name;
  std::optional<TypeRef> type;
  Text cite;
  Text label;
  std::vector<DefAlt> alts;
  Span span;
};

// `list of RECORD, length LO..HI`: the element record and the inclusive length bounds.
struct ListType {
  Ident record;
  ExprId min_length = no_expr, max_length = no_expr;
  Span span;
};

struct InputDecl {
  Ident name;
  TypeRef type;
  ExprId min = no_expr;  // inclusive bounds, constants
  ExprId max = no_expr;
  Text cite;
  Text label;
  Span span;
  std::optional<ListType> list;  // a list input (then `type` is empty)
};

// `record NAME { field: type … }`: the fields of a list's elements.
struct RecordDecl {
  Ident name;
  Text cite;
  Text label;
  std::vector<InputDecl> fields;
  Span span;
};

struct EnumValueDecl {
  Ident name;
  Text label;
};

struct EnumDecl {
  Ident name;
  Text label;
  std::vector<EnumValueDecl> values;
  Span span;
};

struct TableCell {
  enum class Kind : std::uint8_t { any, values, range } kind = Kind::any;
  std::vector<ExprId> values;       // Kind::values
  ExprId lo = no_expr, hi = no_expr;  // Kind::range, inclusive; no_expr = unbounded
  bool lo_open = false, hi_open = false;
  Span span;
};

struct TableColumn {
  Ident name;
  TypeRef type;
};

struct TableRow {
  std::vector<TableCell> keys;
  std::vector<ExprId> outputs;
  Text cite;
  Span span;
};

struct TableDecl {
  Ident name;
  Text cite;
  Text label;
  std::vector<ExprId> keys;
  std::vector<TableColumn> outputs;
  std::vector<TableRow> rows;
  Span span;
};

struct ParamDecl {
  Ident name;
  TypeRef type;
};

struct FunctionSig {
  Ident name;
  std::vector<ParamDecl> params;
  TypeRef result;
  Span span;
};

// `extension NAME { function f(a: date): int … }`: functions of a native library.
struct ExtensionDecl {
  Ident name;
  Text cite;
  Text label;
  std::vector<FunctionSig> functions;
  Span span;
};

struct IncludeDecl {
  Ident module;
  std::vector<Ident> except;
  Span span;
};

struct FrameDecl;

using Item = std::variant<InputDecl, EnumDecl, DefDecl, TableDecl, RuleDecl, IncludeDecl, ExtensionDecl, RecordDecl>;

struct FrameDecl {
  Ident name;
  Text cite;
  Text label;
  std::vector<Item> items;
  Span span;
};

struct VersionDecl {
  std::int64_t date = 0;
  Text note;
  Span span;
};

struct HeaderDecl {
  Text programme;
  std::optional<Text> extends;  // `extends "../2026"`: the directory of the inherited ruleset
  std::int64_t fiscal_year = 0;
  Text title;
  Text source;
  Ident as_of_input;
  std::vector<VersionDecl> versions;
  Span span;
};

// Tests: `applicant` fixtures and `test` cases.
struct FieldValue;
// One element of a list's value, `N * { … }` standing for N equal elements.
struct ElementValue {
  std::int64_t repeat = 1;
  std::vector<FieldValue> fields;
  Span span;
};

struct FieldValue {
  Ident field;
  ExprId value = no_expr;  // no_expr = null, unless `list`
  Span span;
  bool list = false;                  // a list's value: `[ … ]`
  std::vector<ElementValue> elements;
};

struct ApplicantDecl {
  Ident name;
  std::optional<Ident> base;
  std::vector<FieldValue> fields;
  Span span;
};

enum class ExpectKind : std::uint8_t {
  eligible, not_eligible, failed, bonus, penalty, amount, rate, score, bonus_points, penalty_points, error, value
};

struct Expectation {
  ExpectKind kind{};
  std::vector<Ident> ids;  // failed / bonus / penalty
  Ident name;             // error code, or the def for `value`
  ExprId value = no_expr;
  Span span;
};

struct TestDecl {
  Text name;
  std::vector<Ident> frames;  // the test runs once in each
  std::optional<std::int64_t> as_of;
  Span as_of_span;
  std::optional<Ident> base;
  std::vector<FieldValue> fields;
  std::vector<Expectation> expectations;
  Span span;
};

// `remove KIND NAME` inside an amendment.
struct RemoveDecl {
  Ident kind;  // requirement, exclusion, bonus, penalty, limit, input, def, param, table or enum
  Ident name;
  Span span;
};

// `amend module NAME { … }` / `amend frame NAME { … }`: changes to an inherited module or
// frame, applied before checking (dsl/amend.cpp).
struct AmendDecl {
  bool frame = false;
  Ident target;
  std::vector<Item> items;       // added or replacing declarations
  std::vector<bool> replaces;    // by item: `replace` (the inherited one goes) or a plain addition
  std::vector<RemoveDecl> removes;
  struct Entry { bool remove; std::uint32_t index; };  // source order, for the formatter
  std::vector<Entry> order;
  Span span;
};

struct Comment {
  Span span;
  bool own_line = false;  // nothing but whitespace before it on its line
};

struct ModuleFile {
  FileId file = 0;
  Ident module;  // `module NAME`, or the file's stem
  bool explicit_module = false;
  bool unparsed = false;  // refused whole (K0010): its declarations are unknown
  std::vector<Ident> imports;
  std::optional<HeaderDecl> header;
  std::vector<Item> items;
  std::vector<FrameDecl> frames;
  std::vector<ApplicantDecl> applicants;
  std::vector<TestDecl> tests;
  std::vector<AmendDecl> amends;
  std::vector<Text> removed_tests;  // `remove test "…"`
  std::vector<Comment> comments;
  // Top-level declarations in source order, for the formatter: (kind, index into its list).
  enum class TopKind : std::uint8_t { header, module, import, item, frame, applicant, test, amend, remove_test };
  struct TopEntry { TopKind kind; std::uint32_t index; Span span; };
  std::vector<TopEntry> order;
};

// What amendments removed, so later errors can say why a name is gone.
struct Removal {
  std::string kind;  // as written after `remove`, or the replaced declaration's kind
  Span at;           // the `remove` (or `replace`) that took it away
};

struct Ast {
  std::vector<Expr> exprs;
  std::vector<ModuleFile> files;
  std::map<std::string, Removal> removed;  // by name: inputs, definitions, rules, tables, enums

  ExprId add(Span span, ExprNode node) {
    exprs.push_back({span, std::move(node)});
    return static_cast<ExprId>(exprs.size() - 1);
  }
  const Expr& at(ExprId id) const { return exprs[id]; }
};

const Span& item_span(const Item& item);
// The keyword that declares `item` (requirement, input, def, rate, include, …) and its name
// ("" for include, rate and amount).
std::string item_kind(const Item& item);
std::string item_name(const Item& item);

}  // namespace kijun::dsl
