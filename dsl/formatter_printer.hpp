// The formatter's printer, shared by its two halves: formatter_expr.cpp lays out
// expressions and table cells, formatter.cpp declarations, comments and the file.
#pragma once

#include <string>

#include "dsl/ast.hpp"
#include "dsl/limits.hpp"
#include "dsl/support/source.hpp"

namespace kijun::dsl::fmt {

inline constexpr std::size_t max_width = 100;

// Binding strength of an expression's top operator, for minimal parentheses.
int precedence(const Expr& e);
const char* op_text(BinOp op);
// Canonical literals: 10_000, 0.5 or 50%, "escaped".
std::string grouped(std::int64_t v);
std::string decimal(std::int64_t num, std::int64_t den, bool percent);
std::string quoted(const std::string& s);

class Printer {
public:
  Printer(const Ast& ast, const SourceSet& src, const ModuleFile& m) : ast_(ast), src_(src), m_(m) {}
  std::string run();

  std::string expr(ExprId e, int min_prec = 0) const;
  std::string chain(const Chain& c) const;
  std::string cell(const TableCell& c) const;

private:
  std::string effective(const Effective& e) const;
  std::string type(const TypeRef& t) const { return t.name.name + (t.optional ? "?" : ""); }
  std::string clauses(const Text& cite, const Text& label) const;
  void line(int indent, const std::string& text) { out_ += std::string(indent * 2, ' ') + text + "\n"; }
  void comments_before(std::uint32_t offset, int indent);
  // End of the source line holding `offset`: a comment trailing a declaration stays with it.
  std::uint32_t line_end(std::uint32_t offset) const {
    const std::string& text = src_.file(m_.file).text;
    auto nl = text.find('\n', offset);
    return nl == std::string::npos ? static_cast<std::uint32_t>(text.size()) : static_cast<std::uint32_t>(nl);
  }
  void block_expr(int indent, const std::string& lead, ExprId e, const std::string& tail = "");
  void if_chain(int indent, const std::string& lead, ExprId e, const std::string& tail);
  bool one_line(const Item& it) const;
  void item(const Item& it, int indent);
  std::string field(const InputDecl& in);  // `name: type …` of an input or a record's field
  void record(const RecordDecl& r, int indent);
  // Where the comments printed before an item end: a record keeps those among its fields
  // for itself; any other item takes those up to the end of its last line.
  std::uint32_t comments_end(const Item& it) const;
  void rule(const RuleDecl& r, int indent);
  void def(const DefDecl& d, int indent);
  void table(const TableDecl& t, int indent);
  void frame(const FrameDecl& f);
  void header(const HeaderDecl& h);
  void amend(const AmendDecl& a);
  void fields(const std::vector<FieldValue>& fs, int indent);
  void applicant(const ApplicantDecl& a);
  void test(const TestDecl& t);

  const Ast& ast_;
  const SourceSet& src_;
  const ModuleFile& m_;
  std::string out_;
  std::size_t next_comment_ = 0;
};

}  // namespace kijun::dsl::fmt
