// SPDX-License-Identifier: Apache-2.0
// Private: writing a tree's regular files into an empty directory, on several threads.
#pragma once

#include "git/session.hpp"
#include <functional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace syntask::git::detail {

struct TreeFile {
  std::string path; ///< repository-relative, '/'-separated, as in the index
  git_oid id{};
  git_filemode_t mode = GIT_FILEMODE_BLOB; ///< GIT_FILEMODE_BLOB or GIT_FILEMODE_BLOB_EXECUTABLE
};

/// One file's content while it is written: a view, or an object read from the object database that
/// it keeps alive until the next set.
class BlobContent {
public:
  BlobContent() = default;
  ~BlobContent();
  BlobContent(const BlobContent&) = delete;
  BlobContent& operator=(const BlobContent&) = delete;

  void set(std::string_view content); ///< content that outlives the write
  void set(git_odb_object* object);   ///< takes ownership of a blob read from the object database
  std::string_view view() const { return m_view; }

private:
  git_odb_object* m_object = nullptr;
  std::string_view m_view;
};

/// Fills `content` with file `index`'s content; called from several threads at once.
using ContentReader = std::function<void(std::size_t index, BlobContent& content)>;

/// Creates every file of `files` (in index order) under the directory `root`, which must not hold any
/// of them yet, with the directories on the way: files 0644 or 0755 and directories 0755, less the
/// umask, as libgit2's checkout creates them. Returns each file's status after writing, for the index.
/// Throws RemoteError when a file cannot be written, Interrupted after Ctrl-C, and rethrows what `read`
/// throws; either way the files written so far stay (the caller removes the directory).
std::vector<struct stat> write_tree_files(const std::string& root, const std::vector<TreeFile>& files,
                                          const ContentReader& read);

} // namespace syntask::git::detail
