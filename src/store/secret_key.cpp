// SPDX-License-Identifier: Apache-2.0
#include "store/secret_key.hpp"

#include <syntask/error.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace syntask::store {

namespace {

std::string system_error_text(int error)
{
  return std::strerror(error);
}

std::string mode_text(mode_t mode)
{
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

/// Closes a descriptor when it goes out of scope.
class FileDescriptor {
public:
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor()
  {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  int get() const { return m_fd; }
  /// Closes now and reports whether close succeeded (a failed close can mean lost data).
  bool close()
  {
    const int fd = m_fd;
    m_fd = -1;
    return ::close(fd) == 0;
  }

private:
  int m_fd;
};

/// Reads an existing key file; nullopt when it does not exist.
std::optional<SecretKey> read_key_file(const std::filesystem::path& path)
{
  const std::string name = util::quoted(path.string());
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return std::nullopt;
    }
    throw StoreError("cannot read secret key file " + name + ": " + system_error_text(errno));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    throw StoreError("cannot read secret key file " + name + ": " + system_error_text(errno));
  }
  if (!S_ISREG(info.st_mode)) {
    throw StoreError("secret key file " + name + " is not a regular file");
  }
  // Like ssh with private keys: a key others can read or replace protects nothing, so refuse to use it.
  if ((info.st_mode & 077) != 0) {
    throw StoreError("secret key file " + name + " has mode " + mode_text(info.st_mode) +
                     "; it must be 0600 (readable and writable by its owner only)");
  }
  std::string text(256, '\0');
  std::size_t size = 0;
  while (size < text.size()) {
    const auto count = ::read(fd.get(), text.data() + size, text.size() - size);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      throw StoreError("cannot read secret key file " + name + ": " + system_error_text(errno));
    }
    if (count == 0) {
      break;
    }
    size += static_cast<std::size_t>(count);
  }
  text.resize(size);
  auto key = SecretKey::from_hex(util::trim(text));
  wipe(text);
  if (!key) {
    throw StoreError("secret key file " + name + " must hold 64 hexadecimal characters");
  }
  return key;
}

void write_all(int fd, std::string_view text, const std::string& name)
{
  while (!text.empty()) {
    const auto count = ::write(fd, text.data(), text.size());
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      throw StoreError("cannot write secret key file " + name + ": " + system_error_text(errno));
    }
    text.remove_prefix(static_cast<std::size_t>(count));
  }
}

/// Writes a new key to a private temporary file, then links it into place. link() fails rather than
/// replace an existing file, so when processes race only the first key is kept and every process
/// reads that one afterwards; nobody ever sees a partly written key.
void create_key_file(const std::filesystem::path& path)
{
  const std::string name = util::quoted(path.string());
  const auto temporary =
      path.parent_path() / (path.filename().string() + ".tmp." + std::to_string(::getpid()) + "." +
                            SecretKey::generate().to_hex().substr(0, 8));
  FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    throw StoreError("cannot create secret key file " + name + ": " + system_error_text(errno));
  }
  struct Remover {
    const std::filesystem::path& path;
    ~Remover() { ::unlink(path.c_str()); }
  } remover{temporary};

  // The umask may have dropped bits from 0600; the owner must still be able to read the key.
  if (::fchmod(fd.get(), 0600) != 0) {
    throw StoreError("cannot create secret key file " + name + ": " + system_error_text(errno));
  }
  std::string text = SecretKey::generate().to_hex() + "\n";
  write_all(fd.get(), text, name);
  wipe(text);
  if (::fsync(fd.get()) != 0 || !fd.close()) {
    throw StoreError("cannot write secret key file " + name + ": " + system_error_text(errno));
  }
  if (::link(temporary.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    throw StoreError("cannot create secret key file " + name + ": " + system_error_text(errno));
  }
}

// The key, as written and in the spelling syntask writes, is a secret like any other: never printed.
SecretKey masked(const SecretKey& key)
{
  util::Redactor::global().add_secret(key.to_hex());
  return key;
}

} // namespace

SecretKey load_secret_key(const std::filesystem::path& home)
{
  if (const auto value = util::get_env(util::k_secret_key_variable)) {
    auto key = SecretKey::from_hex(*value);
    if (!key) {
      throw StoreError(std::string(util::k_secret_key_variable) + " must hold 64 hexadecimal characters");
    }
    return masked(*key);
  }
  const auto path = home / "secret.key";
  if (auto key = read_key_file(path)) {
    return masked(*key);
  }
  create_key_file(path);
  if (auto key = read_key_file(path)) {
    return masked(*key);
  }
  throw StoreError("secret key file " + util::quoted(path.string()) + " vanished while it was being created");
}

} // namespace syntask::store
