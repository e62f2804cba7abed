#include "compiler/backend/jit.hpp"

#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include <llvm/Config/llvm-config.h>
#include <llvm/Support/MemoryBuffer.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "compiler/backend/codegen.hpp"
#include "compiler/backend/jit_cache.hpp"
#include "dsl/support/hash.hpp"

// 128-bit division helpers from libgcc, which generated code may call for exact rationals.
__extension__ typedef __int128 kijun_i128;
__extension__ typedef unsigned __int128 kijun_u128;
extern "C" {
kijun_i128 __divti3(kijun_i128, kijun_i128);
kijun_i128 __modti3(kijun_i128, kijun_i128);
kijun_u128 __udivti3(kijun_u128, kijun_u128);
kijun_u128 __umodti3(kijun_u128, kijun_u128);
}

namespace kijun::jit {

namespace orc = llvm::orc;

namespace {

void initialise_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

std::string message(llvm::Error e) { return llvm::toString(std::move(e)); }

std::string module_text(const llvm::Module& m) {
  std::string text;
  llvm::raw_string_ostream os(text);
  m.print(os, nullptr);
  return os.str();
}

// Where a module's object goes in the cache: a module flag set before it is added, read by
// the compiler below once the object exists.
constexpr const char* cache_path_flag = "kijun.cache";

// Compiles one frame's module to an object: a large frame (codegen.hpp, is_large) with the
// fast code generator, the others with the default one; and stores the object in the cache
// when its module names a place there. Called from any thread: a TargetMachine per call.
class FrameCompiler final : public orc::IRCompileLayer::IRCompiler {
public:
  FrameCompiler(orc::JITTargetMachineBuilder jtmb, int opt_level, LogFn log)
      : IRCompiler(orc::irManglingOptionsFromTargetOptions(jtmb.getOptions())), jtmb_(std::move(jtmb)),
        opt_level_(opt_level), log_(std::move(log)) {}

  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module& m) override {
    auto builder = jtmb_;
    builder.setCodeGenOptLevel(opt_level_ == 0 || is_large(m) ? llvm::CodeGenOptLevel::None : llvm::CodeGenOptLevel::Default);
    auto tm = builder.createTargetMachine();
    if (!tm) return tm.takeError();
    auto object = orc::SimpleCompiler(**tm)(m);
    if (!object) return object.takeError();
    if (auto* path = llvm::dyn_cast_or_null<llvm::MDString>(m.getModuleFlag(cache_path_flag)))
      store_object(path->getString().str(), (*object)->getBuffer(), log_);
    return object;
  }

private:
  orc::JITTargetMachineBuilder jtmb_;
  int opt_level_;
  LogFn log_;
};

}  // namespace

struct CompiledRuleset::Impl {
  const ir::Ruleset* rs = nullptr;
  JitOptions options;
  std::optional<orc::JITTargetMachineBuilder> jtmb;
  std::unique_ptr<orc::LLJIT> jit;
  // Per frame: compiled once, by whichever thread asks first.
  std::unique_ptr<std::once_flag[]> once;
  std::unique_ptr<std::atomic<kijun_frame_fn>[]> fns;
  std::vector<std::string> errors;
  std::atomic<bool> all_cached{true};

  kijun_frame_fn get(std::uint32_t f) {
    std::call_once(once[f], [&] {
      fns[f] = build(f, errors[f]);
      if (!fns[f] && options.log)
        options.log(LogLevel::error, "jit: frame " + rs->frames[f].name + " cannot be compiled (the interpreter decides it): " + errors[f]);
    });
    return fns[f].load();
  }
  // Frame f's function: its object from the cache, or its module emitted and compiled.
  kijun_frame_fn build(std::uint32_t f, std::string& error);
};

CompiledRuleset::~CompiledRuleset() = default;

kijun_frame_fn CompiledRuleset::Impl::build(std::uint32_t f, std::string& error) {
  const auto& name = rs->frames[f].name;
  auto ctx = std::make_unique<llvm::LLVMContext>();
  std::vector<std::uint32_t> only{f};
  auto module = emit_module(*rs, *ctx, rs->programme + "-" + std::to_string(rs->fiscal_year) + "-" + name, error, false, &only);
  if (!module) return nullptr;
  module->setDataLayout(jit->getDataLayout());
  module->setTargetTriple(jit->getTargetTriple().str());
  std::string cached;
  if (!options.cache_dir.empty()) {
    std::string key = dsl::sha256_hex(module_text(*module) + '\0' + jit->getTargetTriple().str() + '\0' + jtmb->getCPU() + '\0' +
                                      jtmb->getFeatures().getString() + '\0' + std::to_string(options.opt_level) + '\0' +
                                      LLVM_VERSION_STRING + "\0cache entry 3: one frame, object, sha256, marker");
    cached = options.cache_dir + "/" + key + ".o";
  }
  std::unique_ptr<llvm::MemoryBuffer> object;
  if (!cached.empty()) object = load_object(cached, options.log);
  if (object) {
    if (auto e = jit->addObjectFile(std::move(object))) return error = message(std::move(e)), nullptr;
  } else {
    all_cached = false;
    if (!cached.empty()) module->addModuleFlag(llvm::Module::Warning, cache_path_flag, llvm::MDString::get(*ctx, cached));
    if (auto e = jit->addIRModule(orc::ThreadSafeModule(std::move(module), std::move(ctx)))) return error = message(std::move(e)), nullptr;
  }
  auto address = jit->lookup(frame_symbol(name));
  if (!address) return error = message(address.takeError()), nullptr;
  return address->toPtr<kijun_frame_fn>();
}

