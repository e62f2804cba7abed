// The builder's declarations: rules, definitions, inputs, enums, tables, frames, headers,
// amendments, applicants and tests, and the top-level items of a file.
#include <charconv>

#include "dsl/limits.hpp"
#include "dsl/parser_builder.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::dsl::parse {

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
    if (is<g::list_type>(*c)) {
      ListType list;
      list.span = span(*c);
      for (auto& part : c->children) {
        if (is<g::list_record>(*part)) list.record = ident(*part);
        if (is<g::length_interval>(*part)) {
          list.min_length = expr(*part->children[0]);
          list.max_length = expr(*part->children[1]);
        }
      }
      in.list = std::move(list);
    }
  }
  return in;
}

RecordDecl Builder::record_decl(const Node& n) {
  RecordDecl r;
  r.span = span(n);
  clauses(n, r.cite, r.label, nullptr);
  for (auto& c : n.children) {
    if (is<g::record_name>(*c)) r.name = ident(*c);
    if (is<g::record_field>(*c)) r.fields.push_back(input(*c));
  }
  return r;
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
  if (is<g::record_decl>(n)) return record_decl(n);
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
    FieldValue v{ident(*f->children[0]), no_expr, span(*f), false, {}};
    const Node& value = *f->children[1];
    if (is<g::string_lit>(value)) {
      auto t = string_text(value);
      v.value = ast_.add(t.span, TextLit{t.value});
    } else if (is<g::list_value>(value)) {
      v.list = true;
      for (auto& e : value.children) {
        ElementValue element{1, {}, span(*e)};
        for (auto& part : e->children) {
          if (is<g::element_repeat>(*part)) element.repeat = integer(part->string_view(), span(*part));
          else element.fields = record(*part);
        }
        v.elements.push_back(std::move(element));
      }
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

}  // namespace kijun::dsl::parse
