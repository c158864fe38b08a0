// SPDX-License-Identifier: Apache-2.0
// A checkout into a new directory without libgit2's per-file overhead. git_checkout_tree looks up the
// attributes of every file it writes (a realpath of the parent directory and a stat of each
// .gitattributes on the way, some twenty system calls a file), which costs more than writing the files.
// When no attribute, filter or line-ending conversion can apply, a file's content is exactly its blob,
// so the files are written directly (create, write, fstat, close) relative to directories opened once,
// and the index is built from the same stat data.
#include "git/fresh_checkout.hpp"

#include <syntask/util/strings.hpp>

#include <git2/sys/errors.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace syntask::git::detail {

namespace {

constexpr std::size_t k_files_per_thread = 256; // fewer files are not worth a thread
constexpr unsigned k_max_threads = 8;

struct TreeFile {
  std::string path; ///< repository-relative, '/'-separated
  git_oid id{};
  git_filemode_t mode = GIT_FILEMODE_BLOB;
};

struct TreeListing {
  std::vector<TreeFile> files;
  bool plain = true; ///< only regular files and directories with ordinary names
};

/// A name that is written as it is: never one that leaves its directory or enters the repository.
bool plain_name(std::string_view name)
{
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         util::to_lower(name) != ".git" && name != ".gitattributes";
}

int list_entry(const char* root, const git_tree_entry* entry, void* payload)
{
  auto& listing = *static_cast<TreeListing*>(payload);
  const std::string_view name = git_tree_entry_name(entry);
  const auto mode = git_tree_entry_filemode(entry);
  if (!plain_name(name)) {
    listing.plain = false;
    return -1;
  }
  if (mode == GIT_FILEMODE_TREE) {
    return 0;
  }
  if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
    listing.plain = false; // symbolic links and submodules
    return -1;
  }
  // A pre-order walk of git's tree order is the index's path order, so entries append in order.
  listing.files.push_back({std::string(root) + std::string(name), *git_tree_entry_id(entry), mode});
  return 0;
}

bool exists(const std::string& path)
{
  struct stat status {};
  return ::stat(path.c_str(), &status) == 0;
}

/// Attribute files outside the tree that libgit2 would read: the repository's info/attributes, the
/// system-wide gitattributes and the user's attributes file, each in libgit2's own search paths.
bool attribute_files_outside_tree(git_repository* repo, git_config* config)
{
  git_buf buffer = GIT_BUF_INIT;
  if (git_config_get_string_buf(&buffer, config, "core.attributesFile") == 0) {
    git_buf_dispose(&buffer);
    return true;
  }
  git_error_clear();
  if (exists(std::string(git_repository_path(repo)) + "info/attributes")) {
    return true;
  }
  for (const auto& [level, file] :
       {std::pair{GIT_CONFIG_LEVEL_SYSTEM, "gitattributes"}, std::pair{GIT_CONFIG_LEVEL_XDG, "attributes"}}) {
    git_buf paths = GIT_BUF_INIT;
    if (git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, level, &paths) < 0) {
      git_error_clear();
      return true;
    }
    const std::string joined(paths.ptr, paths.size);
    git_buf_dispose(&paths);
    for (const auto& directory : util::split(joined, GIT_PATH_LIST_SEPARATOR)) {
      if (!directory.empty() && exists(directory + "/" + file)) {
        return true;
      }
    }
  }
  return false;
}

/// Whether the configuration can change what a checkout writes or which files it writes.
bool configuration_allows(git_repository* repo)
{
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) < 0) {
    git_error_clear();
    return false;
  }
  const Ptr<git_config> config(raw);
  const char* value = nullptr;
  if (git_config_get_string(&value, config.get(), "core.autocrlf") == 0) {
    const auto autocrlf = util::to_lower(value);
    // "input" converts only when files are added; true converts on checkout.
    if (autocrlf != "false" && autocrlf != "no" && autocrlf != "off" && autocrlf != "0" &&
        autocrlf != "input" && !autocrlf.empty()) {
      return false;
    }
  }
  int sparse = 0;
  if (git_config_get_bool(&sparse, config.get(), "core.sparseCheckout") == 0 && sparse != 0) {
    return false;
  }
  git_error_clear();
  return !attribute_files_outside_tree(repo, config.get());
}

[[noreturn]] void fail_write(const std::string& path)
{
  const int error = errno;
  throw RemoteError("cannot write " + util::quoted(path) + ": " + std::strerror(error), false);
}

/// Creates directories and files under one root, keeping the current directory chain open.
class TreeWriter {
public:
  explicit TreeWriter(std::string root) : m_root(std::move(root))
  {
    const int fd = ::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      fail_write(m_root);
    }
    m_open.push_back({"", fd});
  }
  ~TreeWriter()
  {
    for (const auto& directory : m_open) {
      ::close(directory.fd);
    }
  }
  TreeWriter(const TreeWriter&) = delete;
  TreeWriter& operator=(const TreeWriter&) = delete;

  /// Writes a new file (it must not exist) and returns its status after writing.
  struct stat write(const TreeFile& file, const char* data, std::size_t size)
  {
    const auto slash = file.path.rfind('/');
    const int directory =
        slash == std::string::npos ? m_open.front().fd : open_directory(file.path.substr(0, slash));
    const auto* name = file.path.c_str() + (slash == std::string::npos ? 0 : slash + 1);
    const ::mode_t mode = file.mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644;
    const int fd = ::openat(directory, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
      fail_write(m_root + "/" + file.path);
    }
    struct stat status {};
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

  /// The descriptor of `path` (repository-relative), creating the directories on the way.
  int open_directory(const std::string& path)
  {
    const auto within = [&](const std::string& ancestor) {
      return ancestor.empty() || path == ancestor || util::starts_with(path, ancestor + "/");
    };
    while (!within(m_open.back().path)) {
      ::close(m_open.back().fd);
      m_open.pop_back();
    }
    while (m_open.back().path != path) {
      const auto& parent = m_open.back();
      const auto start = parent.path.empty() ? 0 : parent.path.size() + 1;
      const auto end = path.find('/', start);
      const auto child = path.substr(0, end);
      const auto name = child.substr(start);
      if (::mkdirat(parent.fd, name.c_str(), 0755) != 0 && errno != EEXIST) {
        fail_write(m_root + "/" + child);
      }
      const int fd = ::openat(parent.fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        fail_write(m_root + "/" + child);
      }
      m_open.push_back({child, fd});
    }
    return m_open.back().fd;
  }

  std::string m_root;
  std::vector<OpenDirectory> m_open;
};

