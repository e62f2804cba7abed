// A directory of one test program's own under the system's temporary directory: named for
// the program and its process, emptied when made, and removed with everything in it when it
// goes out of scope — whether the checks before passed or not.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace kijun::testing {

class ScratchDir {
public:
  explicit ScratchDir(const std::string& stem)
      : path_(std::filesystem::temp_directory_path() / ("kijun-" + stem + "-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;  // a destructor must not throw; a leftover directory is harmless
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

private:
  std::filesystem::path path_;
};

}  // namespace kijun::testing
