// SPDX-License-Identifier: Apache-2.0
// The clone cache: a bare mirror per URL, locked while fetched and while a working clone takes its
// objects, so a second pull fetches only what changed and a working clone costs hard links.
#include "git/cache.hpp"

#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include <fcntl.h>
#include <set>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace syntask::git::detail {

namespace {

// Whether `fd` is still the file at `path`: `syntask cache clear` deletes a lock file while it holds it.
bool still_linked(int fd, const std::filesystem::path& path)
{
  struct stat held {};
  struct stat named {};
  return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
         held.st_dev == named.st_dev;
}

} // namespace

CacheLock::CacheLock(const std::filesystem::path& path, bool mark_used)
{
  std::filesystem::create_directories(path.parent_path());
  for (;;) {
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
      throw RemoteError("cannot open the git cache lock " + util::quoted(path.string()), false);
    }
    while (::flock(m_fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(m_fd);
        throw RemoteError("cannot lock the git cache " + util::quoted(path.string()), false);
      }
    }
    if (still_linked(m_fd, path)) {
      break;
    }
    ::close(m_fd);
  }
  if (mark_used) {
    ::futimens(m_fd, nullptr); // "last used", for syntask cache ls and clear --unused-for
  }
}

CacheLock::~CacheLock()
{
  if (m_fd >= 0) {
    ::close(m_fd); // closing releases the flock
  }
}

void record_cache_url(const std::filesystem::path& cache_root, const std::string& key, const std::string& url)
{
  const auto file = cache_root / (key + ".url");
  std::error_code error;
  if (std::filesystem::exists(file, error) && util::trim(util::read_file(file)) == url) {
    return;
  }
  util::write_file_atomic(file, url + "\n", 0600);
}

Ptr<git_repository> open_mirror(const std::filesystem::path& path)
{
  git_repository* raw = nullptr;
  if (std::filesystem::exists(path)) {
    if (git_repository_open_bare(&raw, path.c_str()) == 0) {
      return Ptr<git_repository>(raw);
    }
    // A mirror left unreadable (a crash mid-creation, a disk problem) is only a cache: start again.
    std::filesystem::remove_all(path);
  }
  std::filesystem::create_directories(path.parent_path());
  check(git_repository_init(&raw, path.c_str(), 1),
        "cannot create the git cache " + util::quoted(path.string()));
  return Ptr<git_repository>(raw);
}

namespace {

void link_or_copy(const std::filesystem::path& from, const std::filesystem::path& to)
{
  std::error_code error;
  if (std::filesystem::exists(to, error)) {
    return;
  }
  std::filesystem::create_directories(to.parent_path());
  std::filesystem::create_hard_link(from, to, error);
  if (error) {
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::skip_existing);
  }
}

std::set<std::string> read_lines(const std::filesystem::path& path)
{
  std::set<std::string> lines;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return lines;
  }
  for (const auto& line : util::split(util::read_file(path), '\n')) {
    if (!util::trim(line).empty()) {
      lines.insert(util::trim(line));
    }
  }
  return lines;
}

} // namespace

void share_objects(const std::filesystem::path& source_git_dir, const std::filesystem::path& target_git_dir)
{
  const auto source = source_git_dir / "objects";
  const auto target = target_git_dir / "objects";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(source)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    const auto relative = entry.path().lexically_relative(source);
    const auto top = relative.begin()->string();
    // info/ holds the mirror's own alternates and pack lists; temporary files are not objects yet.
    if (top == "info" || util::starts_with(relative.filename().string(), "tmp")) {
      continue;
    }
    link_or_copy(entry.path(), target / relative);
  }
  auto shallow = read_lines(source_git_dir / "shallow");
  if (!shallow.empty()) {
    for (const auto& line : read_lines(target_git_dir / "shallow")) {
      shallow.insert(line);
    }
    std::string content;
    for (const auto& line : shallow) {
      content += line + "\n";
    }
    util::write_file_atomic(target_git_dir / "shallow", content);
  }
}

} // namespace syntask::git::detail
