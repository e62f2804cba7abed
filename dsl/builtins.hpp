// The builtin functions of the language, from their catalog (dsl/builtins.def).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace kijun::dsl {

enum class Builtin : std::uint8_t {
#define KIJUN_BUILTIN(name, fewest, most, op, takes, summary) name,
#include "dsl/builtins.def"
#undef KIJUN_BUILTIN
};

struct BuiltinInfo {
  Builtin id;
  std::string_view name;
  std::uint8_t fewest, most;  // arguments
  std::string_view takes;     // the arguments, as the arity diagnostic says them
  std::string_view summary;
};

// Every builtin, in catalog order.
std::span<const BuiltinInfo> builtins();
const BuiltinInfo& builtin_info(Builtin b);
std::optional<Builtin> find_builtin(std::string_view name);

}  // namespace kijun::dsl
