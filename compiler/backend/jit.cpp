#include "compiler/backend/jit.hpp"

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectTransformLayer.h>
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

#include <unistd.h>

#include <atomic>
#include <cstring>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "compiler/backend/codegen.hpp"
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

std::string message(llvm::Error e) { return llvm::toString(std::move(e)); }

std::string module_text(const llvm::Module& m) {
  std::string text;
  llvm::raw_string_ostream os(text);
  m.print(os, nullptr);
  return os.str();
}

// A cached object is stored with the SHA-256 of its bytes and a marker after them, so a
// damaged or truncated file is recognised, compiled again and replaced, never run.
constexpr char cache_marker[8] = {'K', 'I', 'J', 'U', 'N', 'O', 'B', 'J'};
constexpr std::size_t cache_suffix = 32 + sizeof cache_marker;

std::string raw_sha256(llvm::StringRef bytes) {
  dsl::Sha256 sha;  // the one SHA-256 of kijun (dsl/support/hash.hpp)
  sha.update({bytes.data(), bytes.size()});
  auto digest = sha.digest();
  return std::string(digest.begin(), digest.end());
}

// Writes via a temporary file of its own (concurrent writers never share one) and a rename,
// so a reader never sees half an object; a failed write leaves nothing behind.
void store(const std::string& path, llvm::StringRef bytes, const LogFn& log) {
  static std::atomic<std::uint64_t> serial{0};
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::string temp = path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(serial++);
  {
    std::ofstream out(temp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out << raw_sha256(bytes);
    out.write(cache_marker, sizeof cache_marker);
    out.flush();
    if (!out) {
      std::filesystem::remove(temp, ec);
      if (log) log(LogLevel::warn, "jit cache: cannot write " + temp + "; compiled code is not cached");
      return;
    }
  }
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    if (log) log(LogLevel::warn, "jit cache: cannot store " + path + "; compiled code is not cached");
  }
}

// The cached object at `path` if it is whole and matches its digest; a damaged one is
// removed (with a warning) so that it is compiled again and replaced.
std::unique_ptr<llvm::MemoryBuffer> load_cached(const std::string& path, const LogFn& log) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return nullptr;
  auto file = llvm::MemoryBuffer::getFile(path);
  if (!file) return nullptr;
  llvm::StringRef bytes = (*file)->getBuffer();
  bool whole = bytes.size() > cache_suffix &&
               std::memcmp(bytes.data() + bytes.size() - sizeof cache_marker, cache_marker, sizeof cache_marker) == 0;
  llvm::StringRef object = whole ? bytes.drop_back(cache_suffix) : llvm::StringRef();
  if (!whole || raw_sha256(object) != bytes.substr(object.size(), 32).str()) {
    if (log) log(LogLevel::warn, "jit cache: " + path + " is damaged; compiling again");
    std::filesystem::remove(path, ec);
    return nullptr;
  }
  return llvm::MemoryBuffer::getMemBufferCopy(object, path);
}

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
  if (opt_level > 0) optimise_module(*module, tm->get(), is_large(*module) ? Pipeline::quick : Pipeline::full);
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, nullptr);
  return os.str();
}

std::unique_ptr<CompiledRuleset> CompiledRuleset::compile(const ir::Ruleset& rs, const JitOptions& options, std::string& error) {
  initialise_llvm();
  auto start = std::chrono::steady_clock::now();
  // The module first: its size decides how it is compiled (codegen.hpp, is_large).
  auto ctx = std::make_unique<llvm::LLVMContext>();
  auto module = emit_module(rs, *ctx, rs.programme + "-" + std::to_string(rs.fiscal_year), error);
  if (!module) return nullptr;
  bool quick = is_large(*module);
  auto jtmb = orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) {
    error = message(jtmb.takeError());
    return nullptr;
  }
  jtmb->setCodeGenOptLevel(options.opt_level == 0 || quick ? llvm::CodeGenOptLevel::None : llvm::CodeGenOptLevel::Default);
  auto jit = orc::LLJITBuilder().setJITTargetMachineBuilder(*jtmb).create();
  if (!jit) {
    error = message(jit.takeError());
    return nullptr;
  }
  if (options.opt_level > 0) {
    auto builder = *jtmb;  // createTargetMachine() is not const: one TargetMachine per compile
    auto pipeline = quick ? Pipeline::quick : Pipeline::full;
    (*jit)->getIRTransformLayer().setTransform(
        [builder, pipeline](orc::ThreadSafeModule tsm, const orc::MaterializationResponsibility&) mutable
        -> llvm::Expected<orc::ThreadSafeModule> {
          auto tm = builder.createTargetMachine();
          if (!tm) return tm.takeError();
          tsm.withModuleDo([&](llvm::Module& m) { optimise_module(m, tm->get(), pipeline); });
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
  // Extension functions are called through the host's table.
  static const kijun_ext_fn no_functions[1] = {nullptr};
  if (!rs.functions.empty())
    add(extension_table_symbol, const_cast<void*>(static_cast<const void*>(
                                    options.extension_table ? options.extension_table : no_functions)));
  if (auto e = main.define(orc::absoluteSymbols(std::move(helpers)))) {
    error = message(std::move(e));
    return nullptr;
  }

  module->setDataLayout((*jit)->getDataLayout());
  module->setTargetTriple((*jit)->getTargetTriple().str());
  std::unique_ptr<CompiledRuleset> out(new CompiledRuleset());
  std::string cached;
  if (!options.cache_dir.empty()) {
    std::string key = dsl::sha256_hex(module_text(*module) + '\0' + (*jit)->getTargetTriple().str() + '\0' + jtmb->getCPU() +
                                 '\0' + jtmb->getFeatures().getString() + '\0' + std::to_string(options.opt_level) + '\0' +
                                 LLVM_VERSION_STRING + "\0cache entry 2: object, sha256, marker");
    cached = options.cache_dir + "/" + key + ".o";
  }
  std::unique_ptr<llvm::MemoryBuffer> object;
  if (!cached.empty()) object = load_cached(cached, options.log);
  if (object) {
    if (auto e = (*jit)->addObjectFile(std::move(object))) {
      error = message(std::move(e));
      return nullptr;
    }
    out->from_cache_ = true;
  } else {
    if (!cached.empty()) {
      LogFn log = options.log;
      (*jit)->getObjTransformLayer().setTransform(
          [cached, log](std::unique_ptr<llvm::MemoryBuffer> obj) -> llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> {
            store(cached, obj->getBuffer(), log);
            return obj;
          });
    }
    if (auto e = (*jit)->addIRModule(orc::ThreadSafeModule(std::move(module), std::move(ctx)))) {
      error = message(std::move(e));
      return nullptr;
    }
  }
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
  if (options.log)
    options.log(LogLevel::debug, std::string(out->from_cache_ ? "jit: loaded from cache in " : "jit: compiled in ") +
                                     std::to_string(out->compile_ms_) + " ms");
  return out;
}

}  // namespace kijun::jit
