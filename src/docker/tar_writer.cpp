// SPDX-License-Identifier: Apache-2.0
#include "docker/tar_writer.hpp"

#include <syntask/error.hpp>

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <memory>
#include <unistd.h>
#include <vector>

namespace syntask::docker {

namespace {

constexpr std::size_t k_chunk = 64 * 1024;

std::string system_reason()
{
  return std::strerror(errno);
}

using EntryPointer = std::unique_ptr<archive_entry, void (*)(archive_entry*)>;

// Owners 0:0 and no link counts or device numbers: an entry means the same on any machine.
void stand_alone(archive_entry* entry)
{
  archive_entry_set_uid(entry, 0);
  archive_entry_set_gid(entry, 0);
  archive_entry_set_uname(entry, "");
  archive_entry_set_gname(entry, "");
  archive_entry_set_nlink(entry, 1);
  archive_entry_set_ino(entry, 0);
  archive_entry_set_dev(entry, 0);
}

// An entry of this type and mode that exists only in the archive.
EntryPointer new_entry(const std::string& name, unsigned type, unsigned mode, std::size_t size)
{
  EntryPointer entry(archive_entry_new(), archive_entry_free);
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), type);
  archive_entry_set_perm(entry.get(), mode);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  stand_alone(entry.get());
  return entry;
}

} // namespace

// The caller's sink. An exception thrown by the sink cannot cross libarchive's C frames, so it is
// parked here and rethrown once libarchive has returned.
struct TarWriter::SinkState {
  const Sink* write = nullptr;
  std::exception_ptr failure;
};

namespace {

la_ssize_t write_callback(struct archive*, void* data, const void* buffer, size_t length)
{
  auto* sink = static_cast<TarWriter::SinkState*>(data);
  if (sink->failure) {
    return -1;
  }
  try {
    const auto* bytes = static_cast<const char*>(buffer);
    for (std::size_t done = 0; done < length; done += k_chunk) {
      (*sink->write)(std::string_view(bytes + done, std::min(k_chunk, length - done)));
    }
  } catch (...) {
    sink->failure = std::current_exception();
    return -1;
  }
  return static_cast<la_ssize_t>(length);
}

} // namespace

TarWriter::TarWriter(const Sink& write, std::string what)
    : m_what(std::move(what)), m_sink(new SinkState{&write, nullptr}), m_archive(archive_write_new()),
      m_buffer(k_chunk)
{
  if (m_archive == nullptr) {
    delete m_sink;
    throw FileError("cannot create " + m_what);
  }
  // pax only where ustar cannot hold a name or size; 10 KiB blocks, the last one not padded.
  archive_write_set_format_pax_restricted(m_archive);
  archive_write_set_bytes_per_block(m_archive, 10240);
  archive_write_set_bytes_in_last_block(m_archive, 1);
  if (archive_write_open(m_archive, m_sink, nullptr, write_callback, nullptr) < ARCHIVE_WARN) {
    const std::string reason = archive_error_string(m_archive) ? archive_error_string(m_archive) : "unknown";
    archive_write_free(m_archive);
    delete m_sink;
    throw FileError("cannot open " + m_what + ": " + reason);
  }
}

TarWriter::~TarWriter()
{
  archive_write_free(m_archive);
  delete m_sink;
}

