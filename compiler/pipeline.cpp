#include "compiler/pipeline.hpp"


#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "compiler/ir/verify.hpp"
#include "compiler/lint.hpp"
#include "compiler/lower.hpp"
#include "dsl/amend.hpp"
#include "dsl/checker.hpp"
#include "dsl/parser.hpp"

namespace kijun::compiler {

namespace fs = std::filesystem;

namespace {

class StageTimer {
public:
  StageTimer(const LogFn& log, std::string_view stage) : log_(log), stage_(stage), start_(std::chrono::steady_clock::now()) {}
  ~StageTimer() {
    if (!log_) return;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_).count();
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f ms", static_cast<double>(us) / 1000.0);
    log_(LogLevel::debug, std::string(stage_) + ": " + ms);
  }

private:
  const LogFn& log_;
  std::string_view stage_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

namespace {

// Where sources come from: the file system, or files held in memory by path (an editor's
// unsaved buffers, a test's sources), never written anywhere.
class Files {
public:
  explicit Files(const std::map<std::string, std::string>* memory) : memory_(memory) {}

  bool is_directory(const fs::path& dir) const {
    std::error_code ec;
    if (!memory_) return fs::is_directory(dir, ec);
    auto prefix = key(dir) + "/";
    auto it = memory_->lower_bound(prefix);
    return it != memory_->end() && it->first.starts_with(prefix);
  }

