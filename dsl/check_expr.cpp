// Expression typing. Units are kept apart (yen, rate, int), exact yen fractions must be
// rounded explicitly, and an optional value is usable only where it is known present:
// after `present(x) and …`, in `if present(x) then …`, in the body of a rule whose
// `applies if` says so, or through `x ?? default`.
#include <algorithm>

#include "dsl/builtins.hpp"
#include "dsl/checker_impl.hpp"
#include "dsl/limits.hpp"

namespace kijun::dsl {

namespace {

const char* op_verb(BinOp op) {
  switch (op) {
    case BinOp::add: return "add";
    case BinOp::sub: return "subtract";
    case BinOp::mul: return "multiply";
    case BinOp::div: return "divide";
    default: return "combine";
  }
}

bool is_zero_literal(const Expr& e) {
  if (auto* i = std::get_if<IntLit>(&e.node)) return i->value == 0;
  if (auto* y = std::get_if<YenLit>(&e.node)) return y->value == 0;
  if (auto* r = std::get_if<RateLit>(&e.node)) return r->num == 0;
  return false;
}

std::string builtin_list() {
  std::string out;
  auto all = builtins();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i) out += ", ";
    out += all[i].name;
  }
  return out;
}

}  // namespace

// A chain of sums (`a + b + …`, dsl/limits.hpp) is checked in a loop from its innermost
// link outwards; each link then finds its left operand already checked (checked_lhs_)
// rather than recursing into it, so a chain of any length needs no stack. The links share
// one context, as a recursive check would give them.
// Checking a definition's use checks the definition, so the checker nests as deep as
// evaluation would: past max_evaluation_depth it stops with K0012 instead.
Type Checker::check(ExprId e, const Context& ctx, std::optional<Type> expect) {
  if (e == checked_lhs_) {
    checked_lhs_ = no_expr;
    return p_.types[e];
  }
  if (depth_ >= max_evaluation_depth) {
    if (!too_deep_) {
      std::string name = def_stack_.empty() ? std::string("this expression") : p_.defs[def_stack_.front()].name;
      diags_.report(Diag::reading_too_deep, p_.ast.at(e).span,
                    {name, "more than " + std::to_string(max_evaluation_depth), std::to_string(max_evaluation_depth)})
          .with_hint("definitions that read definitions nest; read fewer levels, or combine parts in one expression");
    }
    too_deep_ = true;
    return p_.types[e] = Type{};
  }
  ++depth_;
  Chain chain = chain_of(p_.ast, e);
  if (chain.links.size() < 2) {
    p_.types[e] = check_node(e, ctx, expect);
    // A list is read only through a list operation (its `list` operand).
    if (p_.types[e].kind == Kind::list && e != list_operand_) {
      auto text = std::string(src_.text(p_.ast.at(e).span));
      diags_.report(Diag::list_as_value, p_.ast.at(e).span, {text})
          .with_hint("read it through count, sum, all, any, min or max: `count(" + text + ")`");
      p_.types[e] = Type{};
    }
  } else {
    for (ExprId link : chain.links) {
      p_.types[link] = check_node(link, ctx, std::nullopt);
      checked_lhs_ = link;
    }
    checked_lhs_ = no_expr;
  }
  --depth_;
  return p_.types[e];
}

// A value that must be present: reports a use of an unchecked optional.
Type require_present(Checker& c, ExprId e, Type t) {
  if (!t.optional) return t;
  auto text = std::string(c.src_.text(c.p_.ast.at(e).span));
  c.diags_.report(Diag::unhandled_optional, c.p_.ast.at(e).span, {text})
      .with_hint("give a default with `" + text + " ?? …`, or test `present(" + text + ")` first");
  return t.required();
}

Type Checker::check_bool(ExprId e, const Context& ctx) {
  Type t = require_present(*this, e, check(e, ctx));
  if (!t.is_error() && t.kind != Kind::bool_)
    diags_.report(Diag::expected_type, p_.ast.at(e).span, {"a condition (bool)", type_name(p_, t)});
  return Type::of(Kind::bool_);
}