kijun_frame_fn CompiledRuleset::frame(std::uint32_t index) const {
  if (index >= impl_->rs->frames.size()) return nullptr;
  return impl_->get(index);
}

std::string host_description() {
  initialise_llvm();
  std::string out = llvm::sys::getProcessTriple() + " " + llvm::sys::getHostCPUName().str();
  return out;
}

std::string optimised_llvm(const ir::Ruleset& rs, int opt_level, std::string& error) {
  initialise_llvm();
  auto jtmb = orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return error = message(jtmb.takeError()), "";
  auto tm = jtmb->createTargetMachine();
  if (!tm) return error = message(tm.takeError()), "";
  // Frame by frame, as the JIT compiles them: each module with the pipeline its size calls for.
  std::string text;
  llvm::raw_string_ostream os(text);
  for (std::uint32_t f = 0; f < rs.frames.size(); ++f) {
    llvm::LLVMContext ctx;
    std::vector<std::uint32_t> only{f};
    auto module = emit_module(rs, ctx, rs.programme + "-" + rs.frames[f].name, error, false, &only);
    if (!module) return "";
    module->setDataLayout((*tm)->createDataLayout());
    module->setTargetTriple((*tm)->getTargetTriple().str());
    if (opt_level > 0) optimise_module(*module, tm->get(), is_large(*module) ? Pipeline::quick : Pipeline::full);
    module->print(os, nullptr);
  }
  return os.str();
}

std::unique_ptr<CompiledRuleset> CompiledRuleset::compile(const ir::Ruleset& rs, const JitOptions& options, std::string& error) {
  initialise_llvm();
  auto start = std::chrono::steady_clock::now();
  auto jtmb = orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) {
    error = message(jtmb.takeError());
    return nullptr;
  }
  auto compiler = [jtmb = *jtmb, options](orc::JITTargetMachineBuilder) -> llvm::Expected<std::unique_ptr<orc::IRCompileLayer::IRCompiler>> {
    return std::make_unique<FrameCompiler>(jtmb, options.opt_level, options.log);
  };
  auto jit = orc::LLJITBuilder().setJITTargetMachineBuilder(*jtmb).setCompileFunctionCreator(compiler).create();
  if (!jit) {
    error = message(jit.takeError());
    return nullptr;
  }
  if (options.opt_level > 0) {
    // Each frame's module by the pipeline its size calls for (codegen.hpp, is_large); any
    // thread may run it, so each call makes its own TargetMachine.
    (*jit)->getIRTransformLayer().setTransform(
        [builder = *jtmb](orc::ThreadSafeModule tsm, const orc::MaterializationResponsibility&) -> llvm::Expected<orc::ThreadSafeModule> {
          auto copy = builder;
          auto tm = copy.createTargetMachine();
          if (!tm) return tm.takeError();
          tsm.withModuleDo([&](llvm::Module& m) { optimise_module(m, tm->get(), is_large(m) ? Pipeline::quick : Pipeline::full); });
          return tsm;
        });
  }
  auto& main = (*jit)->getMainJITDylib();
  orc::MangleAndInterner intern((*jit)->getExecutionSession(), (*jit)->getDataLayout());
  orc::SymbolMap helpers;
  auto add = [&](const char* name, void* address) {
    helpers[intern(name)] = {orc::ExecutorAddr::fromPtr(address), llvm::JITSymbolFlags::Exported};
  };
  add("__divti3", reinterpret_cast<void*>(&__divti3));
  add("__modti3", reinterpret_cast<void*>(&__modti3));
  add("__udivti3", reinterpret_cast<void*>(&__udivti3));
  add("__umodti3", reinterpret_cast<void*>(&__umodti3));
  // Extension functions are called through the host's table.
  static const kijun_ext_fn no_functions[1] = {nullptr};
  if (!rs.functions.empty())
    add(extension_table_symbol, const_cast<void*>(static_cast<const void*>(
                                    options.extension_table ? options.extension_table : no_functions)));
  if (auto e = main.define(orc::absoluteSymbols(std::move(helpers)))) {
    error = message(std::move(e));
    return nullptr;
  }

  std::unique_ptr<CompiledRuleset> out(new CompiledRuleset());
  auto& impl = *(out->impl_ = std::make_unique<Impl>());
  auto frames = rs.frames.size();
  impl.rs = &rs;
  impl.options = options;
  impl.jtmb = *jtmb;
  impl.jit = std::move(*jit);
  impl.once = std::make_unique<std::once_flag[]>(frames);
  impl.fns = std::make_unique<std::atomic<kijun_frame_fn>[]>(frames);
  impl.errors.resize(frames);

  // The frames asked for now, each on a thread of its own up to the number of cores.
  std::vector<std::uint32_t> now;
  if (options.frames) {
    for (auto f : *options.frames)
      if (f < frames) now.push_back(f);
  } else {
    for (std::uint32_t f = 0; f < frames; ++f) now.push_back(f);
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next++) < now.size();) impl.get(now[i]);
  };
  std::size_t threads = std::min<std::size_t>(now.size(), std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t) {
    try {
      workers.emplace_back(work);
    } catch (...) {
      break;  // no thread to be had: this one does the rest
    }
  }
  work();
  for (auto& w : workers) w.join();
  for (auto f : now)
    if (!impl.fns[f]) {
      error = "frame " + rs.frames[f].name + ": " + impl.errors[f];
      return nullptr;
    }
  out->from_cache_ = !now.empty() && impl.all_cached;
  out->compile_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (options.log)
    options.log(LogLevel::debug, std::string(out->from_cache_ ? "jit: loaded from cache in " : "jit: compiled in ") +
                                     std::to_string(out->compile_ms_) + " ms");
  return out;
}

}  // namespace kijun::jit
