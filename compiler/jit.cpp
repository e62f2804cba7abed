#include "compiler/jit.hpp"

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include <chrono>
#include <mutex>

#include "compiler/codegen.hpp"

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

struct CompiledRuleset::Impl {
  std::unique_ptr<orc::LLJIT> jit;
};

CompiledRuleset::~CompiledRuleset() = default;

namespace {

void initialise_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

// LLJIT runs no IR optimisation by itself: run the O2 pipeline with the host machine, so
// loops are vectorised for its features.
void optimise(llvm::Module& m, llvm::TargetMachine* tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(m, mam);
}

std::string message(llvm::Error e) { return llvm::toString(std::move(e)); }

}  // namespace

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
  llvm::LLVMContext ctx;
  auto module = emit_module(rs, ctx, rs.programme, error);
  if (!module) return "";
  module->setDataLayout((*tm)->createDataLayout());
  module->setTargetTriple((*tm)->getTargetTriple().str());
  if (opt_level > 0) optimise(*module, tm->get());
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, nullptr);
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
  jtmb->setCodeGenOptLevel(options.opt_level == 0 ? llvm::CodeGenOptLevel::None : llvm::CodeGenOptLevel::Default);
  auto jit = orc::LLJITBuilder().setJITTargetMachineBuilder(*jtmb).setSupportConcurrentCompilation(true).create();
  if (!jit) {
    error = message(jit.takeError());
    return nullptr;
  }
  if (options.opt_level > 0) {
    auto builder = *jtmb;  // createTargetMachine() is not const: one TargetMachine per compile
    (*jit)->getIRTransformLayer().setTransform(
        [builder](orc::ThreadSafeModule tsm, const orc::MaterializationResponsibility&) mutable -> llvm::Expected<orc::ThreadSafeModule> {
          auto tm = builder.createTargetMachine();
          if (!tm) return tm.takeError();
          tsm.withModuleDo([&](llvm::Module& m) { optimise(m, tm->get()); });
          return tsm;
        });
  }
  auto& main = (*jit)->getMainJITDylib();
  auto& mangle = (*jit)->getExecutionSession();
  orc::MangleAndInterner intern(mangle, (*jit)->getDataLayout());
  orc::SymbolMap helpers;
  auto add = [&](const char* name, void* address) {
    helpers[intern(name)] = {orc::ExecutorAddr::fromPtr(address), llvm::JITSymbolFlags::Exported};
  };
  add("__divti3", reinterpret_cast<void*>(&__divti3));
  add("__modti3", reinterpret_cast<void*>(&__modti3));
  add("__udivti3", reinterpret_cast<void*>(&__udivti3));
  add("__umodti3", reinterpret_cast<void*>(&__umodti3));
  if (auto e = main.define(orc::absoluteSymbols(std::move(helpers)))) {
    error = message(std::move(e));
    return nullptr;
  }

  auto ctx = std::make_unique<llvm::LLVMContext>();
  auto module = emit_module(rs, *ctx, rs.programme + "-" + std::to_string(rs.fiscal_year), error);
  if (!module) return nullptr;
  module->setDataLayout((*jit)->getDataLayout());
  module->setTargetTriple((*jit)->getTargetTriple().str());
  if (auto e = (*jit)->addIRModule(orc::ThreadSafeModule(std::move(module), std::move(ctx)))) {
    error = message(std::move(e));
    return nullptr;
  }
  std::unique_ptr<CompiledRuleset> out(new CompiledRuleset());
  for (auto& f : rs.frames) {
    auto address = (*jit)->lookup(frame_symbol(f.name));
    if (!address) {
      error = message(address.takeError());
      return nullptr;
    }
    out->frames_.push_back(address->toPtr<kijun_frame_fn>());
  }
  out->impl_ = std::make_unique<Impl>();
  out->impl_->jit = std::move(*jit);
  out->compile_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (options.log) options.log(LogLevel::debug, "jit: " + std::to_string(out->compile_ms_) + " ms");
  return out;
}

}  // namespace kijun::jit
