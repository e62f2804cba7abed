#include "runtime/extensions.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "runtime/plugin.hpp"

namespace kijun::runtime {

namespace fs = std::filesystem;

ExtensionSet::~ExtensionSet() {
  for (auto* h : handles_) dlclose(h);
}

namespace {

std::uint8_t value_kind(dsl::Kind k) {
  switch (k) {
    case dsl::Kind::bool_: return KIJUN_BOOL;
    case dsl::Kind::yen: return KIJUN_YEN;
    case dsl::Kind::date: return KIJUN_DATE;
    default: return KIJUN_INT;
  }
}

const char* kind_name(std::uint8_t k) {
  switch (k) {
    case KIJUN_BOOL: return "bool";
    case KIJUN_INT: return "int";
    case KIJUN_YEN: return "yen";
    case KIJUN_DATE: return "date";
    default: return "?";
  }
}

std::string signature(const std::vector<std::uint8_t>& params, std::uint8_t result) {
  std::string s = "(";
  for (std::size_t i = 0; i < params.size(); ++i) s += (i ? ", " : "") + std::string(kind_name(params[i]));
  return s + "): " + kind_name(result);
}

}  // namespace

bool ExtensionSet::load(const ir::Ruleset& rs, const std::vector<std::string>& directories, std::string& error) {
  table_.assign(rs.functions.size(), nullptr);
  std::map<std::string, const kijun_extension*> loaded;
  for (std::size_t i = 0; i < rs.functions.size(); ++i) {
    const auto& fn = rs.functions[i];
    auto found = loaded.find(fn.extension);
    if (found == loaded.end()) {
      std::string file;
      for (auto& dir : directories) {
        std::error_code ec;
        auto candidate = fs::path(dir) / (fn.extension + ".kjx");
        if (fs::is_regular_file(candidate, ec)) {
          file = fs::absolute(candidate).string();
          break;
        }
      }
      if (file.empty()) {
        std::string where;
        for (auto& dir : directories) where += (where.empty() ? "" : ", ") + dir;
        error = "extension " + fn.extension + ": no " + fn.extension + ".kjx in " + (where.empty() ? "(no directory)" : where) +
                "; set KIJUN_EXTENSION_PATH to the directory that holds it";
        return false;
      }
      void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        error = "extension " + fn.extension + ": cannot load " + file + " (" + dlerror() + ")";
        return false;
      }
      handles_.push_back(handle);
      auto entry = reinterpret_cast<kijun_extension_entry_fn>(dlsym(handle, KIJUN_EXTENSION_ENTRY));
      const kijun_extension* d = entry ? entry() : nullptr;
      if (!d) {
        error = "extension " + fn.extension + ": " + file + " is not a kijun extension (no " KIJUN_EXTENSION_ENTRY ")";
        return false;
      }
      if (d->abi_version != KIJUN_EXTENSION_ABI_VERSION) {
        error = "extension " + fn.extension + ": built for extension ABI " + std::to_string(d->abi_version) +
                "; this kijun reads ABI " + std::to_string(KIJUN_EXTENSION_ABI_VERSION);
        return false;
      }
      found = loaded.emplace(fn.extension, d).first;
    }
    const kijun_extension* d = found->second;
    const kijun_ext_function* provided = nullptr;
    for (std::uint32_t k = 0; k < d->function_count; ++k)
      if (d->functions[k].name && fn.name == d->functions[k].name) provided = &d->functions[k];
    if (!provided || !provided->fn) {
      error = "extension " + fn.extension + " has no function " + fn.name;
      return false;
    }
    std::vector<std::uint8_t> want;
    for (auto k : fn.params) want.push_back(value_kind(k));
    std::vector<std::uint8_t> got(provided->arg_kinds, provided->arg_kinds + provided->arity);
    if (want != got || value_kind(fn.result) != provided->result_kind) {
      error = "extension " + fn.extension + ": " + fn.name + " is declared " + signature(want, value_kind(fn.result)) +
              " but the library provides " + signature(got, provided->result_kind);
      return false;
    }
    table_[i] = provided->fn;
  }
  return true;
}

std::vector<std::string> extension_path(const std::string& beside) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("KIJUN_EXTENSION_PATH")) dirs = split_search_path(env);
  if (!beside.empty()) dirs.push_back(beside);
  return dirs;
}

}  // namespace kijun::runtime
