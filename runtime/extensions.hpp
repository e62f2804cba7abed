// Loading native extensions (include/kijun/extension.h) for a ruleset's declared functions.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "kijun/extension.h"

namespace kijun::runtime {

class ExtensionSet {
public:
  ExtensionSet() = default;
  ~ExtensionSet();
  ExtensionSet(const ExtensionSet&) = delete;
  ExtensionSet& operator=(const ExtensionSet&) = delete;

  // Loads `<extension>.kjx` for every extension the ruleset calls, from the first of
  // `directories` that has it, and checks each declared function's signature. False with
  // a message naming the extension, the function and what differs.
  bool load(const ir::Ruleset& rs, const std::vector<std::string>& directories, std::string& error);
  // One function per Ruleset::functions; null when the ruleset calls none.
  const kijun_ext_fn* table() const { return table_.empty() ? nullptr : table_.data(); }

private:
  std::vector<void*> handles_;
  std::vector<kijun_ext_fn> table_;
};

// $KIJUN_EXTENSION_PATH's directories, then `beside` (the ruleset's or plugin's directory).
std::vector<std::string> extension_path(const std::string& beside);

}  // namespace kijun::runtime
