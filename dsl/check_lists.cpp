// Typing the operations over lists (docs/design/lists.md): the list, the element each binds,
// the filter and the body, and the fields read through the element.
#include <algorithm>
#include <set>

#include "dsl/checker_impl.hpp"

namespace kijun::dsl {

namespace {

const char* op_name(AggOp op) {
  static const char* names[] = {"count", "sum", "all", "any", "min", "max"};
  return names[static_cast<int>(op)];
}

}  // namespace

const Element* Checker::element_named(const std::string& name, const Context& ctx) const {
  for (auto it = ctx.elements.rbegin(); it != ctx.elements.rend(); ++it)
    if (it->name == name) return &*it;
  return nullptr;
}

// `m.field`: the field's declared type (optional where it is declared so); `m.def`: the
// definition's, applied to the element.
Type Checker::check_field(ExprId e, const Member& m, const Element& element, const Context& ctx) {
  const RecordInfo& record = p_.records[element.record];
  p_.refs[m.object] = {SymbolRef::Kind::element, element.record};
  for (std::uint32_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].name != m.member) continue;
    if (record.fields[i].type.kind == Kind::text) {
      // As a text input: an element's name, echoed in messages, never decided on.
      diags_.report(Diag::expected_type, m.member_span, {"a value a rule can decide on", "text (an identifier)"})
          .with_hint("`" + m.member + "` names the element in messages but cannot be read by rules");
      return {};
    }
    p_.refs[e] = {SymbolRef::Kind::field, element.record, i};
    return record.fields[i].type;
  }
  // `m.NAME` of a definition: applied to the element, when everything it reads is a field of
  // the record of the same name and type (docs/design/lists.md).
  if (auto ref = lookup(m.member, *ctx.scope, m.member_span, false); ref && ref->kind == SymbolRef::Kind::def) {
    Type type = def_type(ref->index, m.member_span);
    std::vector<std::uint32_t> reads;
    std::vector<bool> seen(p_.defs.size(), false);
    inputs_read(ref->index, reads, seen);
    for (auto input : reads) {
      const InputInfo& in = p_.inputs[input];
      const InputInfo* field = nullptr;
      for (auto& f : record.fields)
        if (f.name == in.name) field = &f;
      if (field && field->type == in.type) continue;
      std::string why = field ? "which a `" + record.name + "` has as " + type_name(p_, field->type) + ", not " + type_name(p_, in.type)
                              : "which a `" + record.name + "` has not";
      diags_.report(Diag::not_applicable, m.member_span, {m.member, record.name, in.name, why});
      return {};
    }
    p_.refs[e] = {SymbolRef::Kind::def, ref->index, element.record + 1u};
    return type;
  }
  std::vector<std::string> names;
  for (auto& f : record.fields) names.push_back(f.name);
  auto& d = diags_.report(Diag::unknown_field, m.member_span, {record.name, m.member});
  if (auto near = nearest(m.member, names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
  return {};
}

// count takes no body; sum, min and max a number (min and max also a date) and all and any
// a condition as their body; the filter is a condition. min and max of no element are
// absent, so their value is optional.
void Checker::inputs_read(std::uint32_t def, std::vector<std::uint32_t>& inputs, std::vector<bool>& seen_defs) {
  if (seen_defs[def]) return;
  seen_defs[def] = true;
  std::vector<ExprId> work;
  for (auto& alt : p_.defs[def].decl->alts) work.push_back(alt.value);
  while (!work.empty()) {
    ExprId x = work.back();
    work.pop_back();
    const SymbolRef& ref = p_.refs[x];
    if (ref.kind == SymbolRef::Kind::input && std::find(inputs.begin(), inputs.end(), ref.index) == inputs.end())
      inputs.push_back(ref.index);
    else if (ref.kind == SymbolRef::Kind::def && ref.extra == 0) inputs_read(ref.index, inputs, seen_defs);
    else if (ref.kind == SymbolRef::Kind::table_output)
      for (auto k : p_.tables[ref.index].decl->keys) work.push_back(k);
    for_each_child(p_.ast.at(x), [&](ExprId k) { work.push_back(k); });
  }
}

Type Checker::check_aggregate(ExprId e, const Aggregate& a, const Context& ctx) {
  Span at = p_.ast.at(e).span;
  list_operand_ = a.list;
  Type list = check(a.list, ctx);
  list_operand_ = no_expr;
  if (list.is_error()) return {};
  if (list.kind != Kind::list) {
    diags_.report(Diag::expected_type, p_.ast.at(a.list).span, {"a list", type_name(p_, list)});
    return {};
  }
  if (ctx.constant_only) {
    diags_.report(Diag::not_constant, at);
    return {};
  }
  if (!a.var.name.empty() && (element_named(a.var.name, ctx) || lookup(a.var.name, *ctx.scope, a.var.span, false)))
    diags_.report(Diag::duplicate_declaration, a.var.span, {a.var.name}).with_hint("name the element differently");
  Context inner = ctx;
  inner.elements.push_back({a.var.name, list.enum_id});
  if (a.filter != no_expr) check_bool(a.filter, inner);
  const char* name = op_name(a.op);
  if (a.op == AggOp::count) {
    if (a.body != no_expr) diags_.report(Diag::aggregate_form, p_.ast.at(a.body).span, {name, "counts elements: give a condition with `where`, not a value"});
    return Type::of(Kind::int_);
  }
  if (a.body == no_expr) {
    bool condition = a.op == AggOp::all || a.op == AggOp::any;
    diags_.report(Diag::aggregate_form, at, {name, condition ? "needs a condition: `" + std::string(name) + "(m in list: C)`"
                                                             : "needs a value: `" + std::string(name) + "(m in list: E)`"});
    return condition ? Type::of(Kind::bool_) : Type{};
  }
  if (a.op == AggOp::all || a.op == AggOp::any) {
    check_bool(a.body, inner);
    return Type::of(Kind::bool_);
  }
  Type body = require_present(*this, a.body, check(a.body, inner));
  if (body.is_error()) return {};
  bool ok = a.op == AggOp::sum ? is_numeric(body.kind) : is_numeric(body.kind) || body.kind == Kind::date;
  if (!ok) {
    diags_.report(Diag::expected_type, p_.ast.at(a.body).span,
                  {a.op == AggOp::sum ? "a number or an amount" : "a number, an amount or a date", type_name(p_, body)});
    return {};
  }
  return a.op == AggOp::sum ? body.required() : body.maybe();
}

// A list's value in a fixture: each element's fields are the record's, typed as the
// record declares them, every required one given (an element has no base to take it from),
// and as many elements as the list holds.
void Checker::check_list_value(const FieldValue& fv, std::uint32_t input) {
  const InputInfo& in = p_.inputs[input];
  if (in.type.kind != Kind::list) {
    diags_.report(Diag::fixture_value, fv.span, {fv.field.name, type_name(p_, in.type), "a list"});
    return;
  }
  if (!fv.list) {
    diags_.report(Diag::fixture_value, fv.value == no_expr ? fv.span : p_.ast.at(fv.value).span,
                  {fv.field.name, type_name(p_, in.type), fv.value == no_expr ? "null" : "a single value"})
        .with_hint("give its elements: `" + fv.field.name + ": [ { … }, 10 * { … } ]`");
    return;
  }
  const RecordInfo& record = p_.records[in.type.enum_id];
  std::vector<std::string> names;
  for (auto& f : record.fields) names.push_back(f.name);
  Scope empty;
  Context ctx{&empty, {}, true, {}};
  std::int64_t total = 0;
  for (auto& e : fv.elements) {
    total = e.repeat > in.max_length || total > in.max_length ? in.max_length + 1 : total + e.repeat;
    std::set<std::string> seen;
    for (auto& f : e.fields) {
      if (!seen.insert(f.field.name).second) diags_.report(Diag::duplicate_declaration, f.field.span, {f.field.name});
      auto field = std::find_if(record.fields.begin(), record.fields.end(), [&](const InputInfo& x) { return x.name == f.field.name; });
      if (field == record.fields.end()) {
        auto& d = diags_.report(Diag::unknown_field, f.field.span, {record.name, f.field.name});
        if (auto near = nearest(f.field.name, names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
        continue;
      }
      Type want = field->type;
      if (f.list) {
        diags_.report(Diag::fixture_value, f.span, {f.field.name, type_name(p_, want), "a list"});
        continue;
      }
      if (f.value == no_expr) {
        if (!want.optional) diags_.report(Diag::fixture_value, f.span, {f.field.name, type_name(p_, want), "null"});
        continue;
      }
      if (want.kind == Kind::text) {  // an element's name: any text
        check(f.value, ctx);
        continue;
      }
      Type got = check(f.value, ctx, want.required());
      if (got.is_error() || want.is_error()) continue;
      bool ok = fits(want.required(), got) || (want.kind == Kind::yen && got.kind == Kind::int_);
      if (!ok) diags_.report(Diag::fixture_value, p_.ast.at(f.value).span, {f.field.name, type_name(p_, want.required()), type_name(p_, got)});
    }
    for (auto& f : record.fields)
      if (!f.type.optional && f.type.kind != Kind::text && !seen.count(f.name))
        diags_.report(Diag::element_missing_field, e.span, {record.name, f.name});
  }
  if (total < in.min_length || total > in.max_length) {
    std::string holds = in.min_length == in.max_length ? std::to_string(in.max_length)
                                                       : std::to_string(in.min_length) + " to " + std::to_string(in.max_length);
    diags_.report(Diag::list_value_length, fv.span, {fv.field.name, total > in.max_length ? "more than " + std::to_string(in.max_length) : std::to_string(total), holds});
  }
}

}  // namespace kijun::dsl
