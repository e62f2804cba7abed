// The module: one function per frame (codegen_rules.cpp), verified; and the optimisation
// pipeline the JIT and the ahead-of-time build run on it.
#include "compiler/codegen.hpp"

#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>

#include "compiler/codegen_emitter.hpp"

namespace kijun::jit {

std::unique_ptr<llvm::Module> emit_module(const ir::Ruleset& rs, llvm::LLVMContext& ctx, const std::string& module_name,
                                          std::string& error, bool define_extension_table) {
  auto m = std::make_unique<llvm::Module>(module_name, ctx);
  for (std::uint32_t f = 0; f < rs.frames.size(); ++f)
    detail::FrameEmitter(rs, f, *m, define_extension_table).emit(frame_symbol(rs.frames[f].name));
  std::string message;
  llvm::raw_string_ostream os(message);
  if (llvm::verifyModule(*m, &os)) {
    error = "generated code failed verification: " + os.str();
    return nullptr;
  }
  return m;
}

std::string frame_symbol(const std::string& frame) { return "kijun_frame_" + frame; }

void optimise_module(llvm::Module& m, llvm::TargetMachine* tm) {
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

}  // namespace kijun::jit
