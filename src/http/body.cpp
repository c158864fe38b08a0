// SPDX-License-Identifier: Apache-2.0
// Request and response bodies backed by memory and files.
#include <syntask/error.hpp>
#include <syntask/http/client.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace syntask::http {

namespace {

std::string describe_errno(const char* action, const std::filesystem::path& file)
{
  return std::string(action) + " " + file.string() + ": " + std::strerror(errno);
}

} // namespace

std::size_t StringSource::read(char* buffer, std::size_t capacity)
{
  const std::size_t count = std::min(capacity, m_data.size() - m_offset);
  std::memcpy(buffer, m_data.data() + m_offset, count);
  m_offset += count;
  return count;
}

FileSource::FileSource(std::filesystem::path file, std::uint64_t offset, std::uint64_t length)
    : m_file(std::move(file)), m_offset(offset), m_length(length)
{
}

FileSource::FileSource(const std::filesystem::path& file) : m_file(file), m_offset(0), m_length(0)
{
  std::error_code error;
  m_length = std::filesystem::file_size(file, error);
  if (error) {
    throw FileError("cannot read " + file.string() + ": " + error.message());
  }
}

FileSource::~FileSource()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

std::size_t FileSource::read(char* buffer, std::size_t capacity)
{
  if (m_fd < 0) {
    m_fd = ::open(m_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
      throw FileError(describe_errno("cannot read", m_file));
    }
  }
  const std::uint64_t wanted = std::min<std::uint64_t>(capacity, m_length - m_done);
  std::size_t filled = 0;
  while (filled < wanted) {
    const ssize_t got =
        ::pread(m_fd, buffer + filled, wanted - filled, static_cast<off_t>(m_offset + m_done + filled));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      throw FileError(describe_errno("cannot read", m_file));
    }
    if (got == 0) {
      // The file shrank under us: sending fewer bytes than announced would corrupt the object.
      throw FileError("cannot read " + m_file.string() + ": the file changed size while being sent");
    }
    filled += static_cast<std::size_t>(got);
  }
  m_done += filled;
  return filled;
}

void FileSource::rewind()
{
  m_done = 0;
}

FileSink::FileSink(std::filesystem::path file) : m_file(std::move(file)) {}

FileSink::~FileSink()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

void FileSink::write(std::string_view data)
{
  if (m_fd < 0) {
    m_fd = ::open(m_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (m_fd < 0) {
      throw FileError(describe_errno("cannot write", m_file));
    }
  }
  while (!data.empty()) {
    const ssize_t put = ::write(m_fd, data.data(), data.size());
    if (put < 0 && errno == EINTR) {
      continue;
    }
    if (put < 0) {
      throw FileError(describe_errno("cannot write", m_file));
    }
    data.remove_prefix(static_cast<std::size_t>(put));
  }
}

void FileSink::reset()
{
  if (m_fd >= 0 && (::ftruncate(m_fd, 0) != 0 || ::lseek(m_fd, 0, SEEK_SET) != 0)) {
    throw FileError(describe_errno("cannot write", m_file));
  }
}

void FileSink::close()
{
  if (m_fd < 0) {
    write({}); // an empty body still makes an (empty) file
  }
  const int fd = m_fd;
  m_fd = -1;
  if (::close(fd) != 0) {
    throw FileError(describe_errno("cannot write", m_file));
  }
}

} // namespace syntask::http
