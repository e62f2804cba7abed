#include "runtime/driver/driver.hpp"

#include "compiler/backend/jit.hpp"

namespace kijun::driver {

namespace {

class JitCode final : public runtime::NativeCode {
public:
  explicit JitCode(std::unique_ptr<jit::CompiledRuleset> code) : code_(std::move(code)) {}
  kijun_frame_fn frame(std::uint32_t index) const override { return code_->frame(index); }

private:
  std::unique_ptr<jit::CompiledRuleset> code_;
};

std::unique_ptr<runtime::NativeCode> jit_compile(const ir::Ruleset& rs, const runtime::NativeOptions& o, std::string& error) {
  auto code = jit::CompiledRuleset::compile(rs, {o.opt_level, o.log, o.cache_dir, o.extension_table, o.frames}, error);
  if (!code) return nullptr;
  return std::make_unique<JitCode>(std::move(code));
}

std::unique_ptr<runtime::Engine> compile(const std::string& path, const LogFn& log, std::string& diagnostics) {
  std::shared_ptr<const compiler::Compilation> c = compiler::compile_path(path, log);
  diagnostics = dsl::render_all(c->diagnostics, c->sources);
  if (!c->ok()) {
    auto errors = c->diagnostics.error_count();
    diagnostics += path + ": " + std::to_string(errors) + (errors == 1 ? " error\n" : " errors\n");
    return nullptr;
  }
  return engine_of(std::move(c));
}

}  // namespace

void install_toolchain() { runtime::install_toolchain({jit_compile, compile, jit::host_description}); }

std::unique_ptr<runtime::Engine> engine_of(std::shared_ptr<const compiler::Compilation> c) {
  return std::make_unique<runtime::Engine>(std::move(c));
}

}  // namespace kijun::driver