Facts Checker::facts(ExprId e, bool polarity) const {
  const Expr& x = p_.ast.at(e);
  if (auto* c = std::get_if<Call>(&x.node)) {
    if (polarity && c->callee == "present" && c->args.size() == 1) {
      auto& ref = p_.refs[c->args[0]];
      if (ref.kind == SymbolRef::Kind::input || ref.kind == SymbolRef::Kind::def) return {ref};
    }
    return {};
  }
  if (auto* u = std::get_if<Unary>(&x.node)) return u->op == UnOp::not_ ? facts(u->operand, !polarity) : Facts{};
  if (auto* b = std::get_if<Binary>(&x.node)) {
    if ((b->op == BinOp::and_ && polarity) || (b->op == BinOp::or_ && !polarity)) {
      Facts out = facts(b->lhs, polarity);
      Facts more = facts(b->rhs, polarity);
      out.insert(out.end(), more.begin(), more.end());
      return out;
    }
  }
  return {};
}

Type Checker::symbol_type(const SymbolRef& ref, Span use) {
  switch (ref.kind) {
    case SymbolRef::Kind::input: return p_.inputs[ref.index].type;
    case SymbolRef::Kind::def: return def_type(ref.index, use);
    case SymbolRef::Kind::table_output: return p_.tables[ref.index].output_types.size() > ref.extra
                                                   ? p_.tables[ref.index].output_types[ref.extra]
                                                   : Type{};
    case SymbolRef::Kind::enum_value: return Type::enumeration(static_cast<std::uint16_t>(ref.index));
    default: return {};
  }
}

Type Checker::def_type(std::uint32_t def, Span use) {
  auto& d = p_.defs[def];
  if (d.state == DefInfo::State::done) return d.type;
  if (d.state == DefInfo::State::checking) {
    auto& diag = diags_.report(Diag::definition_cycle, use, {d.name});
    for (auto it = std::find(def_stack_.begin(), def_stack_.end(), def); it != def_stack_.end(); ++it)
      diag.note(p_.defs[*it].decl->name.span, "`" + p_.defs[*it].name + "` is part of the cycle");
    diag.with_hint("a definition cannot depend on itself; kijun has no recursion");
    return {};
  }
  check_def(def);
  return p_.defs[def].type;
}

Type Checker::check_name(ExprId e, const NameRef& n, const Context& ctx, std::optional<Type> expect) {
  Span at = p_.ast.at(e).span;
  if (element_named(n.name, ctx)) {
    diags_.report(Diag::not_a_value, at, {n.name, "list element"}).with_hint("read one of its fields: `" + n.name + ".FIELD`");
    return {};
  }
  if (expect && expect->kind == Kind::enumeration) {
    if (auto v = enum_value(expect->enum_id, n.name)) {
      p_.refs[e] = {SymbolRef::Kind::enum_value, expect->enum_id, *v};
      return Type::enumeration(expect->enum_id);
    }
  }
  auto ref = lookup(n.name, *ctx.scope, at, false);
  if (!ref) {
    if (expect && expect->kind == Kind::enumeration) {
      auto& en = p_.enums[expect->enum_id];
      auto& d = diags_.report(Diag::unknown_enum_value, at, {n.name, en.name});
      if (auto near = nearest(n.name, en.values); !near.empty()) d.with_hint("did you mean `" + near + "`?");
      if (en.decl) d.note(en.decl->name.span, "`" + en.name + "` is declared here");
      return {};
    }
    for (auto& en : p_.enums) {
      if (std::find(en.values.begin(), en.values.end(), n.name) != en.values.end()) {
        diags_.report(Diag::enum_value_needs_type, at, {n.name})
            .with_hint("compare it with a value of that enum, e.g. `" + en.name + "_input == " + n.name + "`");
        return {};
      }
    }
    lookup(n.name, *ctx.scope, at, true);
    return {};
  }
  if (ref->kind == SymbolRef::Kind::module || ref->kind == SymbolRef::Kind::table) {
    diags_.report(Diag::not_a_value, at, {n.name, ref->kind == SymbolRef::Kind::module ? "module" : "table"})
        .with_hint(ref->kind == SymbolRef::Kind::table ? "name one of its outputs: `" + n.name + ".output`" : "");
    return {};
  }
  if (ctx.constant_only) {
    diags_.report(Diag::not_constant, at).with_hint(std::string("`") + n.name + "` is not known until an applicant is evaluated");
    return {};
  }
  p_.refs[e] = *ref;
  Type t = symbol_type(*ref, at);
  if (t.kind == Kind::text) {
    // Text inputs are identifiers echoed in the output; no rule may decide on them.
    diags_.report(Diag::expected_type, at, {"a value a rule can decide on", "text (an identifier)"})
        .with_hint("`" + n.name + "` is echoed in the output but cannot be read by rules");
    return {};
  }
  if (t.optional && std::any_of(ctx.present.begin(), ctx.present.end(), [&](auto& f) { return same_symbol(f, *ref); })) {
    t.optional = false;
    p_.refs[e].narrowed = true;
  }
  return t;
}

