#include "compiler/backend/aot.hpp"

#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/backend/codegen.hpp"
#include "compiler/backend/jit.hpp"
#include "compiler/ir/isa.hpp"
#include "compiler/ir/image.hpp"
#include "compiler/ir/seal.hpp"
#include "kijun/plugin.h"

namespace kijun::aot {

namespace {

std::unique_ptr<llvm::TargetMachine> target_machine(const std::string& cpu, std::string& description, std::string& error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto triple = llvm::sys::getProcessTriple();
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) return nullptr;
  if (!cpu.empty() && !known_cpu(cpu, error)) return nullptr;
  std::string features;
  std::string name = cpu;
  if (name.empty()) {
    name = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures f;
    for (auto& [feature, on] : llvm::sys::getHostCPUFeatures()) f.AddFeature(feature, on);
    features = f.getString();
  }
  description = triple + " " + name;
  llvm::TargetOptions options;
  auto* tm = target->createTargetMachine(triple, name, features, options, llvm::Reloc::PIC_, std::nullopt,
                                         llvm::CodeGenOptLevel::Default);
  if (!tm) error = "no target machine for " + description;
  return std::unique_ptr<llvm::TargetMachine>(tm);
}

}  // namespace

bool known_cpu(const std::string& cpu, std::string& error) {
  llvm::InitializeNativeTarget();
  auto triple = llvm::sys::getProcessTriple();
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) return false;
  std::unique_ptr<llvm::MCSubtargetInfo> info(target->createMCSubtargetInfo(triple, "", ""));
  if (info && info->isCPUStringValid(cpu)) return true;
  error = "`" + cpu + "` is not a CPU of " + triple +
          " (for code that runs on any x86-64 machine: x86-64, or x86-64-v2, -v3, -v4 for newer ones)";
  return false;
}

