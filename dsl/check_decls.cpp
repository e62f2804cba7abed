// Checks of declarations: definitions and parameters, rules, inputs, tables, frames,
// the dated versions of rules and definitions, and the header (the tests: check_tests.cpp).
#include <algorithm>
#include <set>

#include "dsl/checker_impl.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::dsl {

namespace {

const Scope& scope_of(const Program& p, std::uint32_t module, std::uint32_t frame) {
  return frame != no_index ? p.frames[frame].scope : p.modules[module].scope;
}

std::string count(std::size_t n, const char* noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

void lint_citation(Diagnostics& diags, const char* what, const Ident& id, const Text& cite, const Text& label) {
  if (cite.empty()) diags.report(Diag::missing_citation, id.span, {what, id.name}).with_hint("add `cite \"2-1-1(2)(ア)\"`");
  if (label.empty()) diags.report(Diag::missing_label, id.span, {what, id.name});
}


}  // namespace

bool fits(Type want, Type got) {
  if (got.optional && !want.optional) return false;
  if (want.kind == got.kind) return want.kind != Kind::enumeration || want.enum_id == got.enum_id;
  return want.kind == Kind::rate && got.kind == Kind::int_;
}

void Checker::check_def(std::uint32_t index) {
  auto& d = p_.defs[index];
  d.state = DefInfo::State::checking;
  def_stack_.push_back(index);
  Context ctx;
  ctx.scope = &scope_of(p_, d.module, d.frame);
  ctx.constant_only = d.kind == DefKind::param;
  std::optional<Type> declared;
  if (d.decl->type) declared = resolve_type(*d.decl->type);
  if (d.kind == DefKind::rate) declared = Type::of(Kind::rate);
  if (d.kind == DefKind::amount) declared = Type::of(Kind::yen);
  Type result;
  for (std::size_t i = 0; i < d.decl->alts.size(); ++i) {
    auto& alt = d.decl->alts[i];
    Type t = check(alt.value, ctx, declared);
    if (t.is_error()) continue;
    Span at = p_.ast.at(alt.value).span;
    if (declared && !declared->is_error() && !fits(*declared, t)) {
      if (declared->kind == Kind::yen && t.kind == Kind::yen_exact)
        diags_.report(Diag::unrounded_amount, at).with_hint("round it explicitly: `floor(" + std::string(src_.text(at)) + ")`");
      else if (t.optional && !declared->optional)
        diags_.report(Diag::unhandled_optional, at, {std::string(src_.text(at))}).with_hint("give a default with `?? …`");
      else
        diags_.report(Diag::declared_type, at, {d.name, type_name(p_, *declared), type_name(p_, t)});
      continue;
    }
    Type effective = declared && !declared->is_error() ? *declared : t;
    if (i > 0 && !result.is_error() && !(effective == result))
      diags_.report(Diag::declared_type, at, {d.name, type_name(p_, result), type_name(p_, effective)});
    if (i == 0 || result.is_error()) result = effective;
  }
  if (declared && !declared->is_error()) result = *declared;
  d.type = result;
  d.state = DefInfo::State::done;
  def_stack_.pop_back();
}

void Checker::check_rule(std::uint32_t index) {
  auto& info = p_.rules[index];
  const RuleDecl& r = *info.decl;
  Context ctx;
  ctx.scope = &scope_of(p_, info.module, info.frame);
  lint_citation(diags_, rule_kind_name(r.kind), r.id, r.cite, r.label);
  Context inner = ctx;
  if (r.applies != no_expr) {
    check_bool(r.applies, ctx);
    inner = with_facts(ctx, facts(r.applies, true));
  }
  Context body = inner;
  for (auto& ex : r.exceptions) {
    check_bool(ex.condition, inner);
    body = with_facts(body, facts(ex.condition, false));
  }
  if (r.body != no_expr) check_bool(r.body, body);
  if (r.as_of != no_expr) check_judged_rule(index, ctx);
}

std::optional<std::int64_t> Checker::constant_int(ExprId e, Type want) {
  const Expr& x = p_.ast.at(e);
  bool negate = false;
  const Expr* lit = &x;
  if (auto* u = std::get_if<Unary>(&x.node); u && u->op == UnOp::neg) {
    negate = true;
    lit = &p_.ast.at(u->operand);
  }
  std::optional<std::int64_t> v;
  Kind got = Kind::error;
  if (auto* i = std::get_if<IntLit>(&lit->node)) { v = i->value; got = Kind::int_; }
  if (auto* y = std::get_if<YenLit>(&lit->node)) { v = y->value; got = Kind::yen; }
  if (auto* d = std::get_if<DateLit>(&lit->node); d && !negate) { v = d->days; got = Kind::date; }
  if (!v) {
    diags_.report(Diag::not_constant, x.span);
    return std::nullopt;
  }
  if (got != want.kind) {
    auto& d = diags_.report(Diag::expected_type, x.span, {type_name(p_, want.required()), type_name(p_, Type::of(got))});
    if (want.kind == Kind::yen) d.with_hint("write an amount of money with its unit: `0 yen`");
    return std::nullopt;
  }
  return negate ? -*v : *v;
}

// The most elements a list may declare: evaluation and a batch's memory grow with it.
constexpr std::int64_t max_list_length = 1'000'000;

void Checker::check_input(std::uint32_t index) { check_input(p_.inputs[index], "input"); }

void Checker::check_list_length(InputInfo& in) {
  const ListType& l = *in.decl->list;
  auto lo = constant_int(l.min_length, Type::of(Kind::int_)), hi = constant_int(l.max_length, Type::of(Kind::int_));
  if (!lo || !hi) return;
  Span at = p_.ast.at(l.min_length).span;
  if (*lo < 0 || *lo > *hi) diags_.report(Diag::list_length, at, {in.name, "a range from 0 or more up to at least that"});
  else if (*hi < 1 || *hi > max_list_length)
    diags_.report(Diag::list_length, p_.ast.at(l.max_length).span, {in.name, "at most 1 to 1,000,000 elements"});
  else in.min_length = *lo, in.max_length = *hi;
}

void Checker::check_input(InputInfo& in, const char* what) {
  const InputDecl& d = *in.decl;
  if (d.label.empty()) diags_.report(Diag::missing_label, d.name.span, {what, d.name.name});
  if (d.list) return check_list_length(in);
  if (d.min == no_expr && d.max == no_expr) return;
  if (!in.type.is_error() && in.type.kind != Kind::int_ && in.type.kind != Kind::yen) {
    diags_.report(Diag::range_type, p_.ast.at(d.min).span, {d.name.name, "given only for int and yen inputs"});
    return;
  }
  if (in.type.is_error()) return;
  if (d.min != no_expr) in.min = constant_int(d.min, in.type.required());
  if (d.max != no_expr) in.max = constant_int(d.max, in.type.required());
  if (in.min && in.max && *in.min > *in.max)
    diags_.report(Diag::range_type, p_.ast.at(d.min).span, {d.name.name, "a range whose low end is not above its high end"});
}

void Checker::check_table(std::uint32_t index) {
  auto& t = p_.tables[index];
  const TableDecl& d = *t.decl;
  Context ctx;
  ctx.scope = &scope_of(p_, t.module, t.frame);
  for (auto k : d.keys) {
    Type kt = check(k, ctx);
    if (kt.optional) {
      auto text = std::string(src_.text(p_.ast.at(k).span));
      diags_.report(Diag::unhandled_optional, p_.ast.at(k).span, {text}).with_hint("key the table on `" + text + " ?? …`");
      kt = kt.required();
    }
    bool keyable = kt.kind == Kind::enumeration || kt.kind == Kind::bool_ || kt.kind == Kind::int_ || kt.kind == Kind::yen ||
                   kt.kind == Kind::date;
    if (!kt.is_error() && !keyable) diags_.report(Diag::table_key_type, p_.ast.at(k).span, {type_name(p_, kt)});
    t.key_types.push_back(keyable ? kt : Type{});
  }
  for (auto& o : d.outputs) t.output_types.push_back(resolve_type(o.type));
  Context constant = ctx;
  constant.constant_only = true;
  bool well_formed = true;
  for (auto& row : d.rows) {
    if (row.keys.size() != d.keys.size()) {
      diags_.report(Diag::table_row_width, row.span, {count(row.keys.size(), "key cell"), d.name.name, count(d.keys.size(), "key column")})
          .with_hint("write `-` for a key that does not matter in this row");
      well_formed = false;
      continue;
    }
    if (row.outputs.size() != d.outputs.size()) {
      diags_.report(Diag::table_row_width, row.span, {count(row.outputs.size(), "output"), d.name.name, count(d.outputs.size(), "output")});
      well_formed = false;
      continue;
    }
    for (std::size_t c = 0; c < row.keys.size(); ++c) {
      const TableCell& cell = row.keys[c];
      Type kt = t.key_types[c];
      if (kt.is_error()) continue;
      auto cell_type_error = [&](Span at) {
        diags_.report(Diag::table_cell_type, at, {std::string(src_.text(p_.ast.at(d.keys[c]).span)), type_name(p_, kt)});
        well_formed = false;
      };
      for (auto v : cell.values) {
        Type vt = check(v, constant, kt);
        if (!vt.is_error() && !fits(kt, vt)) cell_type_error(p_.ast.at(v).span);
        if (vt.is_error()) well_formed = false;
      }
      if (cell.kind == TableCell::Kind::range) {
        if (kt.kind != Kind::int_ && kt.kind != Kind::yen && kt.kind != Kind::date) {
          cell_type_error(cell.span);
          continue;
        }
        for (auto b : {cell.lo, cell.hi})
          if (b != no_expr && !constant_int(b, kt)) well_formed = false;
      }
    }
    for (std::size_t c = 0; c < row.outputs.size(); ++c) {
      Type want = t.output_types[c];
      Type got = check(row.outputs[c], constant, want);
      if (!want.is_error() && !got.is_error() && !fits(want, got))
        diags_.report(Diag::table_cell_type, p_.ast.at(row.outputs[c]).span, {d.outputs[c].name.name, type_name(p_, want)});
    }
  }
  if (well_formed) check_table_coverage(index);
}

void Checker::check_frame(std::uint32_t index) {
  auto& f = p_.frames[index];
  const FrameDecl& d = *f.decl;
  // rule id → (module or frame scope that supplied it, first rule)
  std::map<std::string, std::pair<std::uint32_t, std::uint32_t>> origin;
  auto take = [&](std::uint32_t rule, std::uint32_t scope_id) {
    auto& id = p_.rules[rule].decl->id;
    auto [it, inserted] = origin.emplace(id.name, std::make_pair(scope_id, rule));
    if (!inserted && it->second.first != scope_id) {
      auto& other = p_.rules[it->second.second];
      std::string from = p_.rules[rule].frame == no_index ? p_.modules[p_.rules[rule].module].name : "";
      auto& diag = diags_.report(Diag::duplicate_rule_in_frame, id.span, {id.name, f.name});
      diag.note(other.decl->id.span, "the other `" + id.name + "` comes from module `" + p_.modules[other.module].name + "`");
      if (!from.empty()) diag.with_hint("leave one out: `include " + from + " except " + id.name + "`");
      return;
    }
    f.rules.push_back(rule);
  };
  for (auto& it : d.items) {
    auto* inc = std::get_if<IncludeDecl>(&it);
    if (!inc) continue;
    auto m = module_by_name_.find(inc->module.name);
    if (m == module_by_name_.end()) {
      std::vector<std::string> names;
      for (auto& [n, i] : module_by_name_) names.push_back(n);
      auto& diag = diags_.report(Diag::unknown_module, inc->module.span, {inc->module.name});
      if (auto near = nearest(inc->module.name, names); !near.empty()) diag.with_hint("did you mean `" + near + "`?");
      continue;
    }
    f.scope.imports.push_back(m->second);
    std::set<std::string> left_out;
    for (auto& ex : inc->except) {
      bool known = std::any_of(p_.modules[m->second].rules.begin(), p_.modules[m->second].rules.end(),
                               [&](auto r) { return p_.rules[r].decl->id.name == ex.name; });
      if (!known) diags_.report(Diag::excepted_rule_unknown, ex.span, {ex.name, inc->module.name});
      left_out.insert(ex.name);
    }
    for (auto r : p_.modules[m->second].rules)
      if (!left_out.count(p_.rules[r].decl->id.name)) take(r, m->second);
  }
  for (std::uint32_t r = 0; r < p_.rules.size(); ++r)
    if (p_.rules[r].frame == index) take(r, static_cast<std::uint32_t>(p_.modules.size()) + index);
  if (f.amount == no_index) diags_.report(Diag::frame_without_amount, d.name.span, {f.name});
}

// What a frame's applicant must give: the inputs declared in the frame, and the module-level
// inputs its rules, rate and amount read, through definitions and tables (not those a
// definition applied to an element reads: they are the element's fields), and the as-of
// input. A module-level input no rule of the frame reads is not asked of its applicants,
// so inputs shared by some frames (the invoice tiers') can be declared once.
void Checker::frame_inputs(std::uint32_t index) {
  auto& f = p_.frames[index];
  std::vector<bool> read(p_.inputs.size(), false), seen_defs(p_.defs.size(), false), seen_tables(p_.tables.size(), false);
  std::vector<ExprId> work;
  auto def = [&](std::uint32_t d) {
    if (d == no_index || seen_defs[d]) return;
    seen_defs[d] = true;
    for (auto& alt : p_.defs[d].decl->alts) work.push_back(alt.value);
  };
  for (auto r : f.rules) {
    const RuleDecl& d = *p_.rules[r].decl;
    for (ExprId e : {d.applies, d.body, d.as_of})
      if (e != no_expr) work.push_back(e);
    for (auto& ex : d.exceptions) work.push_back(ex.condition);
  }
  def(f.rate), def(f.amount);
  while (!work.empty()) {
    ExprId x = work.back();
    work.pop_back();
    const SymbolRef& ref = p_.refs[x];
    if (ref.kind == SymbolRef::Kind::input) read[ref.index] = true;
    else if (ref.kind == SymbolRef::Kind::def && ref.extra == 0) def(ref.index);
    else if (ref.kind == SymbolRef::Kind::table_output && !seen_tables[ref.index]) {
      seen_tables[ref.index] = true;
      for (auto k : p_.tables[ref.index].decl->keys) work.push_back(k);
    }
    for_each_child(p_.ast.at(x), [&](ExprId k) { work.push_back(k); });
  }
  if (p_.header && !p_.header->as_of_input.name.empty())
    if (auto i = p_.input_index(p_.header->as_of_input.name); i != no_index) read[i] = true;
  f.inputs.clear();
  for (std::uint32_t i = 0; i < p_.inputs.size(); ++i)
    if (p_.inputs[i].frame == index || (p_.inputs[i].frame == no_index && read[i])) f.inputs.push_back(i);
}

void Checker::check_versions() {
  std::set<std::int64_t> declared;
  if (p_.header)
    for (auto& v : p_.header->versions) declared.insert(v.date);
  auto check_dates = [&](const Effective& e) {
    if (declared.empty() || e.always() || (e.from && e.until && *e.from > *e.until)) return;
    if (e.from && !declared.count(*e.from))
      diags_.report(Diag::undeclared_version, e.span, {format_date(*e.from)}).with_hint("add `version " + format_date(*e.from) + "` to the ruleset header");
    if (e.until && !declared.count(*e.until + 1))
      diags_.report(Diag::undeclared_version, e.span, {format_date(*e.until + 1)})
          .with_hint("`until` names the last day in force; the next version should start the day after");
  };
  auto overlap = [](const Effective& a, const Effective& b) -> std::optional<std::int64_t> {
    std::int64_t lo = std::max(a.from.value_or(INT64_MIN), b.from.value_or(INT64_MIN));
    std::int64_t hi = std::min(a.until.value_or(INT64_MAX), b.until.value_or(INT64_MAX));
    if (lo > hi) return std::nullopt;
    return lo;
  };
  // Rules: versions of one id declared in one scope must not overlap.
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::string>, std::vector<std::uint32_t>> groups;
  for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
    auto& info = p_.rules[r];
    groups[{info.module, info.frame, info.decl->id.name}].push_back(r);
    check_dates(info.decl->effective);
    for (auto& ex : info.decl->exceptions) check_dates(ex.effective);
  }
  for (auto& [key, members] : groups) {
    check_judged_versions(members);
    for (std::size_t i = 0; i < members.size(); ++i)
      for (std::size_t j = 0; j < i; ++j) {
        auto& a = *p_.rules[members[j]].decl;
        auto& b = *p_.rules[members[i]].decl;
        if (auto day = overlap(a.effective, b.effective))
          diags_.report(Diag::overlapping_versions, b.id.span, {b.id.name, *day == INT64_MIN ? "every date" : format_date(*day)})
              .note(a.id.span, "the other version is declared here")
              .with_hint("give each version an `effective from … until …` period of its own");
      }
  }
  // Definitions: alternatives must not overlap, and must leave no gap between them.
  for (auto& d : p_.defs) {
    auto& alts = d.decl->alts;
    for (auto& a : alts) check_dates(a.effective);
    for (std::size_t i = 0; i < alts.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (auto day = overlap(alts[j].effective, alts[i].effective))
          diags_.report(Diag::overlapping_versions, alts[i].span, {d.name, *day == INT64_MIN ? "every date" : format_date(*day)});
    std::vector<const Effective*> sorted;
    for (auto& a : alts) sorted.push_back(&a.effective);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->from.value_or(INT64_MIN) < b->from.value_or(INT64_MIN); });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      auto prev_end = sorted[i - 1]->until;
      auto next = sorted[i]->from;
      if (prev_end && next && *next > *prev_end + 1)
        diags_.report(Diag::version_gap, sorted[i]->span, {d.name, format_date(*prev_end + 1), format_date(*next - 1)});
    }
  }
}

