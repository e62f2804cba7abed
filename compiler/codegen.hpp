// LLVM code generation for the IR. Private to the compiler: no other stage sees LLVM.
#pragma once

#include <memory>
#include <string>

#include "compiler/ir.hpp"

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
}  // namespace llvm

namespace kijun::jit {

// One function per frame, named frame_symbol(frame), of type kijun_frame_fn. Calls to
// extension functions go through the array `extension_table_symbol`: defined (zeroed) in
// the module when `define_extension_table`, else left for the host to define.
std::unique_ptr<llvm::Module> emit_module(const ir::Ruleset& rs, llvm::LLVMContext& ctx, const std::string& module_name,
                                          std::string& error, bool define_extension_table = false);
inline constexpr const char* extension_table_symbol = "kijun_extension_table";
std::string frame_symbol(const std::string& frame);

// The new pass manager's O2 pipeline with the target's features (LLJIT runs none by itself).
void optimise_module(llvm::Module& m, llvm::TargetMachine* tm);

}  // namespace kijun::jit
