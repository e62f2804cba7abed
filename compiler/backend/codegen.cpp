// The module: the helpers (codegen_helpers.cpp) and one function per frame
// (codegen_rules.cpp), verified; and the optimisation
// pipeline the JIT and the ahead-of-time build run on it.
#include "compiler/backend/codegen.hpp"

#include <algorithm>

#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/InstSimplifyPass.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>

#include "compiler/backend/codegen_emitter.hpp"

namespace kijun::jit {

namespace {

// Instruction combining on a function of ordinary size; on a larger one (a single rule of
// thousands of operations: chunks do not split rules) only simplification. InstCombine
// looks at every branch on a value when it works on any use of it, which on one function
// holding thousands of checks of the same values takes time quadratic in its size.
struct CombineUnlessHuge : llvm::PassInfoMixin<CombineUnlessHuge> {
  static constexpr unsigned max_instructions = 30000;
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& fam) {
    if (f.getInstructionCount() <= max_instructions) return llvm::InstCombinePass().run(f, fam);
    return llvm::InstSimplifyPass().run(f, fam);
  }
};

}  // namespace

std::unique_ptr<llvm::Module> emit_module(const ir::Ruleset& rs, llvm::LLVMContext& ctx, const std::string& module_name,
                                          std::string& error, bool define_extension_table,
                                          const std::vector<std::uint32_t>* frames) {
  auto m = detail::helpers_module(ctx, module_name, error);
  if (!m) return nullptr;
  bool large = false;
  for (std::uint32_t f = 0; f < rs.frames.size(); ++f) {
    if (frames && std::find(frames->begin(), frames->end(), f) == frames->end()) continue;
    detail::FrameEmitter frame(rs, f, *m, define_extension_table);
    frame.emit(frame_symbol(rs.frames[f].name));
    large = large || frame.chunked();
  }
  detail::drop_unused_helpers(*m);
  if (large) m->addModuleFlag(llvm::Module::Warning, large_module_flag, 1);
  std::string message;
  llvm::raw_string_ostream os(message);
  if (llvm::verifyModule(*m, &os)) {
    error = "generated code failed verification: " + os.str();
    return nullptr;
  }
  return m;
}

std::string frame_symbol(const std::string& frame) { return "kijun_frame_" + frame; }

bool is_large(const llvm::Module& m) { return m.getModuleFlag(large_module_flag) != nullptr; }

void optimise_module(llvm::Module& m, llvm::TargetMachine* tm, Pipeline pipeline) {
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
  if (pipeline == Pipeline::full) {
    pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(m, mam);
    return;
  }
  // Promote the row's state to registers, share what is computed twice, fold, and merge
  // blocks: each pass once, in time linear in the code.
  llvm::FunctionPassManager fpm;
  fpm.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG));
  fpm.addPass(llvm::EarlyCSEPass());
  fpm.addPass(CombineUnlessHuge());
  fpm.addPass(llvm::SimplifyCFGPass());
  llvm::ModulePassManager mpm;
  mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
  mpm.run(m, mam);
}

}  // namespace kijun::jit