void Checker::check_header() {
  if (!p_.header) {
    // A file too deeply nested to parse (K0010) may hold the header: say nothing more.
    for (auto& f : p_.ast.files)
      if (f.unparsed) return;
    diags_.report(Diag::missing_header, {static_cast<FileId>(src_.size()), 0, 0})
        .with_hint("add a file ruleset.kj with `ruleset \"name\" { fiscal_year … version YYYY-MM-DD }`");
    return;
  }
  auto& versions = p_.header->versions;
  for (std::size_t i = 1; i < versions.size(); ++i)
    if (versions[i].date <= versions[i - 1].date)
      diags_.report(Diag::versions_order, versions[i].span, {format_date(versions[i].date), format_date(versions[i - 1].date)});
  if (versions.empty()) diags_.report(Diag::syntax_expected, p_.header->span, {"at least one `version YYYY-MM-DD` in the header"});
  auto& as_of = p_.header->as_of_input;
  if (!as_of.name.empty()) {
    auto it = globals_.find(as_of.name);
    if (it == globals_.end()) {
      diags_.report(Diag::unknown_name, as_of.span, {as_of.name});
    } else if (!(p_.inputs[it->second.index].type == Type::of(Kind::date))) {
      diags_.report(Diag::expected_type, as_of.span, {"a required date input", type_name(p_, p_.inputs[it->second.index].type)});
    }
  }
}

