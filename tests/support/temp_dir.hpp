// SPDX-License-Identifier: Apache-2.0
// A fresh directory under the system temporary directory for one test, removed with everything in it.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace syntask::test {

class TempDir {
public:
  TempDir()
  {
    std::random_device random;
    m_path = std::filesystem::temp_directory_path() /
             ("syntask-test-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
    std::filesystem::create_directories(m_path);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir()
  {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

  /// Writes `text` to the file `name` (relative; parent directories made) with the given mode.
  void write(const std::string& name, const std::string& text, unsigned mode = 0644) const
  {
    std::filesystem::create_directories((m_path / name).parent_path());
    std::ofstream(m_path / name, std::ios::binary) << text;
    ::chmod((m_path / name).c_str(), mode);
  }

private:
  std::filesystem::path m_path;
};

} // namespace syntask::test