git_index_entry index_entry(const TreeFile& file, const struct stat& status)
{
  git_index_entry entry{};
  entry.ctime.seconds = static_cast<int32_t>(status.st_ctim.tv_sec);
  entry.ctime.nanoseconds = static_cast<uint32_t>(status.st_ctim.tv_nsec);
  entry.mtime.seconds = static_cast<int32_t>(status.st_mtim.tv_sec);
  entry.mtime.nanoseconds = static_cast<uint32_t>(status.st_mtim.tv_nsec);
  entry.dev = static_cast<uint32_t>(status.st_dev);
  entry.ino = static_cast<uint32_t>(status.st_ino);
  entry.mode = file.mode;
  entry.uid = status.st_uid;
  entry.gid = status.st_gid;
  entry.file_size = static_cast<uint32_t>(status.st_size);
  entry.id = file.id;
  entry.path = file.path.c_str();
  return entry;
}

/// Removes what was written next to .git, after the index refused a path.
void remove_written(const std::filesystem::path& workdir)
{
  for (const auto& entry : std::filesystem::directory_iterator(workdir)) {
    if (entry.path().filename() != ".git") {
      std::filesystem::remove_all(entry.path());
    }
  }
}

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
    points.push_back(point < files.size() ? point : even);
  }
  points.push_back(files.size());
  return points;
}

/// Writes files[begin, end) and records their status; stops early once `stop` is set.
void write_range(git_odb* odb, const std::string& root, const std::vector<TreeFile>& files, std::size_t begin,
                 std::size_t end, std::vector<struct stat>& statuses, const std::atomic<bool>& stop)
{
  TreeWriter writer(root);
  for (auto i = begin; i < end && !stop; ++i) {
    git_odb_object* raw = nullptr;
    check(git_odb_read(&raw, odb, &files[i].id), "cannot read " + util::quoted(files[i].path));
    const std::unique_ptr<git_odb_object, decltype(&git_odb_object_free)> object(raw, &git_odb_object_free);
    if (git_odb_object_type(object.get()) != GIT_OBJECT_BLOB) {
      throw RemoteError("cannot read " + util::quoted(files[i].path) + ": the object is not a blob", false);
    }
    statuses[i] = writer.write(files[i], static_cast<const char*>(git_odb_object_data(object.get())),
                               git_odb_object_size(object.get()));
  }
}

/// Writes every file, on several threads for larger trees: creating files is system-call bound, and
/// reading objects from the object database is safe from several threads.
std::vector<struct stat> write_files(git_repository* repo, const std::string& root,
                                     const std::vector<TreeFile>& files)
{
  git_odb* odb_raw = nullptr;
  check(git_repository_odb(&odb_raw, repo), "cannot open the object database");
  const std::unique_ptr<git_odb, decltype(&git_odb_free)> odb(odb_raw, &git_odb_free);
  const auto cores = std::max(1U, std::thread::hardware_concurrency());
  const auto parts =
      std::clamp<std::size_t>(files.size() / k_files_per_thread, 1, std::min(cores, k_max_threads));
  const auto points = split_points(files, parts);
  std::vector<struct stat> statuses(files.size());
  std::vector<std::exception_ptr> errors(parts);
  std::atomic<bool> stop{false};
  const auto run = [&](std::size_t part) {
    try {
      write_range(odb.get(), root, files, points[part], points[part + 1], statuses, stop);
    } catch (...) {
      errors[part] = std::current_exception();
      stop = true;
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t part = 1; part < parts; ++part) {
    threads.emplace_back(run, part);
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

} // namespace

bool write_fresh_checkout(git_repository* repo, git_tree* tree)
{
  const char* workdir = git_repository_workdir(repo);
  if (workdir == nullptr || !configuration_allows(repo)) {
    return false;
  }
  TreeListing listing;
  const int walked = git_tree_walk(tree, GIT_TREEWALK_PRE, &list_entry, &listing);
  if (!listing.plain) {
    git_error_clear();
    return false;
  }
  check(walked, "cannot read the commit's tree");

  std::string root(workdir);
  while (root.size() > 1 && root.back() == '/') {
    root.pop_back();
  }
  const auto statuses = write_files(repo, root, listing.files);
  git_index* index_raw = nullptr;
  check(git_repository_index(&index_raw, repo), "cannot open the index");
  const Ptr<git_index> index(index_raw);
  check(git_index_clear(index.get()), "cannot clear the index");
  for (std::size_t i = 0; i < listing.files.size(); ++i) {
    const auto entry = index_entry(listing.files[i], statuses[i]);
    if (git_index_add(index.get(), &entry) < 0) {
      // A name git refuses on some file system (core.protectNTFS): libgit2's checkout decides.
      git_error_clear();
      git_index_clear(index.get());
      remove_written(workdir);
      return false;
    }
  }
  check(git_index_write(index.get()), "cannot write the index");
  return true;
}

} // namespace syntask::git::detail
