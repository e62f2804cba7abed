#include "dsl/builtins.hpp"

namespace kijun::dsl {

namespace {

constexpr BuiltinInfo catalog[] = {
#define KIJUN_BUILTIN(name, fewest, most, op, takes, summary) {Builtin::name, #name, fewest, most, takes, summary},
#include "dsl/builtins.def"
#undef KIJUN_BUILTIN
};

}  // namespace

std::span<const BuiltinInfo> builtins() { return catalog; }

const BuiltinInfo& builtin_info(Builtin b) { return catalog[static_cast<std::size_t>(b)]; }

std::optional<Builtin> find_builtin(std::string_view name) {
  for (const auto& b : catalog)
    if (b.name == name) return b.id;
  return std::nullopt;
}

}  // namespace kijun::dsl
