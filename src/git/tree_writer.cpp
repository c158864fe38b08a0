// SPDX-License-Identifier: Apache-2.0
// Writing a new clone's files without libgit2's checkout: create, write, fstat and close per file,
// relative to directory descriptors opened once, on several threads because creating files is bound by
// system calls, not by the processor.
#include "git/tree_writer.hpp"

#include <syntask/util/interrupt.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace syntask::git::detail {

namespace {

constexpr std::size_t k_files_per_thread = 256; // fewer files are not worth a thread
constexpr unsigned k_max_threads = 8;

[[noreturn]] void fail_write(const std::string& path)
{
  const int error = errno;
  throw RemoteError("cannot write " + util::quoted(path) + ": " + std::strerror(error), false);
}

/// Creates directories and files under one root, keeping the chain of directories of the last file
/// open: files come in index order, so a directory's files follow each other.
class DirectoryChain {
public:
  explicit DirectoryChain(std::string root) : m_root(std::move(root))
  {
    const int fd = ::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      fail_write(m_root);
    }
    m_open.push_back({"", fd});
  }
  ~DirectoryChain()
  {
    for (const auto& directory : m_open) {
      ::close(directory.fd);
    }
  }
  DirectoryChain(const DirectoryChain&) = delete;
  DirectoryChain& operator=(const DirectoryChain&) = delete;

  /// Writes a new file (it must not exist) and returns its status after writing.
  struct stat write(const TreeFile& file, std::string_view content)
  {
    const auto slash = file.path.rfind('/');
    const int directory = slash == std::string::npos ? m_open.front().fd : open_directory(file.path, slash);
    const auto* name = file.path.c_str() + (slash == std::string::npos ? 0 : slash + 1);
    const ::mode_t mode = file.mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644;
    const int fd = ::openat(directory, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
      fail_write(m_root + "/" + file.path);
    }
    const char* data = content.data();
    auto size = content.size();
    bool written = true;
    while (size > 0) {
      const auto count = ::write(fd, data, size);
      if (count < 0 && errno == EINTR) {
        continue;
      }
      if (count <= 0) {
        written = false;
        break;
      }
      data += count;
      size -= static_cast<std::size_t>(count);
    }
    struct stat status {};
    written = written && ::fstat(fd, &status) == 0;
    const int saved = errno;
    ::close(fd);
    if (!written) {
      errno = saved;
      fail_write(m_root + "/" + file.path);
    }
    return status;
  }

private:
  struct OpenDirectory {
    std::string path;
    int fd;
  };

  static bool contains(const std::string& ancestor, std::string_view path)
  {
    return ancestor.empty() || path == ancestor ||
           (path.size() > ancestor.size() && path[ancestor.size()] == '/' &&
            util::starts_with(path, ancestor));
  }

  /// The descriptor of the directory of `file_path` (its first `length` characters), creating the
  /// directories on the way; another thread may create the same ones at the same time.
  int open_directory(const std::string& file_path, std::size_t length)
  {
    const std::string_view path(file_path.data(), length);
    while (!contains(m_open.back().path, path)) {
      ::close(m_open.back().fd);
      m_open.pop_back();
    }
    while (m_open.back().path != path) {
      const auto& parent = m_open.back();
      const auto start = parent.path.empty() ? 0 : parent.path.size() + 1;
      const auto end = std::min(path.find('/', start), path.size());
      std::string child(path.substr(0, end));
      const auto name = child.substr(start);
      if (::mkdirat(parent.fd, name.c_str(), 0755) != 0 && errno != EEXIST) {
        fail_write(m_root + "/" + child);
      }
      const int fd = ::openat(parent.fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        fail_write(m_root + "/" + child);
      }
      m_open.push_back({std::move(child), fd});
    }
    return m_open.back().fd;
  }

  std::string m_root;
  std::vector<OpenDirectory> m_open;
};

std::string_view parent_of(std::string_view path)
{
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

/// Where the files split into `parts` runs of about equal length, each run starting a new directory
/// where possible: creating a file locks its directory, so threads writing one directory would wait.
std::vector<std::size_t> split_points(const std::vector<TreeFile>& files, std::size_t parts)
{
  std::vector<std::size_t> points{0};
  for (std::size_t part = 1; part < parts; ++part) {
    const auto even = files.size() * part / parts;
    auto point = even;
    while (point < files.size() && parent_of(files[point].path) == parent_of(files[point - 1].path)) {
      ++point;
    }
    points.push_back(std::max(points.back(), point < files.size() ? point : even));
  }
  points.push_back(files.size());
  return points;
}

unsigned thread_count(std::size_t files)
{
  // The object database is safe to read from several threads only in a thread-aware libgit2.
  if ((git_libgit2_features() & GIT_FEATURE_THREADS) == 0) {
    return 1;
  }
  const auto cores = std::max(1U, std::thread::hardware_concurrency());
  return static_cast<unsigned>(
      std::clamp<std::size_t>(files / k_files_per_thread, 1, std::min(cores, k_max_threads)));
}

} // namespace

BlobContent::~BlobContent()
{
  git_odb_object_free(m_object);
}

void BlobContent::set(std::string_view content)
{
  git_odb_object_free(m_object);
  m_object = nullptr;
  m_view = content;
}

void BlobContent::set(git_odb_object* object)
{
  git_odb_object_free(m_object);
  m_object = object;
  m_view =
      std::string_view(static_cast<const char*>(git_odb_object_data(object)), git_odb_object_size(object));
}

std::vector<struct stat> write_tree_files(const std::string& root, const std::vector<TreeFile>& files,
                                          const ContentReader& read)
{
  const auto parts = thread_count(files.size());
  const auto points = split_points(files, parts);
  std::vector<struct stat> statuses(files.size());
  std::vector<std::exception_ptr> errors(parts);
  std::atomic<bool> stop{false};
  const auto run = [&](std::size_t part) {
    try {
      DirectoryChain chain(root);
      BlobContent content;
      for (auto i = points[part]; i < points[part + 1] && !stop; ++i) {
        util::throw_if_interrupted(); // Ctrl-C: the caller removes the half-written clone
        read(i, content);
        statuses[i] = chain.write(files[i], content.view());
      }
    } catch (...) {
      errors[part] = std::current_exception();
      stop = true;
    }
  };
  std::vector<std::thread> threads;
  try {
    for (std::size_t part = 1; part < parts; ++part) {
      threads.emplace_back(run, part);
    }
  } catch (...) {
    // No thread could be started: the parts without one are written here, one after the other.
  }
  for (auto part = threads.size() + 1; part < parts; ++part) {
    run(part);
  }
  run(0);
  for (auto& thread : threads) {
    thread.join();
  }
  for (const auto& error : errors) {
    if (error) {
      std::rethrow_exception(error);
    }
  }
  return statuses;
}

} // namespace syntask::git::detail
