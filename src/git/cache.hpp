// SPDX-License-Identifier: Apache-2.0
// Private: the clone cache, one bare mirror per repository URL, shared by concurrent pulls.
#pragma once

#include "git/session.hpp"
#include <filesystem>

namespace syntask::git::detail {

/// An exclusive flock on a file, held for the object's lifetime; waits for other holders. Taking it
/// marks the repository used now (the file's mtime). A holder may delete the file (clearing the cache):
/// a waiter that then gets the lock of the deleted file opens the path again.
class CacheLock {
public:
  /// `mark_used`: touch the file's mtime (false for `syntask cache clear`, which reads it).
  explicit CacheLock(const std::filesystem::path& path, bool mark_used = true);
  ~CacheLock();
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;

private:
  int m_fd = -1;
};

/// Records the URL a mirror is for, as messages show it (no credentials), for `syntask cache ls`.
void record_cache_url(const std::filesystem::path& cache_root, const std::string& key,
                      const std::string& url);

/// Opens the bare mirror at `path`, creating it (or recreating it when unreadable).
Ptr<git_repository> open_mirror(const std::filesystem::path& path);

/// Makes every object of `source_git_dir` available in `target_git_dir` (hard links where the file
/// system allows, copies elsewhere; packs are never rewritten, so linking is safe) and adds the
/// source's shallow boundary to the target's.
void share_objects(const std::filesystem::path& source_git_dir, const std::filesystem::path& target_git_dir);

} // namespace syntask::git::detail
