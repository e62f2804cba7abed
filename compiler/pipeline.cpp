#include "compiler/pipeline.hpp"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA256.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/lower.hpp"
#include "dsl/checker.hpp"
#include "dsl/parser.hpp"

namespace kijun::compiler {

namespace fs = std::filesystem;

namespace {

class StageTimer {
public:
  StageTimer(const LogFn& log, const char* stage) : log_(log), stage_(stage), start_(std::chrono::steady_clock::now()) {}
  ~StageTimer() {
    if (!log_) return;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_).count();
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f ms", static_cast<double>(us) / 1000.0);
    log_(LogLevel::debug, std::string(stage_) + ": " + ms);
  }

private:
  const LogFn& log_;
  const char* stage_;
  std::chrono::steady_clock::time_point start_;
};

// sha256 over (path name, NUL, text, NUL) of each rule source in name order: the same
// sources give the same hash on any machine, whatever their directory.
}  // namespace

std::string content_hash(const dsl::SourceSet& sources) {
  std::vector<std::pair<std::string, const std::string*>> files;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    auto& f = sources.file(static_cast<dsl::FileId>(i));
    if (!is_test_file(f.path)) files.emplace_back(fs::path(f.path).filename().string(), &f.text);
  }
  std::sort(files.begin(), files.end());
  llvm::SHA256 sha;
  static const std::uint8_t zero = 0;
  for (auto& [name, text] : files) {
    sha.update(llvm::StringRef(name));
    sha.update(llvm::ArrayRef<std::uint8_t>(&zero, 1));
    sha.update(llvm::StringRef(*text));
    sha.update(llvm::ArrayRef<std::uint8_t>(&zero, 1));
  }
  auto digest = sha.final();
  static const char* hex = "0123456789abcdef";
  std::string out = "sha256:";
  for (auto b : digest) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

namespace {

std::unique_ptr<Compilation> run(std::unique_ptr<Compilation> c, const LogFn& log) {
  {
    StageTimer t(log, "parse");
    for (std::size_t i = 0; i < c->sources.size(); ++i)
      c->program.ast.files.push_back(dsl::parse_file(c->sources, static_cast<dsl::FileId>(i), c->program.ast, c->diagnostics));
  }
  bool parsed = !c->diagnostics.has_errors();
  bool checked = false;
  {
    StageTimer t(log, "check");
    checked = dsl::check_program(c->program, c->sources, c->diagnostics);
  }
  c->checked = parsed && checked;
  c->content_hash = content_hash(c->sources);
  if (c->checked) {
    StageTimer t(log, "lower");
    c->ruleset = ir::lower(c->program);
  }
  return c;
}

}  // namespace

bool is_test_file(const std::string& path) { return path.ends_with(".test.kj"); }

std::unique_ptr<Compilation> compile_sources(const std::vector<std::pair<std::string, std::string>>& files, const LogFn& log) {
  auto c = std::make_unique<Compilation>();
  for (auto& [name, text] : files) c->sources.add(name, text);
  return run(std::move(c), log);
}

std::unique_ptr<Compilation> compile_path(const std::string& path, const LogFn& log) {
  auto c = std::make_unique<Compilation>();
  std::vector<std::string> paths;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (auto& entry : fs::directory_iterator(path, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".kj") paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
    if (paths.empty()) {
      c->diagnostics.report(dsl::Diag::no_sources, {1u << 30, 0, 0}, {path});
      return c;
    }
  } else {
    paths.push_back(path);
  }
  {
    StageTimer t(log, "read");
    for (auto& p : paths) {
      std::ifstream in(p, std::ios::binary);
      if (!in) {
        c->diagnostics.report(dsl::Diag::file_unreadable, {1u << 30, 0, 0}, {p, fs::exists(p) ? "permission denied" : "no such file"});
        continue;
      }
      std::ostringstream text;
      text << in.rdbuf();
      c->sources.add(p, text.str());
    }
  }
  if (c->diagnostics.has_errors()) return c;
  return run(std::move(c), log);
}

}  // namespace kijun::compiler
