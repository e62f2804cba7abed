#include "runtime/plugin.hpp"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>

#include "compiler/ir/image.hpp"
#include "compiler/ir/isa.hpp"
#include "compiler/ir/seal.hpp"
#include "dsl/support/hash.hpp"
#include "runtime/toolchain.hpp"

namespace kijun::runtime {

namespace fs = std::filesystem;

Plugin::~Plugin() {
  if (handle_) dlclose(handle_);
  if (fd_ >= 0) close(fd_);
}

bool Plugin::read_deferred(std::string& error) {
  std::call_once(deferred_once_, [&] {
    if (!ir::read_deferred(deferred_, rs_, deferred_error_)) deferred_error_ = path_ + ": corrupt plugin: " + deferred_error_;
  });
  error = deferred_error_;
  return error.empty();
}

bool looks_like_plugin(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

namespace {

// Whether the plugin's code runs on this machine; when not, why. A plugin records the
// instruction-set extensions its CPU has; one built before they were recorded runs here if
// it was built for a portable baseline, or for this very CPU (which only a runtime with a
// compiler can name).
std::string runs_here(const seal::Manifest& manifest) {
  if (manifest.has_isa) {
    auto lacking = isa::missing(manifest.isa);
    if (lacking.empty()) return "";
    std::string names;
    for (auto& n : lacking) names += (names.empty() ? "" : ", ") + n;
    return "it needs " + names + ", which this machine lacks";
  }
  const auto& target = manifest.target;
  auto space = target.rfind(' ');
  std::string cpu = space == std::string::npos ? target : target.substr(space + 1);
  if (cpu == "x86-64" || cpu == "x86-64-v2" || cpu == "generic") return "";
  if (toolchain().host_description) {
    auto host = toolchain().host_description();
    if (host.substr(host.rfind(' ') + 1) == cpu) return "";
    return "this machine is " + host;
  }
  return "it does not say which instruction-set extensions it needs";
}

constexpr std::uintmax_t max_plugin_bytes = std::uintmax_t{1} << 30;

// The plugin file copied into an in-memory file, sealed against any change before a byte
// of it is checked, and mapped read-only: the bytes whose seal is checked are the bytes the
// loader maps, whatever happens to the file on disk meanwhile, and nobody (not even another
// process of the same user, through /proc) can change them in between. The kernel copies
// (sendfile); nothing passes through a buffer of ours. The memfd stays open while the
// library is loaded (Plugin::fd_): the loader knows a library by its path, and a closed
// descriptor's number, and so its path, would be given to the next one.
class SealedCopy {
public:
  ~SealedCopy() {
    if (map_) munmap(map_, size_);
    if (fd_ >= 0) close(fd_);
  }
  bool make(const std::string& path, std::string& error);
  std::string_view bytes() const { return {static_cast<const char*>(map_), map_ ? size_ : 0}; }
  // The descriptor, for the Plugin to keep.
  int release() { return std::exchange(fd_, -1); }
  int fd() const { return fd_; }

private:
  int fd_ = -1;
  void* map_ = nullptr;
  std::size_t size_ = 0;
};

bool SealedCopy::make(const std::string& path, std::string& error) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return error = path + ": no such plugin file", false;
  // Non-blocking, and a regular file by what was opened: a name swapped for a FIFO since
  // the test above cannot hang the caller.
  int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat st {};
  if (in < 0 || fstat(in, &st) != 0) {
    error = path + ": cannot read it: " + std::strerror(errno);
    if (in >= 0) close(in);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    close(in);
    return error = path + ": no such plugin file", false;
  }
  size_ = static_cast<std::size_t>(st.st_size);
  if (static_cast<std::uintmax_t>(st.st_size) > max_plugin_bytes) {
    close(in);
    return error = path + ": larger than a plugin can be (" + std::to_string(max_plugin_bytes >> 20) + " MiB)", false;
  }
  fd_ = memfd_create("kijun-plugin", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd_ < 0) {
    close(in);
    return error = path + ": cannot create an in-memory copy of it: " + std::strerror(errno), false;
  }
  std::size_t done = 0;
  int failure = 0;
  while (done < size_) {
    auto n = sendfile(fd_, in, nullptr, size_ - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failure = n < 0 ? errno : 0;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  close(in);
  if (done != size_) {
    error = path + (failure ? ": cannot copy it into memory: " + std::string(std::strerror(failure))
                            : ": the file changed while it was being read");
    return false;
  }
  if (fcntl(fd_, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0)
    return error = path + ": cannot seal its in-memory copy: " + std::strerror(errno), false;
  if (size_ == 0) return true;  // nothing to map; the seal check refuses it
  map_ = mmap(nullptr, size_, PROT_READ, MAP_SHARED | MAP_POPULATE, fd_, 0);
  if (map_ == MAP_FAILED) {
    map_ = nullptr;
    return error = path + ": cannot map its in-memory copy: " + std::strerror(errno), false;
  }
  return true;
}

// Does every segment the loader maps lie within the library, before the seal's manifest
// and trailer? (The copy holds the whole file; the loader must read only checked code.)
bool segments_within(std::string_view library) {
  Elf64_Ehdr eh;
  if (library.size() < sizeof eh) return false;
  std::memcpy(&eh, library.data(), sizeof eh);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > library.size() ||
      eh.e_phnum > (library.size() - eh.e_phoff) / sizeof(Elf64_Phdr))
    return false;
  for (std::size_t i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    std::memcpy(&ph, library.data() + eh.e_phoff + i * sizeof ph, sizeof ph);
    if (ph.p_type == PT_LOAD && (ph.p_offset > library.size() || ph.p_filesz > library.size() - ph.p_offset)) return false;
  }
  return true;
}

// Loads the library from the sealed copy, whose seal has been checked.
void* load_verified(const SealedCopy& copy, std::string_view library, std::string& error) {
  if (!segments_within(library)) {
    error = "not a loadable plugin (its segments reach beyond its code)";
    return nullptr;
  }
  std::string name = "/proc/self/fd/" + std::to_string(copy.fd());
  void* handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) error = std::string("not a loadable plugin (") + dlerror() + ")";
  return handle;
}

}  // namespace

std::unique_ptr<Plugin> Plugin::open(const std::string& path, std::string& error, const TrustPolicy& trust) {
  std::string why;
  SealedCopy copy;
  if (!copy.make(path, error)) return nullptr;
  std::string_view library;
  seal::Manifest manifest;
  std::optional<keys::PublicKey> signer;
  if (seal::check(copy.bytes(), library, manifest, why, &signer) != seal::Problem::none) {
    error = path + ": not a usable plugin: " + why;
    return nullptr;
  }
  // Whether it may run at all comes before what it says it is.
  if (auto refused = refusal(trust, signer); !refused.empty()) {
    error = path + ": not a trusted plugin: " + refused;
    return nullptr;
  }
  if (manifest.abi != KIJUN_PLUGIN_ABI_VERSION) {
    error = path + ": built for plugin ABI " + std::to_string(manifest.abi) + "; this kijun reads ABI " +
            std::to_string(KIJUN_PLUGIN_ABI_VERSION) + ". Rebuild it with `kijun build`.";
    return nullptr;
  }
  if (auto elsewhere = runs_here(manifest); !elsewhere.empty()) {
    error = path + ": built for " + manifest.target + ", and " + elsewhere +
            ". Rebuild it here, or with `kijun build --cpu x86-64-v2` for any x86-64.";
    return nullptr;
  }
  std::unique_ptr<Plugin> p(new Plugin());
  p->handle_ = load_verified(copy, library, why);
  if (p->handle_) p->fd_ = copy.release();
  if (!p->handle_) {
    error = path + ": " + why;
    return nullptr;
  }
  auto entry = reinterpret_cast<kijun_plugin_entry_fn>(dlsym(p->handle_, KIJUN_PLUGIN_ENTRY));
  const kijun_plugin* d = entry ? entry() : nullptr;
  if (!d) {
    error = path + ": a shared library, but not a kijun plugin (no " KIJUN_PLUGIN_ENTRY ")";
    return nullptr;
  }
  if (d->abi_version != KIJUN_PLUGIN_ABI_VERSION) {
    error = path + ": built for plugin ABI " + std::to_string(d->abi_version) + "; this kijun reads ABI " +
            std::to_string(KIJUN_PLUGIN_ABI_VERSION) + ". Rebuild it with `kijun build`.";
    return nullptr;
  }
  why.clear();
  if (!d->image ||
      !ir::read_image({reinterpret_cast<const char*>(d->image), d->image_size}, p->rs_, p->sources_, why, &p->deferred_)) {
    error = path + ": corrupt plugin: " + why;
    return nullptr;
  }
  // The code must be what its seal says it is.
  if (d->abi_version != manifest.abi || !d->programme || manifest.programme != d->programme ||
      d->fiscal_year != manifest.fiscal_year || !d->content_hash || manifest.content_hash != d->content_hash ||
      !d->target || manifest.target != d->target) {
    error = path + ": corrupt plugin: its code does not match its seal";
    return nullptr;
  }
  p->hash_ = d->content_hash ? d->content_hash : "";
  auto actual = dsl::content_hash(p->sources_);
  if (actual != p->hash_) {
    error = path + ": content hash mismatch: the plugin records " + p->hash_ + " but its sources hash to " + actual +
            ". It has been altered or damaged; rebuild it from the ruleset.";
    return nullptr;
  }
  if (d->frame_count != p->rs_.frames.size()) {
    error = path + ": corrupt plugin: " + std::to_string(d->frame_count) + " frames in the code, " +
            std::to_string(p->rs_.frames.size()) + " in the image";
    return nullptr;
  }
  for (std::uint32_t f = 0; f < d->frame_count; ++f) {
    if (!d->frames[f] || !d->frame_names[f] || p->rs_.frames[f].name != d->frame_names[f]) {
      error = path + ": corrupt plugin: frame " + std::to_string(f) + " does not match its image";
      return nullptr;
    }
    p->frames_.push_back(d->frames[f]);
  }
  p->target_ = d->target ? d->target : "";
  p->path_ = path;
  p->signer_ = signer;
  if (d->extension_count != p->rs_.functions.size() || (d->extension_count && !d->extension_table)) {
    error = path + ": corrupt plugin: its table of extension functions does not match its image";
    return nullptr;
  }
  p->extension_table_ = d->extension_table;
  return p;
}

std::vector<std::string> split_search_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto colon = path.find(':', start);
    auto part = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!part.empty()) out.push_back(part);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return out;
}

