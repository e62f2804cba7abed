#include "compiler/backend/jit_cache.hpp"

#include <llvm/Support/MemoryBuffer.h>

#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "dsl/support/hash.hpp"

namespace kijun::jit {

namespace {

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

}  // namespace

// Via a temporary file of its own: concurrent writers never share one.
void store_object(const std::string& path, llvm::StringRef bytes, const LogFn& log) {
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

std::unique_ptr<llvm::MemoryBuffer> load_object(const std::string& path, const LogFn& log) {
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


}  // namespace kijun::jit
