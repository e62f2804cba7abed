#include "cli/common.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/commands.hpp"
#include "compiler/ir/seal.hpp"
#include "runtime/plugin.hpp"

namespace kijun::cli {

void print_diagnostics(const compiler::Compilation& c, bool json) {
  if (json) {
    std::fprintf(stderr, "%s\n", dsl::render_json(c.diagnostics, c.sources).c_str());
    return;
  }
  std::fputs(dsl::render_all(c.diagnostics, c.sources).c_str(), stderr);
}

bool refuse_plugin(const std::string& path, const char* command) {
  if (!runtime::looks_like_plugin(path)) return false;
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string_view library;
  seal::Manifest manifest;
  std::string why;
  std::string what = seal::check(bytes, library, manifest, why) == seal::Problem::none
                         ? "a plugin built by `kijun build` (" + manifest.programme + " " + std::to_string(manifest.fiscal_year) + ")"
                         : "a shared library";
  std::fprintf(stderr, "error: %s is %s, not ruleset sources; `kijun %s` reads sources\n", path.c_str(), what.c_str(), command);
  return true;
}

std::unique_ptr<compiler::Compilation> load_ruleset(const std::string& path, const LogFn& log, bool json_diagnostics) {
  auto c = compiler::compile_path(path, log);
  print_diagnostics(*c, json_diagnostics);
  if (!c->ok()) {
    auto errors = c->diagnostics.error_count();
    std::fprintf(stderr, "%s: %zu error%s\n", path.c_str(), errors, errors == 1 ? "" : "s");
    return nullptr;
  }
  return c;
}

std::string applicant_format(const std::string& given, const std::string& file) {
  if (!given.empty()) return given;
  return file.ends_with(".csv") ? "csv" : "jsonl";
}

runtime::UnknownFieldPolicy field_policy(bool strict) {
  return {strict, [](const std::string& warning) { std::fprintf(stderr, "warning: %s\n", warning.c_str()); }};
}

bool report_refused_input(const char* option, const std::string& file, const runtime::RecordReader& reader) {
  if (reader.input_error().empty()) return false;
  std::string name = file == "-" ? "standard input" : "`" + file + "`";
  std::fprintf(stderr, "error: %s: cannot read %s: %s\n", option, name.c_str(), reader.input_error().c_str());
  return true;
}

namespace {
int stdout_errno = 0;      // the reason the first failed write to standard output gave
bool stdout_failed = false;

void note_stdout_failure() {
  if (stdout_failed) return;
  stdout_failed = true;
  stdout_errno = errno;
}
}  // namespace

void report_write_error(const std::string& what, int error) {
  std::fprintf(stderr, "error: cannot write %s: %s\n", what.c_str(), error ? std::strerror(error) : "the write failed");
}

bool write_out(std::string_view text) {
  if (stdout_failed) return false;
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::ferror(stdout)) note_stdout_failure();
  return !stdout_failed;
}

int finish_stdout(int status) {
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) note_stdout_failure();
  if (!stdout_failed) return status;
  report_write_error("standard output", stdout_errno);
  return exit_failure;
}

bool write_file(const std::string& path, std::string_view text) {
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  bool ok = f != nullptr && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  int error = errno;
  if (f != nullptr && std::fclose(f) != 0 && ok) ok = false, error = errno;
  if (!ok) report_write_error("`" + path + "`", error);
  return ok;
}

bool plugin_trust(const std::vector<std::string>& key_files, runtime::TrustPolicy& trust) {
  const char* option = "--trusted-key";
  auto files = key_files;
  if (files.empty())
    if (const char* env = std::getenv("KIJUN_TRUSTED_KEYS")) files = runtime::split_search_path(env), option = "KIJUN_TRUSTED_KEYS";
  std::string error;
  if (runtime::read_trust_policy(files, false, trust, error)) return true;
  std::fprintf(stderr, "error: %s: %s\n", option, error.c_str());
  return false;
}

std::unique_ptr<runtime::Engine> load_engine(const std::string& what, const std::string& plugin_path,
                                             const runtime::TrustPolicy& trust, const LogFn& log) {
  auto loaded = runtime::load({what, plugin_path, trust, log});
  std::fputs(loaded.diagnostics.c_str(), stderr);
  if (loaded.failure == runtime::LoadFailure::ruleset)
    std::fputs(loaded.error.c_str(), stderr);
  else if (!loaded.engine)
    std::fprintf(stderr, "error: %s\n", loaded.error.c_str());
  return std::move(loaded.engine);
}

bool read_tests_and_description(const runtime::Engine& engine) {
  std::string error;
  if (engine.read_tests_and_description(error)) return true;
  std::fprintf(stderr, "error: %s\n", error.c_str());
  return false;
}

}  // namespace kijun::cli