PluginRegistry::PluginRegistry(const std::vector<std::string>& directories) {
  // What each plugin is comes from its seal: nothing on the path is loaded to find out.
  for (auto& dir : directories) {
    std::error_code ec;
    std::vector<std::string> files;
    for (auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".kjp") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (auto& file : files) {
      std::string why;
      std::string_view library;
      seal::Manifest m;
      SealedCopy copy;
      if (!copy.make(file, why)) unreadable_.push_back(why);
      else if (seal::check(copy.bytes(), library, m, why) != seal::Problem::none) unreadable_.push_back(file + ": " + why);
      else entries_.push_back({file, m.programme, m.fiscal_year});
    }
  }
}

std::unique_ptr<Plugin> PluginRegistry::open(const std::string& programme, std::int64_t fiscal_year, std::string& error,
                                             const TrustPolicy& trust) const {
  std::vector<const PluginEntry*> found;
  for (auto& e : entries_)
    if (e.programme == programme && e.fiscal_year == fiscal_year) found.push_back(&e);
  if (found.size() > 1) {
    error = "two plugins for " + programme + " " + std::to_string(fiscal_year) + " on the plugin search path: " +
            found[0]->path + " and " + found[1]->path + "; remove one";
    return nullptr;
  }
  if (found.size() == 1) return Plugin::open(found[0]->path, error, trust);
  error = "no plugin for " + programme + " " + std::to_string(fiscal_year) + " on the plugin search path";
  if (!unreadable_.empty())
    error += " (" + std::to_string(unreadable_.size()) + " file" + (unreadable_.size() == 1 ? "" : "s") +
             " there could not be read: " + unreadable_.front() + (unreadable_.size() > 1 ? "; …" : "") + ")";
  return nullptr;
}

}  // namespace kijun::runtime