void Checker::run() {
  declare_modules();
  check_header();
  p_.types.assign(p_.ast.exprs.size(), Type{});
  p_.refs.assign(p_.ast.exprs.size(), SymbolRef{});
  for (std::uint32_t i = 0; i < p_.inputs.size(); ++i) check_input(i);
  for (auto& r : p_.records)
    for (auto& field : r.fields) check_input(field, "field");
  for (std::uint32_t f = 0; f < p_.frames.size(); ++f) check_frame(f);
  for (std::uint32_t i = 0; i < p_.tables.size(); ++i) check_table(i);
  for (std::uint32_t i = 0; i < p_.defs.size(); ++i)
    if (p_.defs[i].state == DefInfo::State::unchecked) check_def(i);
  // A ruleset too deep to evaluate is refused here: later passes would recurse on it.
  if (too_deep_ || !check_evaluation_depth(false)) return;
  for (std::uint32_t i = 0; i < p_.rules.size(); ++i) check_rule(i);
  if (too_deep_ || !check_evaluation_depth(true)) return;
  for (std::uint32_t f = 0; f < p_.frames.size(); ++f) frame_inputs(f);
  check_versions();
  check_tests();
}

bool check_program(Program& program, const SourceSet& sources, Diagnostics& diags) {
  Diagnostics local;
  Checker c(program, sources, local);
  c.run();
  bool ok = !local.has_errors();
  diags.append(local);
  return ok;
}

std::uint32_t Program::frame_index(const std::string& name) const {
  for (std::uint32_t i = 0; i < frames.size(); ++i)
    if (frames[i].name == name) return i;
  return no_index;
}

std::uint32_t Program::input_index(const std::string& name) const {
  for (std::uint32_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].name == name) return i;
  return no_index;
}

}  // namespace kijun::dsl
