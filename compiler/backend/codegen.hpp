// LLVM code generation for the IR. Private to the compiler: no other stage sees LLVM.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
}  // namespace llvm

namespace kijun::jit {

// One function per frame, named frame_symbol(frame), of type kijun_frame_fn. Calls to
// extension functions go through the array `extension_table_symbol`: defined (zeroed) in
// the module when `define_extension_table`, else left for the host to define.
// `frames`: the frames to emit (null: every frame).
std::unique_ptr<llvm::Module> emit_module(const ir::Ruleset& rs, llvm::LLVMContext& ctx, const std::string& module_name,
                                          std::string& error, bool define_extension_table = false,
                                          const std::vector<std::uint32_t>* frames = nullptr);
inline constexpr const char* extension_table_symbol = "kijun_extension_table";
std::string frame_symbol(const std::string& frame);

// A module holding a frame too large for one function (its rules are in chunk functions):
// O2 and the full code generator take about 1.5 ms per rule of such a frame, so the JIT
// compiles it with the quick pipeline and the fast code generator instead, in about a
// fifth of the time, for slower code. Marked by a module flag.
inline constexpr const char* large_module_flag = "kijun.large";
bool is_large(const llvm::Module& m);

// full: the new pass manager's O2 pipeline with the target's features (LLJIT runs none by
// itself). quick: scalar replacement, common subexpressions, instruction combining and
// CFG simplification, once each.
enum class Pipeline { full, quick };
void optimise_module(llvm::Module& m, llvm::TargetMachine* tm, Pipeline pipeline = Pipeline::full);

}  // namespace kijun::jit
