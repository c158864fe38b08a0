// SPDX-License-Identifier: Apache-2.0
#include <syntask/docker/build_context.hpp>
#include <syntask/error.hpp>

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace syntask::docker {

namespace {

constexpr std::size_t k_chunk = 64 * 1024;

std::string system_reason()
{
  return std::strerror(errno);
}

// The archive and the caller's sink. An exception thrown by the sink cannot cross libarchive's C
// frames, so it is parked here and rethrown once libarchive has returned.
struct Sink {
  const std::function<void(std::string_view)>* write = nullptr;
  std::exception_ptr failure;
};

la_ssize_t write_callback(struct archive*, void* data, const void* buffer, size_t length)
{
  auto* sink = static_cast<Sink*>(data);
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

class Writer {
public:
  Writer(const std::function<void(std::string_view)>& write) : m_archive(archive_write_new())
  {
    m_sink.write = &write;
    if (m_archive == nullptr) {
      throw FileError("cannot create the build context archive");
    }
    // pax only where ustar cannot hold a name or size; 10 KiB blocks, the last one not padded.
    archive_write_set_format_pax_restricted(m_archive);
    archive_write_set_bytes_per_block(m_archive, 10240);
    archive_write_set_bytes_in_last_block(m_archive, 1);
    check(archive_write_open(m_archive, &m_sink, nullptr, write_callback, nullptr), "open");
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  ~Writer() { archive_write_free(m_archive); }

  void add(const std::filesystem::path& file, const std::string& name, const struct stat& info,
           BuildContextSummary& summary)
  {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(), archive_entry_free);
    archive_entry_copy_stat(entry.get(), &info);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_uid(entry.get(), 0);
    archive_entry_set_gid(entry.get(), 0);
    archive_entry_set_uname(entry.get(), "");
    archive_entry_set_gname(entry.get(), "");
    // Hard links and device numbers mean nothing inside an image build: every entry stands alone.
    archive_entry_set_nlink(entry.get(), 1);
    archive_entry_set_ino(entry.get(), 0);
    archive_entry_set_dev(entry.get(), 0);
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
      if (archive_write_data(m_archive, m_buffer.data(), static_cast<size_t>(got)) < 0 || m_sink.failure) {
        check(ARCHIVE_FATAL, "write '" + name + "' to");
      }
      left -= static_cast<std::uint64_t>(got);
    }
    summary.files += 1;
    summary.bytes += static_cast<std::uint64_t>(info.st_size);
  }

  void finish() { check(archive_write_close(m_archive), "finish"); }

private:
  void check(int status, const std::string& what)
  {
    if (m_sink.failure) {
      // It stays recorded: the close in the destructor must not call the sink again.
      std::rethrow_exception(m_sink.failure);
    }
    if (status < ARCHIVE_WARN) {
      const char* reason = archive_error_string(m_archive);
      throw FileError("cannot " + what + " the build context: " + (reason ? reason : "unknown error"));
    }
  }

  Sink m_sink;
  struct archive* m_archive;
  // One read buffer for all files: a context of many small files would otherwise allocate and clear
  // 64 KiB for each of them.
  std::vector<char> m_buffer = std::vector<char>(k_chunk);
};

struct Walk {
  const std::filesystem::path& root;
  const DockerIgnore& ignore;
  std::vector<std::string> always; // the Dockerfile and .dockerignore, relative to root
  Writer& writer;
  BuildContextSummary summary{};

  bool forced(const std::string& name) const
  {
    return std::find(always.begin(), always.end(), name) != always.end();
  }

  // A file the engine always wants lies below `name`, so an excluded `name` is still entered.
  bool holds_forced(const std::string& name) const
  {
    const std::string prefix = name + "/";
    return std::any_of(always.begin(), always.end(),
                       [&](const std::string& item) { return item.compare(0, prefix.size(), prefix) == 0; });
  }

  void directory(const std::filesystem::path& dir, const std::string& prefix)
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
    for (const auto& name : names) {
      entry(dir / name, prefix + name);
    }
  }

  void entry(const std::filesystem::path& path, const std::string& name)
  {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
      throw FileError("cannot read '" + path.string() + "': " + system_reason());
    }
    const bool is_dir = S_ISDIR(info.st_mode);
    if (!is_dir && !S_ISREG(info.st_mode) && !S_ISLNK(info.st_mode)) {
      return; // sockets, pipes and devices have no place in a build context
    }
    if (!forced(name) && ignore.excludes(name)) {
      // The engine enters an excluded folder only for what a '!' pattern may bring back, and writes no
      // entry for the folder itself.
      if (is_dir && (ignore.may_reinclude_below(name) || holds_forced(name))) {
        directory(path, name + "/");
      }
      return;
    }
    writer.add(path, name, info, summary);
    if (is_dir) {
      directory(path, name + "/");
    }
  }
};

std::string clean_relative(const std::string& path)
{
  return std::filesystem::path(path).lexically_normal().generic_string();
}

} // namespace

BuildContextSummary stream_build_context(const std::filesystem::path& root, const std::string& dockerfile,
                                         const std::function<void(std::string_view)>& write)
{
  std::error_code error;
  if (!std::filesystem::is_directory(root, error)) {
    throw FileError("the build context '" + root.string() + "' is not a folder");
  }
  const DockerIgnore ignore = DockerIgnore::load(root / ".dockerignore");
  Writer writer(write);
  Walk walk{root, ignore, {".dockerignore", clean_relative(dockerfile)}, writer};
  walk.directory(root, "");
  writer.finish();
  return walk.summary;
}

} // namespace syntask::docker
