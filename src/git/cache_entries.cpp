// SPDX-License-Identifier: Apache-2.0
// What `syntask cache ls` and `syntask cache clear` see of the clone cache: for each repository KEY, the
// files KEY.git (the mirror), KEY.snapshots (tree snapshots), KEY.url (its URL) and KEY.lock.
#include <syntask/git/clone.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include "git/cache.hpp"
#include <algorithm>

namespace syntask::git {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_mirror_suffix = ".git";

std::uint64_t bytes_under(const fs::path& path)
{
  std::error_code error;
  if (!fs::is_directory(fs::symlink_status(path, error))) {
    return fs::is_regular_file(fs::symlink_status(path, error)) ? fs::file_size(path, error) : 0;
  }
  std::uint64_t total = 0;
  for (auto it = fs::recursive_directory_iterator(path, error); !error && it != fs::end(it);
       it.increment(error)) {
    if (it->is_regular_file(error) && !it->is_symlink(error)) {
      total += it->file_size(error);
    }
  }
  return total;
}

void remove_path(const fs::path& path)
{
  std::error_code error;
  fs::remove_all(path, error);
  if (error) {
    throw Error("cannot remove " + util::quoted(path.string()) + ": " + error.message());
  }
}

} // namespace

std::vector<CachedRepository> list_clone_cache(const fs::path& cache_root)
{
  std::vector<CachedRepository> repositories;
  std::error_code error;
  for (auto it = fs::directory_iterator(cache_root, error); !error && it != fs::end(it);
       it.increment(error)) {
    const auto name = it->path().filename().string();
    std::error_code missing; // a file removed by a concurrent clear is skipped or read as absent
    if (!util::ends_with(name, k_mirror_suffix) || !it->is_directory(missing)) {
      continue;
    }
    CachedRepository repository;
    repository.key = name.substr(0, name.size() - k_mirror_suffix.size());
    const auto url_file = cache_root / (repository.key + ".url");
    try {
      repository.url = fs::exists(url_file, missing) ? util::trim(util::read_file(url_file)) : "";
    } catch (const Error&) {
      // Removed since: shown without a URL.
    }
    repository.bytes = bytes_under(it->path()) + bytes_under(cache_root / (repository.key + ".snapshots"));
    // The lock's mtime is touched by every pull; a mirror from before that has only its own.
    const auto lock = cache_root / (repository.key + ".lock");
    repository.last_used = fs::exists(lock, missing) ? fs::last_write_time(lock, missing)
                                                     : fs::last_write_time(it->path(), missing);
    repositories.push_back(std::move(repository));
  }
  std::sort(repositories.begin(), repositories.end(),
            [](const CachedRepository& a, const CachedRepository& b) { return a.last_used > b.last_used; });
  return repositories;
}

bool remove_from_clone_cache(const fs::path& cache_root, const std::string& key,
                             fs::file_time_type used_before)
{
  const auto lock_file = cache_root / (key + ".lock");
  const detail::CacheLock lock(lock_file, false);
  std::error_code error;
  if (fs::last_write_time(lock_file, error) > used_before) {
    return false;
  }
  remove_path(cache_root / (key + std::string(k_mirror_suffix)));
  remove_path(cache_root / (key + ".snapshots"));
  remove_path(cache_root / (key + ".url"));
  // Last, still holding it: a pull waiting for this lock sees the file gone and takes a new one.
  remove_path(lock_file);
  return true;
}

} // namespace syntask::git