namespace {

// The descriptor of include/kijun/plugin.h and the exported function that returns it.
void add_descriptor(llvm::Module& m, const ir::Ruleset& rs, const std::string& image, const std::string& content_hash,
                    const std::string& target) {
  auto& ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  auto* ptr = b.getPtrTy();
  auto text = [&](const std::string& s, const char* name) {
    return b.CreateGlobalString(s, name, 0, &m);
  };
  std::vector<llvm::Constant*> names, fns;
  for (auto& f : rs.frames) {
    names.push_back(text(f.name, "frame.name"));
    fns.push_back(m.getFunction(jit::frame_symbol(f.name)));
  }
  auto* array_ty = llvm::ArrayType::get(ptr, rs.frames.size());
  auto* names_array = new llvm::GlobalVariable(m, array_ty, true, llvm::GlobalValue::PrivateLinkage,
                                               llvm::ConstantArray::get(array_ty, names), "frame.names");
  auto* fns_array = new llvm::GlobalVariable(m, array_ty, true, llvm::GlobalValue::PrivateLinkage,
                                             llvm::ConstantArray::get(array_ty, fns), "frame.fns");
  auto* image_data = llvm::ConstantDataArray::getRaw(image, image.size(), b.getInt8Ty());
  auto* image_global = new llvm::GlobalVariable(m, image_data->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                                image_data, "ruleset.image");
  auto* desc_ty = llvm::StructType::get(ctx, {b.getInt32Ty(), b.getInt32Ty(), ptr, ptr, ptr, b.getInt64Ty(), ptr, ptr,
                                              b.getInt64Ty(), ptr, ptr, b.getInt32Ty()});
  llvm::Constant* table = m.getGlobalVariable(jit::extension_table_symbol);
  if (!table) table = llvm::ConstantPointerNull::get(b.getPtrTy());
  auto* desc = llvm::ConstantStruct::get(
      desc_ty, {b.getInt32(KIJUN_PLUGIN_ABI_VERSION), b.getInt32(static_cast<std::uint32_t>(rs.frames.size())), names_array,
                fns_array, image_global, b.getInt64(image.size()), text(content_hash, "content.hash"),
                text(rs.programme, "programme"), b.getInt64(static_cast<std::uint64_t>(rs.fiscal_year)), text(target, "target"),
                table, b.getInt32(static_cast<std::uint32_t>(rs.functions.size()))});
  auto* desc_global = new llvm::GlobalVariable(m, desc_ty, true, llvm::GlobalValue::PrivateLinkage, desc, "descriptor");
  auto* entry = llvm::Function::Create(llvm::FunctionType::get(ptr, false), llvm::Function::ExternalLinkage,
                                       KIJUN_PLUGIN_ENTRY, m);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", entry));
  b.CreateRet(desc_global);
}

// Runs `argv` and waits; the exit status, or -1 when it could not run.
int run(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Writes `linked` with its seal (compiler/ir/seal.hpp), signed by `key` if there is one, appended
// to `path`: through a temporary file and a rename, so a failed build never leaves a file at
// `path`, whole-looking or not.
bool seal_file(const std::string& linked, const std::string& path, const seal::Manifest& manifest, const keys::SecretKey* key,
               std::string& error) {
  std::string library;
  {
    std::ifstream in(linked, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in.good() && !in.eof()) {
      error = "cannot read the linked plugin " + linked;
      return false;
    }
    library = bytes.str();
  }
  std::string sealed = path + ".sealed.tmp";
  {
    std::ofstream out(sealed, std::ios::binary | std::ios::trunc);
    out << library << seal::make(library, manifest, key);
    out.flush();
    if (!out) {
      error = "cannot write " + sealed;
      std::error_code ignored;
      std::filesystem::remove(sealed, ignored);
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(sealed, path, ec);
  if (ec) {
    error = "cannot write " + path + ": " + ec.message();
    std::filesystem::remove(sealed, ec);
    return false;
  }
  return true;
}

// The extensions of isa::features() the target machine's CPU has: what the code may use.
std::string required_isa(const llvm::TargetMachine& tm) {
  const llvm::MCSubtargetInfo* info = tm.getMCSubtargetInfo();
  std::string out;
  for (auto& f : isa::features())
    if (info->checkFeatures(std::string("+") + f.name)) out += (out.empty() ? "" : ",") + std::string(f.name);
  return out;
}

}  // namespace

bool build_plugin(const ir::Ruleset& rs, const dsl::SourceSet& sources, const std::string& content_hash,
                  const std::string& output, const BuildOptions& options, std::string& error) {
  std::string target;
  auto tm = target_machine(options.cpu, target, error);
  if (!tm) return false;
  llvm::LLVMContext ctx;
  auto module = jit::emit_module(rs, ctx, rs.programme + "-" + std::to_string(rs.fiscal_year), error, true);
  if (!module) return false;
  module->setDataLayout(tm->createDataLayout());
  module->setTargetTriple(tm->getTargetTriple().str());
  add_descriptor(*module, rs, ir::write_image(rs, sources), content_hash, target);
  jit::optimise_module(*module, tm.get());

  auto object = output + ".o.tmp";
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(object, ec, llvm::sys::fs::OF_None);
    if (ec) {
      error = "cannot write " + object + ": " + ec.message();
      return false;
    }
    llvm::legacy::PassManager pm;
    if (tm->addPassesToEmitFile(pm, out, nullptr, llvm::CodeGenFileType::ObjectFile)) {
      error = "the target cannot emit object files";
      return false;
    }
    pm.run(*module);
  }
  auto linked = output + ".so.tmp";
  int status = run({options.linker, "-shared", "-o", linked, object});
  std::error_code ignored;
  std::filesystem::remove(object, ignored);
  if (status != 0) {
    std::filesystem::remove(linked, ignored);
    error = status < 0 || status == 127 ? "cannot run the linker `" + options.linker + "`" : "linking the plugin failed";
    return false;
  }
  seal::Manifest manifest{KIJUN_PLUGIN_ABI_VERSION, rs.programme, rs.fiscal_year, content_hash, target, required_isa(*tm), true};
  bool sealed = seal_file(linked, output, manifest, options.sign, error);
  std::filesystem::remove(linked, ignored);
  if (!sealed) return false;
  if (options.log) options.log(LogLevel::info, "built " + output + " for " + target);
  return true;
}

}  // namespace kijun::aot