Type Checker::check_member(ExprId e, const Member& m, const Context& ctx) {
  Span at = p_.ast.at(e).span;
  const Expr& object = p_.ast.at(m.object);
  auto* name = std::get_if<NameRef>(&object.node);
  if (name)
    if (const Element* element = element_named(name->name, ctx)) return check_field(e, m, *element, ctx);
  std::optional<SymbolRef> base;
  if (name) base = lookup(name->name, *ctx.scope, object.span, true);
  if (!base) return {};
  p_.refs[m.object] = *base;
  if (base->kind == SymbolRef::Kind::module) {
    auto& own = p_.modules[base->index].scope.own;
    auto it = own.find(m.member);
    if (it == own.end()) {
      std::vector<std::string> names;
      for (auto& [n, r] : own) names.push_back(n);
      auto& d = diags_.report(Diag::unknown_member, m.member_span, {name->name, m.member});
      if (auto near = nearest(m.member, names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
      return {};
    }
    if (ctx.constant_only) {
      diags_.report(Diag::not_constant, at);
      return {};
    }
    p_.refs[e] = it->second;
    return symbol_type(it->second, at);
  }
  if (base->kind == SymbolRef::Kind::table) {
    auto& table = p_.tables[base->index];
    auto& cols = table.decl->outputs;
    for (std::uint32_t i = 0; i < cols.size(); ++i) {
      if (cols[i].name.name != m.member) continue;
      if (ctx.constant_only) {
        diags_.report(Diag::not_constant, at);
        return {};
      }
      p_.refs[e] = {SymbolRef::Kind::table_output, base->index, i};
      return symbol_type(p_.refs[e], at);
    }
    std::vector<std::string> names;
    for (auto& c : cols) names.push_back(c.name.name);
    auto& d = diags_.report(Diag::unknown_member, m.member_span, {name->name, m.member});
    if (auto near = nearest(m.member, names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
    return {};
  }
  diags_.report(Diag::unknown_member, m.member_span, {name ? name->name : "value", m.member});
  return {};
}

Type Checker::check_arith(const Binary& b, Type l, Type r, Span at) {
  if (l.is_error() || r.is_error()) return {};
  Kind a = l.kind, c = r.kind;
  auto fail = [&](std::string hint) {
    auto& d = diags_.report(Diag::bad_operands, at, {op_verb(b.op), type_name(p_, l), type_name(p_, r)});
    if (!hint.empty()) d.with_hint(std::move(hint));
    return Type{};
  };
  switch (b.op) {
    case BinOp::add:
    case BinOp::sub:
      if (a == Kind::date && c == Kind::duration) return Type::of(Kind::date);
      if (b.op == BinOp::add && a == Kind::duration && c == Kind::date) return Type::of(Kind::date);
      if (b.op == BinOp::sub && a == Kind::date && c == Kind::date) return Type::of(Kind::int_);
      if (is_numeric(a) && is_numeric(c) && common_kind(a, c) != Kind::error) return Type::of(common_kind(a, c));
      if ((is_money(a) && c == Kind::int_) || (a == Kind::int_ && is_money(c)))
        return fail("write an amount of money with its unit: `50_000 yen`");
      if ((is_money(a) && c == Kind::rate) || (a == Kind::rate && is_money(c)))
        return fail("to apply a rate to an amount, multiply: `cost * 1/2`");
      return fail("");
    case BinOp::mul:
      if (is_ratio(a) && is_ratio(c)) return Type::of(a == Kind::int_ && c == Kind::int_ ? Kind::int_ : Kind::rate);
      if ((a == Kind::yen && c == Kind::int_) || (a == Kind::int_ && c == Kind::yen)) return Type::of(Kind::yen);
      if ((is_money(a) && is_ratio(c)) || (is_ratio(a) && is_money(c))) return Type::of(Kind::yen_exact);
      if (is_money(a) && is_money(c)) return fail("multiplying money by money has no meaning; one side should be a rate or a count");
      return fail("");
    case BinOp::div:
      if (is_ratio(a) && is_ratio(c)) return Type::of(Kind::rate);
      if (is_money(a) && is_money(c)) return Type::of(Kind::rate);
      if (is_money(a) && is_ratio(c)) return Type::of(Kind::yen_exact);
      return fail("");
    default: return {};
  }
}

Type Checker::check_compare(ExprId e, const Binary& b, const Context& ctx) {
  Type l = require_present(*this, b.lhs, check(b.lhs, ctx));
  std::optional<Type> hint_type;
  if (l.kind == Kind::enumeration) hint_type = l;
  Type r = require_present(*this, b.rhs, check(b.rhs, ctx, hint_type));
  if (l.kind != Kind::enumeration && r.kind == Kind::enumeration) {
    // `retail == industry`: the left side is the enum value.
    if (std::holds_alternative<NameRef>(p_.ast.at(b.lhs).node) && l.is_error()) return Type::of(Kind::bool_);
  }
  if (l.is_error() || r.is_error()) return Type::of(Kind::bool_);
  bool ordered = b.op == BinOp::lt || b.op == BinOp::le || b.op == BinOp::gt || b.op == BinOp::ge;
  bool ok = false;
  if (is_numeric(l.kind) && is_numeric(r.kind)) ok = common_kind(l.kind, r.kind) != Kind::error;
  else if (l.kind == r.kind && l.kind == Kind::date) ok = true;
  else if (!ordered && l.kind == r.kind && l.kind != Kind::duration) ok = l.kind != Kind::enumeration || l.enum_id == r.enum_id;
  if (!ok) {
    auto& d = diags_.report(Diag::incomparable, p_.ast.at(e).span, {type_name(p_, l), type_name(p_, r)});
    if ((is_money(l.kind) && r.kind == Kind::int_) || (l.kind == Kind::int_ && is_money(r.kind)))
      d.with_hint("write an amount of money with its unit: `50_000 yen`");
    else if (ordered && (l.kind == Kind::bool_ || l.kind == Kind::enumeration || l.kind == Kind::text))
      d.with_hint(type_name(p_, l) + " values have no order; use `==`, `!=` or `in { … }`");
  }
  return Type::of(Kind::bool_);
}

Type Checker::check_in(ExprId e, const InSet& in, const Context& ctx) {
  Type subject = require_present(*this, in.subject, check(in.subject, ctx));
  for (auto el : in.elements) {
    Type t = require_present(*this, el, check(el, ctx, subject));
    if (subject.is_error() || t.is_error()) continue;
    bool ok = subject.kind == Kind::enumeration ? t.kind == Kind::enumeration && t.enum_id == subject.enum_id
              : is_numeric(subject.kind)        ? is_numeric(t.kind) && common_kind(subject.kind, t.kind) != Kind::error
                                                : subject.kind == t.kind;
    if (!ok) diags_.report(Diag::incomparable, p_.ast.at(el).span, {type_name(p_, subject), type_name(p_, t)});
  }
  (void)e;
  return Type::of(Kind::bool_);
}

// A builtin's arguments are counted against its catalog line (dsl/builtins.def), then typed.
Type Checker::check_call(ExprId e, const Call& c, const Context& ctx) {
  Span at = p_.ast.at(e).span;
  if (auto b = find_builtin(c.callee)) {
    const BuiltinInfo& info = builtin_info(*b);
    if (c.args.size() < info.fewest || c.args.size() > info.most) {
      diags_.report(Diag::argument_count, at, {c.callee, std::string(info.takes), std::to_string(c.args.size())});
      // What the call gives does not depend on its arguments for these: typing goes on.
      if (*b == Builtin::present) return Type::of(Kind::bool_);
      if (*b == Builtin::as_of) return Type::of(Kind::date);
      if (*b == Builtin::frame) return Type::enumeration(frame_enum_);
      return {};
    }
    return check_builtin(*b, c, ctx);
  }
  if (auto ref = lookup(c.callee, *ctx.scope, c.callee_span, false)) {
    if (ref->kind != SymbolRef::Kind::function) {
      static const char* what[] = {"nothing", "an input", "a definition", "a table", "a module", "an enum value", "a table output", "a function"};
      diags_.report(Diag::not_a_function, c.callee_span, {c.callee, what[static_cast<int>(ref->kind)]});
      for (auto a : c.args) check(a, ctx);
      return {};
    }
    const auto& fn = p_.functions[ref->index];
    p_.refs[e] = *ref;
    if (c.args.size() != fn.params.size()) {
      auto n = fn.params.size();
      diags_.report(Diag::argument_count, at, {c.callee, std::to_string(n) + (n == 1 ? " argument" : " arguments"),
                                               std::to_string(c.args.size())});
      for (auto a : c.args) check(a, ctx);
      return fn.result;
    }
    for (std::size_t i = 0; i < c.args.size(); ++i) {
      Type t = require_present(*this, c.args[i], check(c.args[i], ctx));
      if (!t.is_error() && !fn.params[i].is_error() && !(t == fn.params[i]))
        diags_.report(Diag::expected_type, p_.ast.at(c.args[i]).span, {type_name(p_, fn.params[i]), type_name(p_, t)});
    }
    if (ctx.constant_only) diags_.report(Diag::not_constant, at);
    return fn.result;
  }
  std::vector<std::string> names;
  for (const auto& b : builtins()) names.emplace_back(b.name);
  for (auto& fn : p_.functions) names.push_back(fn.sig->name.name);
  auto& d = diags_.report(Diag::unknown_function, c.callee_span, {c.callee});
  if (auto near = nearest(c.callee, names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
  else d.with_hint("the functions are " + builtin_list() + " and those of declared extensions");
  for (auto a : c.args) check(a, ctx);
  return {};
}

Type Checker::check_if(const IfElse& i, const Context& ctx) {
  check_bool(i.cond, ctx);
  Type a = check(i.then_branch, with_facts(ctx, facts(i.cond, true)));
  std::optional<Type> hint;
  if (a.kind == Kind::enumeration) hint = a.required();
  Type b = check(i.else_branch, with_facts(ctx, facts(i.cond, false)), hint);
  if (a.is_error() || b.is_error()) return {};
  bool optional = a.optional || b.optional;
  if (a.kind == b.kind && (a.kind != Kind::enumeration || a.enum_id == b.enum_id)) return optional ? a.maybe() : a.required();
  if (is_numeric(a.kind) && is_numeric(b.kind) && common_kind(a.kind, b.kind) != Kind::error) {
    Type t = Type::of(common_kind(a.kind, b.kind));
    return optional ? t.maybe() : t;
  }
  diags_.report(Diag::branch_types, p_.ast.at(i.else_branch).span, {type_name(p_, a), type_name(p_, b)});
  return {};
}

Type Checker::check_binary(ExprId e, const Binary& b, const Context& ctx) {
  Span at = p_.ast.at(e).span;
  switch (b.op) {
    case BinOp::and_:
    case BinOp::implies:
      check_bool(b.lhs, ctx);
      check_bool(b.rhs, with_facts(ctx, facts(b.lhs, true)));
      return Type::of(Kind::bool_);
    case BinOp::or_:
      check_bool(b.lhs, ctx);
      check_bool(b.rhs, with_facts(ctx, facts(b.lhs, false)));
      return Type::of(Kind::bool_);
    case BinOp::coalesce: {
      Type l = check(b.lhs, ctx);
      std::optional<Type> hint;
      if (l.kind == Kind::enumeration) hint = l.required();
      Type r = require_present(*this, b.rhs, check(b.rhs, ctx, hint));
      if (l.is_error() || r.is_error()) return {};
      if (!l.optional) {
        auto text = std::string(src_.text(p_.ast.at(b.lhs).span));
        diags_.report(Diag::never_absent, p_.ast.at(b.lhs).span, {text, "??"});
      }
      if (l.kind == r.kind && (l.kind != Kind::enumeration || l.enum_id == r.enum_id)) return l.required();
      if (is_numeric(l.kind) && is_numeric(r.kind) && common_kind(l.kind, r.kind) != Kind::error)
        return Type::of(common_kind(l.kind, r.kind));
      auto& d = diags_.report(Diag::bad_operands, at, {"default", type_name(p_, l.required()), type_name(p_, r)});
      if (is_money(l.kind) && r.kind == Kind::int_) d.with_hint("write the default with its unit: `0 yen`");
      return {};
    }
    case BinOp::eq: case BinOp::ne: case BinOp::lt: case BinOp::le: case BinOp::gt: case BinOp::ge:
      return check_compare(e, b, ctx);
    default: {
      Type l = require_present(*this, b.lhs, check(b.lhs, ctx));
      Type r = require_present(*this, b.rhs, check(b.rhs, ctx));
      if (b.op == BinOp::div && is_zero_literal(p_.ast.at(b.rhs))) {
        diags_.report(Diag::division_by_zero_const, p_.ast.at(b.rhs).span);
        return {};
      }
      return check_arith(b, l, r, at);
    }
  }
}

Type Checker::check_node(ExprId e, const Context& ctx, std::optional<Type> expect) {
  const Expr& x = p_.ast.at(e);
  return std::visit(
      [&](const auto& n) -> Type {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, IntLit>) return Type::of(Kind::int_);
        else if constexpr (std::is_same_v<T, YenLit>) return Type::of(Kind::yen);
        else if constexpr (std::is_same_v<T, RateLit>) return Type::of(Kind::rate);
        else if constexpr (std::is_same_v<T, DateLit>) return Type::of(Kind::date);
        else if constexpr (std::is_same_v<T, DurationLit>) return Type::of(Kind::duration);
        else if constexpr (std::is_same_v<T, BoolLit>) return Type::of(Kind::bool_);
        else if constexpr (std::is_same_v<T, TextLit>) return Type::of(Kind::text);
        else if constexpr (std::is_same_v<T, NameRef>) return check_name(e, n, ctx, expect);
        else if constexpr (std::is_same_v<T, Member>) return check_member(e, n, ctx);
        else if constexpr (std::is_same_v<T, Unary>) {
          if (n.op == UnOp::not_) return check_bool(n.operand, ctx);
          Type t = require_present(*this, n.operand, check(n.operand, ctx));
          if (!t.is_error() && !is_numeric(t.kind)) {
            diags_.report(Diag::bad_unary, x.span, {"negate", type_name(p_, t)});
            return {};
          }
          return t;
        } else if constexpr (std::is_same_v<T, Binary>) return check_binary(e, n, ctx);
        else if constexpr (std::is_same_v<T, IfElse>) return check_if(n, ctx);
        else if constexpr (std::is_same_v<T, InSet>) return check_in(e, n, ctx);
        else if constexpr (std::is_same_v<T, Aggregate>) return check_aggregate(e, n, ctx);
        else return check_call(e, n, ctx);
      },
      x.node);
}

}  // namespace kijun::dsl
