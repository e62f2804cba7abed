// The canonical layout of kijun sources. One clause per line, fixed indentation, minimal
// parentheses, canonical literals and aligned tables, so that two rulesets that mean the
// same differ only where their rules do. Comments are kept: each goes, on its own line,
// before the declaration it was written in or above.
#include "dsl/formatter.hpp"

#include <algorithm>

#include "dsl/formatter_printer.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::dsl {

namespace fmt {

std::string Printer::effective(const Effective& e) const {
  if (e.always()) return "";
  std::string s = " effective";
  if (e.from) s += " from " + format_date(*e.from);
  if (e.until) s += " until " + format_date(*e.until);
  return s;
}

std::string Printer::clauses(const Text& cite, const Text& label) const {
  std::string s;
  if (!cite.empty()) s += " cite " + quoted(cite.value);
  if (!label.empty()) s += " label " + quoted(label.value);
  return s;
}

void Printer::comments_before(std::uint32_t offset, int indent) {
  while (next_comment_ < m_.comments.size() && m_.comments[next_comment_].span.begin < offset) {
    const Span& span = m_.comments[next_comment_].span;
    auto text = src_.text(span);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
    line(indent, std::string(text));
    ++next_comment_;
    // A blank line after a comment in the source stays: it separates a section note
    // from the declaration below it.
    const std::string& all = src_.file(span.file).text;
    std::size_t next = all.find_first_not_of(" \t\r", span.end + 1);
    if (span.end < all.size() && next != std::string::npos && next < offset && all[next] == '\n') out_ += "\n";
  }
}

void Printer::rule(const RuleDecl& r, int indent) {
  std::string head = rule_kind_name(r.kind);
  if (r.kind == RuleKind::bonus || r.kind == RuleKind::penalty) head += " " + std::to_string(r.points);
  line(indent, head + " " + r.id.name);
  if (!r.cite.empty()) line(indent + 1, "cite " + quoted(r.cite.value));
  if (!r.label.empty()) line(indent + 1, "label " + quoted(r.label.value));
  if (!r.effective.always()) line(indent + 1, effective(r.effective).substr(1));
  if (r.as_of != no_expr) block_expr(indent + 1, "as_of ", r.as_of);
  if (r.applies != no_expr) block_expr(indent + 1, "applies if ", r.applies);
  for (auto& ex : r.exceptions) block_expr(indent + 1, "unless ", ex.condition, (ex.cite.empty() ? "" : " cite " + quoted(ex.cite.value)) + effective(ex.effective));
  block_expr(indent + 1, "= ", r.body);
}

void Printer::def(const DefDecl& d, int indent) {
  std::string head = d.kind == DefKind::def ? "def " + d.name.name : d.kind == DefKind::param ? "param " + d.name.name : d.name.name;
  if (d.type) head += ": " + type(*d.type);
  bool simple = d.alts.size() == 1 && d.alts[0].effective.always();
  std::string flat = head + clauses(d.cite, d.label) + " = " + (d.alts.empty() ? "" : expr(d.alts[0].value));
  if (simple && indent * 2 + flat.size() <= max_width) return line(indent, flat);
  line(indent, head);
  if (!d.cite.empty()) line(indent + 1, "cite " + quoted(d.cite.value));
  if (!d.label.empty()) line(indent + 1, "label " + quoted(d.label.value));
  for (auto& alt : d.alts) block_expr(indent + 1, "= ", alt.value, effective(alt.effective));
}

void Printer::table(const TableDecl& t, int indent) {
  line(indent, "table " + t.name.name + clauses(t.cite, t.label) + " {");
  // Render every cell first, then pad each column to its widest cell. Key cells and outputs
  // are kept apart, so a row with more or fewer cells than the header (an error the checker
  // reports) still prints as the row it is.
  struct Row {
    std::vector<std::string> keys, outputs;
  };
  std::vector<Row> rows(1);
  for (auto k : t.keys) rows[0].keys.push_back(expr(k));
  for (auto& o : t.outputs) rows[0].outputs.push_back(o.name.name + ": " + type(o.type));
  for (auto& r : t.rows) {
    Row row;
    for (auto& c : r.keys) row.keys.push_back(cell(c));
    for (auto o : r.outputs) row.outputs.push_back(expr(o));
    rows.push_back(std::move(row));
  }
  std::vector<std::uint32_t> key_width, output_width;
  auto widen = [](std::vector<std::uint32_t>& width, const std::vector<std::string>& cells) {
    if (width.size() < cells.size()) width.resize(cells.size(), 0);
    for (std::size_t c = 0; c < cells.size(); ++c) width[c] = std::max(width[c], display_width(cells[c]));
  };
  for (auto& r : rows) widen(key_width, r.keys), widen(output_width, r.outputs);
  auto cells = [](const std::vector<std::string>& row, const std::vector<std::uint32_t>& width, const char* after) {
    std::string s;
    for (std::size_t c = 0; c < row.size(); ++c)
      s += " " + row[c] + std::string(width[c] - display_width(row[c]), ' ') + " " + (c + 1 == row.size() ? after : "|");
    return s;
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::string s = "|" + cells(rows[i].keys, key_width, "||") + cells(rows[i].outputs, output_width, "|");
    if (i > 0 && !t.rows[i - 1].cite.empty()) s += " cite " + quoted(t.rows[i - 1].cite.value);
    line(indent + 1, s);
  }
  line(indent, "}");
}

bool Printer::one_line(const Item& it) const {
  if (std::holds_alternative<InputDecl>(it) || std::holds_alternative<IncludeDecl>(it)) return true;
  if (auto* d = std::get_if<DefDecl>(&it)) return d->alts.size() == 1 && d->alts[0].effective.always() && d->cite.empty() && d->label.empty();
  return false;
}

std::string Printer::field(const InputDecl& in) {
  std::string s = in.name.name + ": ";
  if (in.list) {
    s += "list of " + in.list->record.name + ", length " + expr(in.list->min_length, 8) + ".." + expr(in.list->max_length, 8);
  } else {
    s += type(in.type);
    if (in.min != no_expr && in.max != no_expr) s += " in " + expr(in.min, 8) + ".." + expr(in.max, 8);
    else if (in.min != no_expr) s += " >= " + expr(in.min, 8);
  }
  return s + clauses(in.cite, in.label);
}

std::uint32_t Printer::comments_end(const Item& it) const {
  if (auto* r = std::get_if<RecordDecl>(&it)) return r->span.begin;
  return line_end(item_span(it).end);
}

void Printer::record(const RecordDecl& r, int indent) {
  line(indent, "record " + r.name.name + clauses(r.cite, r.label) + " {");
  for (const auto& f : r.fields) {
    comments_before(line_end(f.span.end), indent + 1);
    line(indent + 1, field(f));
  }
  comments_before(r.span.end, indent + 1);
  line(indent, "}");
}

void Printer::item(const Item& it, int indent) {
  if (auto* in = std::get_if<InputDecl>(&it)) {
    line(indent, "input " + field(*in));
  } else if (auto* rec = std::get_if<RecordDecl>(&it)) {
    record(*rec, indent);
  } else if (auto* en = std::get_if<EnumDecl>(&it)) {
    line(indent, "enum " + en->name.name + (en->label.empty() ? "" : " label " + quoted(en->label.value)) + " {");
    std::uint32_t w = 0;
    for (auto& v : en->values) w = std::max(w, display_width(v.name.name));
    for (auto& v : en->values) {
      std::string s = v.name.name;
      if (!v.label.empty()) s += std::string(w - display_width(v.name.name) + 1, ' ') + quoted(v.label.value);
      line(indent + 1, s);
    }
    line(indent, "}");
  } else if (auto* d = std::get_if<DefDecl>(&it)) {
    def(*d, indent);
  } else if (auto* t = std::get_if<TableDecl>(&it)) {
    table(*t, indent);
  } else if (auto* r = std::get_if<RuleDecl>(&it)) {
    rule(*r, indent);
  } else if (auto* ext = std::get_if<ExtensionDecl>(&it)) {
    line(indent, "extension " + ext->name.name + clauses(ext->cite, ext->label) + " {");
    for (auto& fn : ext->functions) {
      std::string s = "function " + fn.name.name + "(";
      for (std::size_t i = 0; i < fn.params.size(); ++i) s += (i ? ", " : "") + fn.params[i].name.name + ": " + type(fn.params[i].type);
      line(indent + 1, s + "): " + type(fn.result));
    }
    line(indent, "}");
  } else if (auto* inc = std::get_if<IncludeDecl>(&it)) {
    std::string s = "include " + inc->module.name;
    for (std::size_t i = 0; i < inc->except.size(); ++i) s += (i ? ", " : " except ") + inc->except[i].name;
    line(indent, s);
  }
}

void Printer::frame(const FrameDecl& f) {
  line(0, "frame " + f.name.name + clauses(f.cite, f.label) + " {");
  for (std::size_t i = 0; i < f.items.size(); ++i) {
    if (i > 0 && !(one_line(f.items[i]) && one_line(f.items[i - 1]) && f.items[i].index() == f.items[i - 1].index())) out_ += "\n";
    comments_before(comments_end(f.items[i]), 1);
    item(f.items[i], 1);
  }
  comments_before(f.span.end, 1);
  line(0, "}");
}

void Printer::amend(const AmendDecl& a) {
  line(0, std::string("amend ") + (a.frame ? "frame " : "module ") + a.target.name + " {");
  auto simple = [&](const AmendDecl::Entry& e) { return e.remove || one_line(a.items[e.index]); };
  for (std::size_t i = 0; i < a.order.size(); ++i) {
    auto& e = a.order[i];
    if (i > 0 && !(simple(e) && simple(a.order[i - 1]) && e.remove == a.order[i - 1].remove)) out_ += "\n";
    Span at = e.remove ? a.removes[e.index].span : item_span(a.items[e.index]);
    comments_before(line_end(at.end), 1);
    if (e.remove) {
      auto& r = a.removes[e.index];
      line(1, "remove " + r.kind.name + " " + r.name.name);
    } else if (a.replaces[e.index]) {
      // The declaration printed as usual, after `replace ` on its first line.
      std::size_t start = out_.size();
      item(a.items[e.index], 1);
      out_.insert(start + 2, "replace ");
    } else {
      item(a.items[e.index], 1);
    }
  }
  comments_before(a.span.end, 1);
  line(0, "}");
}

void Printer::header(const HeaderDecl& h) {
  line(0, "ruleset " + quoted(h.programme.value) + (h.extends ? " extends " + quoted(h.extends->value) : "") + " {");
  if (h.fiscal_year) line(1, "fiscal_year " + std::to_string(h.fiscal_year));
  if (!h.title.empty()) line(1, "title " + quoted(h.title.value));
  if (!h.source.empty()) line(1, "source " + quoted(h.source.value));
  if (!h.as_of_input.name.empty()) line(1, "as_of " + h.as_of_input.name);
  for (auto& v : h.versions) line(1, "version " + format_date(v.date) + (v.note.empty() ? "" : " " + quoted(v.note.value)));
  line(0, "}");
}

void Printer::fields(const std::vector<FieldValue>& fs, int indent) {
  std::uint32_t w = 0;  // single values are aligned; a list's `[` follows its name
  for (auto& f : fs)
    if (!f.list) w = std::max(w, display_width(f.field.name));
  for (auto& f : fs) {
    if (!f.list) {
      line(indent, f.field.name + ":" + std::string(w - display_width(f.field.name) + 1, ' ') +
                       (f.value == no_expr ? "null" : expr(f.value)));
      continue;
    }
    std::string name = f.field.name + ": ";
    // A list's value: one element per block, `N *` before a repeated one.
    if (f.elements.empty()) {
      line(indent, name + "[]");
      continue;
    }
    line(indent, name + "[");
    for (auto& e : f.elements) {
      line(indent + 1, (e.repeat != 1 ? std::to_string(e.repeat) + " * " : std::string()) + "{");
      fields(e.fields, indent + 2);
      line(indent + 1, "}");
    }
    line(indent, "]");
  }
}

void Printer::applicant(const ApplicantDecl& a) {
  line(0, "applicant " + a.name.name + (a.base ? " from " + a.base->name : "") + " {");
  fields(a.fields, 1);
  line(0, "}");
}

void Printer::test(const TestDecl& t) {
  line(0, "test " + quoted(t.name.value) + " {");
  if (!t.frames.empty()) {
    std::string s = "frame ";
    for (std::size_t i = 0; i < t.frames.size(); ++i) s += (i ? ", " : "") + t.frames[i].name;
    line(1, s);
  }
  if (t.as_of) line(1, "as_of " + format_date(*t.as_of));
  if (t.base || !t.fields.empty()) {
    std::string head = "given " + (t.base ? t.base->name : std::string());
    if (t.fields.empty()) {
      line(1, head);
    } else {
      line(1, head + (t.base ? " {" : "{"));
      fields(t.fields, 2);
      line(1, "}");
    }
  }
  for (auto& x : t.expectations) {
    auto list = [&](const char* what) {
      std::string s = std::string("expect ") + what + " [";
      for (std::size_t i = 0; i < x.ids.size(); ++i) s += (i ? ", " : "") + x.ids[i].name;
      return s + "]";
    };
    switch (x.kind) {
      case ExpectKind::eligible: line(1, "expect eligible"); break;
      case ExpectKind::not_eligible: line(1, "expect not eligible"); break;
      case ExpectKind::failed: line(1, list("failed")); break;
      case ExpectKind::bonus: line(1, list("bonus")); break;
      case ExpectKind::penalty: line(1, list("penalty")); break;
      case ExpectKind::amount: line(1, "expect amount " + expr(x.value)); break;
      case ExpectKind::rate: line(1, "expect rate " + expr(x.value)); break;
      case ExpectKind::score: line(1, "expect score " + expr(x.value)); break;
      case ExpectKind::bonus_points: line(1, "expect bonus_points " + expr(x.value)); break;
      case ExpectKind::penalty_points: line(1, "expect penalty_points " + expr(x.value)); break;
      case ExpectKind::error: line(1, "expect error " + x.name.name); break;
      case ExpectKind::value: line(1, "expect " + x.name.name + " = " + expr(x.value)); break;
    }
  }
  line(0, "}");
}

std::string Printer::run() {
  using K = ModuleFile::TopKind;
  K previous{};
  bool previous_simple = false;
  for (std::size_t i = 0; i < m_.order.size(); ++i) {
    auto& entry = m_.order[i];
    bool simple = entry.kind == K::module || entry.kind == K::import || entry.kind == K::remove_test ||
                  (entry.kind == K::item && one_line(m_.items[entry.index]));
    bool same_group = i > 0 && simple && previous_simple &&
                      entry.kind == previous &&
                      (entry.kind != K::item || m_.items[entry.index].index() == m_.items[m_.order[i - 1].index].index());
    if (i > 0 && !same_group) out_ += "\n";
    comments_before(entry.kind == K::frame || entry.kind == K::amend ? entry.span.begin
                    : entry.kind == K::item                        ? comments_end(m_.items[entry.index])
                                                                   : line_end(entry.span.end),
                    0);
    switch (entry.kind) {
      case K::header: header(*m_.header); break;
      case K::module: line(0, "module " + m_.module.name); break;
      case K::import: line(0, "import " + m_.imports[entry.index].name); break;
      case K::item: item(m_.items[entry.index], 0); break;
      case K::frame: frame(m_.frames[entry.index]); break;
      case K::applicant: applicant(m_.applicants[entry.index]); break;
      case K::test: test(m_.tests[entry.index]); break;
      case K::amend: amend(m_.amends[entry.index]); break;
      case K::remove_test: line(0, "remove test " + quoted(m_.removed_tests[entry.index].value)); break;
    }
    previous = entry.kind;
    previous_simple = simple;
  }
  if (next_comment_ < m_.comments.size() && !out_.empty()) out_ += "\n";
  comments_before(UINT32_MAX, 0);
  return out_;
}

}  // namespace fmt

std::string format_module(const Ast& ast, const SourceSet& sources, const ModuleFile& module) {
  return fmt::Printer(ast, sources, module).run();
}

std::string format_expr(const Ast& ast, ExprId e) {
  static const SourceSet none;
  static const ModuleFile empty;
  return fmt::Printer(ast, none, empty).expr(e);
}

std::string format_cell(const Ast& ast, const TableCell& cell) {
  static const SourceSet none;
  static const ModuleFile empty;
  return fmt::Printer(ast, none, empty).cell(cell);
}

}  // namespace kijun::dsl
