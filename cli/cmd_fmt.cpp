// kijun fmt [--check] [--write] PATHS: prints the canonical layout of each file (or of
// every .kj file in a directory); --check lists files that are not formatted and exits 1;
// --write rewrites them. A file with syntax errors is left alone and reported.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dsl/formatter.hpp"
#include "dsl/parser.hpp"

namespace kijun::cli {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> expand(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto& e : fs::directory_iterator(p, ec))
        if (e.is_regular_file() && e.path().extension() == ".kj") found.push_back(e.path().string());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

}  // namespace

int run_fmt(const FmtOptions& o, const LogFn&) {
  int status = exit_ok;
  for (auto& path : expand(o.paths)) {
    if (refuse_plugin(path, "fmt")) {
      status = exit_usage;
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "error: cannot read `%s`\n", path.c_str());
      status = exit_failure;
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    dsl::SourceSet sources;
    auto file = sources.add(path, text.str());
    dsl::Ast ast;
    dsl::Diagnostics diags;
    auto module = dsl::parse_file(sources, file, ast, diags);
    if (diags.has_errors()) {
      std::fputs(dsl::render_all(diags, sources).c_str(), stderr);
      status = exit_failure;
      continue;
    }
    std::string formatted = dsl::format_module(ast, sources, module);
    bool same = formatted == sources.file(file).text;
    if (o.check) {
      if (!same) {
        std::printf("%s: not formatted\n", path.c_str());
        status = exit_failure;
      }
    } else if (o.write) {
      if (!same && !write_file(path, formatted)) status = exit_failure;
    } else if (!write_out(formatted)) {
      return exit_failure;  // the reason is said once, at the end
    }
  }
  return status;
}

}  // namespace kijun::cli
