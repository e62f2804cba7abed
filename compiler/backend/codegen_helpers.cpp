// The helpers every emitted module starts from (compiler/backend/helpers.cpp, compiled to
// bitcode by clang at build time and embedded here), and the emitter's calls to them.
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>

#include "compiler/backend/codegen_emitter.hpp"

namespace kijun::jit::detail {

using llvm::Value;

extern const unsigned char helpers_bitcode[];
extern const std::size_t helpers_bitcode_size;

namespace {

// What the emitter calls, with the types it calls them with: a helpers module that does
// not provide them (a changed helpers.cpp) is refused here, not by the verifier later.
bool provides(llvm::Module& m, const char* name, llvm::FunctionType* want) {
  llvm::Function* f = m.getFunction(name);
  return f && !f->isDeclaration() && f->getFunctionType() == want;
}

}  // namespace

std::unique_ptr<llvm::Module> helpers_module(llvm::LLVMContext& ctx, const std::string& name, std::string& error) {
  llvm::StringRef bytes(reinterpret_cast<const char*>(helpers_bitcode), helpers_bitcode_size);
  auto parsed = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bytes, "kijun-helpers"), ctx);
  if (!parsed) {
    error = "the code generator's helpers could not be read: " + llvm::toString(parsed.takeError());
    return nullptr;
  }
  std::unique_ptr<llvm::Module> m = std::move(*parsed);
  m->setModuleIdentifier(name);
  m->setSourceFileName(name);
  // How code is generated (position independence, frame pointers, the CPU and its
  // features) is the JIT's or the plugin build's to say, not clang's defaults.
  if (auto* flags = m->getModuleFlagsMetadata()) m->eraseNamedMetadata(flags);
  for (const char* named : {"llvm.ident", "llvm.linker.options"})
    if (auto* md = m->getNamedMetadata(named)) m->eraseNamedMetadata(md);
  // The kernels are C++ inline functions, which clang puts in comdats; internal here, they
  // need none. Every object leaves its comdat before the comdats themselves go.
  for (llvm::GlobalObject& g : m->global_objects()) g.setComdat(nullptr);
  m->getComdatSymbolTable().clear();
  for (llvm::Function& f : *m) {
    if (f.isDeclaration()) continue;
    f.setLinkage(llvm::GlobalValue::InternalLinkage);
    for (const char* attr : {"target-cpu", "target-features", "tune-cpu"}) f.removeFnAttr(attr);
  }
  auto* i64 = llvm::Type::getInt64Ty(ctx);
  auto* i1 = llvm::Type::getInt1Ty(ctx);
  auto* ptr = llvm::PointerType::getUnqual(ctx);
  if (!provides(*m, "kijun_add_months", llvm::FunctionType::get(i1, {i64, i64, ptr}, false)) ||
      !provides(*m, "kijun_make_rational", llvm::FunctionType::get(i1, {i64, i64, i64, i64, ptr, ptr}, false))) {
    error = "the code generator's helpers lack a function it calls";
    return nullptr;
  }
  return m;
}

// Until none is left: a helper erased may have been the only caller of another.
void drop_unused_helpers(llvm::Module& m) {
  for (bool erased = true; erased;) {
    std::vector<llvm::Function*> unused;
    for (llvm::Function& f : m)
      if (f.hasInternalLinkage() && f.use_empty()) unused.push_back(&f);
    for (llvm::Function* f : unused) f->eraseFromParent();
    erased = !unused.empty();
  }
}

// kernels::make_rational(num, den) into the two scratch slots; the i128 parts go as halves.
Value* FrameEmitter::call_make_rational(Value* num128, Value* den128) {
  auto [outn, outd] = rational_out();
  auto half = [&](Value* v, unsigned shift) { return b_.CreateTrunc(shift ? b_.CreateLShr(v, shift) : v, i64()); };
  llvm::Function* f = m_.getFunction("kijun_make_rational");
  auto* call = b_.CreateCall(f, {half(num128, 0), half(num128, 64), half(den128, 0), half(den128, 64), outn, outd});
  call->setAttributes(f->getAttributes());  // as clang declared it (a zero-extended bool)
  return call;
}

// As dsl::add_months: an out-of-range date, step or result is a fault.
CV FrameEmitter::add_months(Value* day, std::int64_t months, std::uint32_t site) {
  llvm::AllocaInst* out = rational_out().first;  // a scratch slot, read at once
  llvm::Function* f = m_.getFunction("kijun_add_months");
  auto* ok = b_.CreateCall(f, {day, c64(months), out});
  ok->setAttributes(f->getAttributes());
  fail_if(b_.CreateNot(ok), ir::EvalError::date_out_of_range, site);
  return integer(b_.CreateLoad(i64(), out));
}

}  // namespace kijun::jit::detail
