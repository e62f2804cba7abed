// Parses a source file: limits first, then the grammar into a parse tree, the builder into
// the AST, and on an error a resume point so that one mistake does not hide the rest.
#include "dsl/parser.hpp"

#include <charconv>
#include <filesystem>

#include "dsl/limits.hpp"
#include "dsl/parser_builder.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::dsl {

using namespace parse;

namespace {

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
    m.unparsed = true;
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
