// Typing the builtin functions (dsl/builtins.def), once their arguments are counted.
#include "dsl/checker_impl.hpp"

namespace kijun::dsl {

Type Checker::check_builtin(Builtin b, const Call& c, const Context& ctx) {
  auto arg = [&](std::size_t i) { return require_present(*this, c.args[i], check(c.args[i], ctx)); };
  switch (b) {
    case Builtin::as_of: return Type::of(Kind::date);
    case Builtin::frame: return Type::enumeration(frame_enum_);
    case Builtin::present: {
      Type t = check(c.args[0], ctx);
      if (!t.is_error() && !t.optional) {
        auto text = std::string(src_.text(p_.ast.at(c.args[0]).span));
        diags_.report(Diag::never_absent, p_.ast.at(c.args[0]).span, {text, "present"});
      }
      return Type::of(Kind::bool_);
    }
    // tiered(cost, first_subsidy, first_rate, rest_rate): the subsidy up to `first_subsidy`
    // at the first rate, the cost beyond at the second; an exact yen fraction.
    case Builtin::tiered: {
      static const char* roles[] = {"the cost (yen)", "the first tier's subsidy (yen)", "the first tier's rate", "the rate beyond it"};
      for (std::size_t i = 0; i < 4; ++i) {
        Type t = arg(i);
        bool ok = i < 2 ? is_money(t.kind) && (i == 0 || t.kind == Kind::yen) : is_ratio(t.kind);
        if (!t.is_error() && !ok) diags_.report(Diag::expected_type, p_.ast.at(c.args[i]).span, {roles[i], type_name(p_, t)});
      }
      return Type::of(Kind::yen_exact);
    }
    case Builtin::floor:
    case Builtin::ceil: {
      Type t = arg(0);
      if (t.is_error()) return {};
      if (is_money(t.kind)) return Type::of(Kind::yen);
      if (is_ratio(t.kind)) return Type::of(Kind::int_);
      diags_.report(Diag::expected_type, p_.ast.at(c.args[0]).span, {"a number or an amount", type_name(p_, t)});
      return {};
    }
    case Builtin::min:
    case Builtin::max:
    case Builtin::clamp: {
      Type acc;
      for (std::size_t i = 0; i < c.args.size(); ++i) {
        Type t = arg(i);
        if (t.is_error()) return {};
        if (i == 0) {
          acc = t;
          continue;
        }
        Kind k = (is_numeric(acc.kind) && is_numeric(t.kind)) ? common_kind(acc.kind, t.kind)
                 : (acc.kind == Kind::date && t.kind == Kind::date) ? Kind::date
                                                                     : Kind::error;
        if (k == Kind::error) {
          diags_.report(Diag::mixed_arguments, p_.ast.at(c.args[i]).span, {c.callee, type_name(p_, acc), type_name(p_, t)});
          return {};
        }
        acc = Type::of(k);
      }
      return acc;
    }
  }
  return {};
}

}  // namespace kijun::dsl
