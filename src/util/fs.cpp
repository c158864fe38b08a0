// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/util/fs.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace syntask::util {

std::string read_file(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw FileError("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode)
{
  std::random_device random;
  auto temporary = path;
  temporary += ".tmp-" + std::to_string(random());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    throw FileError("cannot write " + path.string() + ": " + std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const auto n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(temporary.c_str());
      throw FileError("cannot write " + path.string() + ": " + reason);
    }
    written += static_cast<std::size_t>(n);
  }
  // fchmod because open's mode is filtered by the umask and callers rely on exact modes (0600 keys).
  ::fchmod(fd, mode);
  if (::fsync(fd) != 0 || ::close(fd) != 0 || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temporary.c_str());
    throw FileError("cannot write " + path.string() + ": " + reason);
  }
}

bool stdin_is_tty()
{
  return ::isatty(STDIN_FILENO) != 0;
}

bool stdout_is_tty()
{
  return ::isatty(STDOUT_FILENO) != 0;
}

bool stderr_is_tty()
{
  return ::isatty(STDERR_FILENO) != 0;
}

std::optional<std::string> get_env(const char* name)
{
  const char* value = std::getenv(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

} // namespace syntask::util