void TarWriter::add(const std::filesystem::path& file, const std::string& name, const struct stat& info)
{
  EntryPointer entry(archive_entry_new(), archive_entry_free);
  archive_entry_copy_stat(entry.get(), &info);
  archive_entry_set_pathname(entry.get(), name.c_str());
  stand_alone(entry.get());
  int fd = -1;
  if (S_ISLNK(info.st_mode)) {
    std::error_code error;
    const auto target = std::filesystem::read_symlink(file, error);
    if (error) {
      throw FileError("cannot read the link '" + file.string() + "': " + error.message());
    }
    archive_entry_set_symlink(entry.get(), target.c_str());
    archive_entry_set_size(entry.get(), 0);
  } else if (S_ISDIR(info.st_mode)) {
    archive_entry_set_size(entry.get(), 0);
  } else {
    fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      throw FileError("cannot read '" + file.string() + "': " + system_reason());
    }
  }
  struct FdCloser {
    int fd;
    ~FdCloser()
    {
      if (fd >= 0) {
        ::close(fd);
      }
    }
  } closer{fd};
  check(archive_write_header(m_archive, entry.get()), "write '" + name + "' to");
  if (fd < 0) {
    return;
  }
  // The header promised st_size bytes: a file that grows is cut there, one that shrinks is an error.
  auto left = static_cast<std::uint64_t>(info.st_size);
  while (left > 0) {
    const ssize_t got = ::read(fd, m_buffer.data(), std::min<std::uint64_t>(m_buffer.size(), left));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      throw FileError("cannot read '" + file.string() + "': " + system_reason());
    }
    if (got == 0) {
      throw FileError("cannot read '" + file.string() + "': it shrank while being read");
    }
    // libarchive may report a failed sink late (it buffers), so the sink's own record is checked too.
    if (archive_write_data(m_archive, m_buffer.data(), static_cast<size_t>(got)) < 0 || m_sink->failure) {
      check(ARCHIVE_FATAL, "write '" + name + "' to");
    }
    left -= static_cast<std::uint64_t>(got);
  }
  m_files += 1;
  m_bytes += static_cast<std::uint64_t>(info.st_size);
}

void TarWriter::add_directory(const std::string& name, unsigned mode)
{
  const auto entry = new_entry(name, AE_IFDIR, mode, 0);
  check(archive_write_header(m_archive, entry.get()), "write '" + name + "' to");
}

void TarWriter::add_data(const std::string& name, std::string_view content, unsigned mode)
{
  const auto entry = new_entry(name, AE_IFREG, mode, content.size());
  check(archive_write_header(m_archive, entry.get()), "write '" + name + "' to");
  if (!content.empty() &&
      (archive_write_data(m_archive, content.data(), content.size()) < 0 || m_sink->failure)) {
    check(ARCHIVE_FATAL, "write '" + name + "' to");
  }
  m_files += 1;
  m_bytes += content.size();
}

void TarWriter::finish()
{
  check(archive_write_close(m_archive), "finish");
}

void TarWriter::check(int status, const std::string& action)
{
  if (m_sink->failure) {
    // It stays recorded: the close in the destructor must not call the sink again.
    std::rethrow_exception(m_sink->failure);
  }
  if (status < ARCHIVE_WARN) {
    const char* reason = archive_error_string(m_archive);
    throw FileError("cannot " + action + " " + m_what + ": " + (reason ? reason : "unknown error"));
  }
}

namespace {

void write_folder(TarWriter& writer, const std::filesystem::path& dir, const std::string& prefix,
                  const TreeFilter& filter)
{
  std::vector<std::string> names;
  std::error_code error;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    names.push_back(it->path().filename().string());
  }
  if (error) {
    throw FileError("cannot read the folder '" + dir.string() + "': " + error.message());
  }
  // Byte order, as the engine's walker: the same tree always gives the same tar.
  std::sort(names.begin(), names.end());
  for (const auto& base : names) {
    const auto path = dir / base;
    const auto name = prefix + base;
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
      throw FileError("cannot read '" + path.string() + "': " + system_reason());
    }
    const bool is_dir = S_ISDIR(info.st_mode);
    if (!is_dir && !S_ISREG(info.st_mode) && !S_ISLNK(info.st_mode)) {
      continue;
    }
    const auto choice = filter(name, is_dir);
    if (choice.write) {
      writer.add(path, name, info);
    }
    if (is_dir && choice.descend) {
      write_folder(writer, path, name + "/", filter);
    }
  }
}

} // namespace

void write_tree(TarWriter& writer, const std::filesystem::path& root, const TreeFilter& filter)
{
  write_folder(writer, root, "", filter);
}

} // namespace syntask::docker