  // The ruleset sources (*.kj) directly in `dir`, sorted.
  std::vector<std::string> sources_in(const fs::path& dir) const {
    std::vector<std::string> paths;
    if (memory_) {
      auto d = key(dir);
      for (auto& [path, text] : *memory_)
        if (fs::path(path).parent_path().generic_string() == d && fs::path(path).extension() == ".kj") paths.push_back(path);
    } else {
      std::error_code ec;
      for (auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".kj") paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
    return paths;
  }

  // The text of `path`, or nullopt with why not.
  std::optional<std::string> read(const std::string& path, std::string& why) const {
    if (memory_) {
      auto it = memory_->find(key(path));
      if (it != memory_->end()) return it->second;
      why = "no such file";
      return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      why = fs::exists(path) ? "permission denied" : "no such file";
      return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // What identifies a directory when following `extends` chains (cycles).
  fs::path identity(const fs::path& dir) const {
    std::error_code ec;
    return memory_ ? fs::path(key(dir)) : fs::weakly_canonical(dir, ec);
  }

private:
  static std::string key(const fs::path& p) {
    auto s = p.lexically_normal().generic_string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
  }

  const std::map<std::string, std::string>* memory_;
};

// Reads `paths` into the compilation, reporting each that cannot be read; false if any.
bool read_sources(Compilation& c, const std::vector<std::string>& paths, const Files& files) {
  bool all = true;
  for (auto& p : paths) {
    std::string why;
    auto text = files.read(p, why);
    if (!text) {
      c.diagnostics.report(dsl::Diag::file_unreadable, {1u << 30, 0, 0}, {p, why});
      all = false;
      continue;
    }
    c.sources.add(p, std::move(*text));
  }
  return all;
}

// Parses every source read but not parsed yet (ast.files[i] is source i).
void parse_new_sources(Compilation& c) {
  for (std::size_t i = c.program.ast.files.size(); i < c.sources.size(); ++i)
    c.program.ast.files.push_back(dsl::parse_file(c.sources, static_cast<dsl::FileId>(i), c.program.ast, c.diagnostics));
}

std::string display(const fs::path& dir) {
  auto s = dir.lexically_normal().generic_string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// Follows `extends` from the header among files [from, end): reads and parses each
// inherited ruleset in turn. An inherited header gives way to the one that extends it.
// Returns where each ruleset's files begin, the extending one first.
std::vector<std::size_t> load_inherited(Compilation& c, fs::path dir, const Files& disk) {
  auto& files = c.program.ast.files;
  std::vector<std::string> chain{display(dir)};
  std::set<fs::path> seen{disk.identity(dir)};
  std::size_t from = 0;
  std::vector<std::size_t> layers{0};
  for (;;) {
    std::optional<dsl::Text> next;
    for (std::size_t i = from; i < files.size() && !next; ++i) {
      if (!files[i].header) continue;
      next = files[i].header->extends;
      if (from > 0) files[i].header.reset();
    }
    if (!next) return layers;
    fs::path base = (dir / next->value).lexically_normal();
    if (!disk.is_directory(base)) {
      c.diagnostics.report(dsl::Diag::extends_unreadable, next->span, {next->value, "no such directory"});
      return layers;
    }
    auto canonical = disk.identity(base);
    chain.push_back(display(base));
    if (!seen.insert(canonical).second) {
      std::string through;
      for (std::size_t i = 0; i < chain.size(); ++i) through += (i ? " → " : "") + chain[i];
      c.diagnostics.report(dsl::Diag::extends_cycle, next->span, {chain.front(), through});
      return layers;
    }
    auto paths = disk.sources_in(base);
    if (paths.empty()) {
      c.diagnostics.report(dsl::Diag::extends_unreadable, next->span, {next->value, "it holds no ruleset sources (*.kj)"});
      return layers;
    }
    from = files.size();
    layers.push_back(from);
    if (!read_sources(c, paths, disk)) return layers;
    parse_new_sources(c);
    dir = base;
  }
}

// One pass: timed at debug level, then shown to the caller's hook (--dump-after).
template <typename Body>
void pass(Compilation& c, const CompileOptions& o, std::string_view name, Body&& body) {
  {
    StageTimer t(o.log, name);
    body();
  }
  if (o.after) o.after(name, c);
}

// The passes after reading, in order (`passes` in pipeline.hpp names them).
std::unique_ptr<Compilation> run(std::unique_ptr<Compilation> c, const std::optional<fs::path>& dir, const CompileOptions& o) {
  pass(*c, o, "parse", [&] { parse_new_sources(*c); });
  pass(*c, o, "amend", [&] {
    std::vector<std::size_t> layers{0};
    if (dir) {
      layers = load_inherited(*c, *dir, Files(o.files));
    } else {
      for (auto& f : c->program.ast.files)
        if (f.header && f.header->extends)
          c->diagnostics.report(dsl::Diag::extends_unreadable, f.header->extends->span, {f.header->extends->value, "only a ruleset directory can extend another"});
    }
    dsl::apply_amendments(c->program.ast, layers, c->diagnostics.has_errors(), c->diagnostics);
  });
  bool parsed = !c->diagnostics.has_errors();
  bool checked = false;
  pass(*c, o, "check", [&] { checked = dsl::check_program(c->program, c->sources, c->diagnostics); });
  c->checked = parsed && checked;
  c->content_hash = dsl::content_hash(c->sources);
  if (!c->checked) return c;
  pass(*c, o, "lower", [&] { c->ruleset = ir::lower(c->program); });
  // The image reader refuses what the verifier refuses: never build what cannot be read
  // back. It is linear in the size of the IR.
  pass(*c, o, "verify", [&] {
    if (auto fault = ir::verify(c->ruleset); !fault.empty()) {
      c->diagnostics.report(dsl::Diag::internal_inconsistent_ir, {1u << 30, 0, 0}, {fault});
      c->checked = false;
    }
  });
  if (!c->checked) return c;
  pass(*c, o, "lint", [&] { lint_unread_inputs(c->ruleset, c->program, c->diagnostics); });
  return c;
}

}  // namespace

std::unique_ptr<Compilation> compile_sources(const std::vector<std::pair<std::string, std::string>>& files, const LogFn& log) {
  auto c = std::make_unique<Compilation>();
  for (auto& [name, text] : files) c->sources.add(name, text);
  return run(std::move(c), std::nullopt, {log, {}});
}

std::unique_ptr<Compilation> compile_path(const std::string& path, const LogFn& log) { return compile_path(path, CompileOptions{log, {}}); }

std::unique_ptr<Compilation> compile_path(const std::string& path, const CompileOptions& options) {
  auto c = std::make_unique<Compilation>();
  Files files(options.files);
  bool directory = files.is_directory(path);
  std::vector<std::string> paths = directory ? files.sources_in(path) : std::vector<std::string>{path};
  if (paths.empty()) {
    c->diagnostics.report(dsl::Diag::no_sources, {1u << 30, 0, 0}, {path});
    return c;
  }
  pass(*c, options, "read", [&] { read_sources(*c, paths, files); });
  if (c->diagnostics.has_errors()) return c;
  return run(std::move(c), directory ? std::optional<fs::path>(path) : std::nullopt, options);
}

}  // namespace kijun::compiler
