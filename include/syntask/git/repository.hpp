// SPDX-License-Identifier: Apache-2.0
// What `syntask deploy` and `syntask init` need to know about the git repository a project lives in:
// where it is pulled from, which branch and commit, and whether workers would see the code as it is here.
// Read-only; implemented with libgit2.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace syntask::git {

/// A snapshot of a working tree's repository, taken by inspect_repository().
struct RepositoryState {
  std::filesystem::path root; ///< the working tree's top directory
  /// The remote used: `origin` when it exists, else the first remote in name order; "" when none.
  std::string remote_name;
  std::string remote_url;  ///< as configured (may hold user-info: redact before showing it)
  std::string branch;      ///< the checked-out branch's short name; "" when HEAD is detached or unborn
  std::string head_commit; ///< the full hex SHA of HEAD; "" when the branch has no commit yet
  /// Tracked files modified (staged or not), deleted or renamed, or untracked files present. Ignored
  /// files do not count.
  bool dirty = false;
  /// The remote-tracking branch compared with HEAD: the branch's configured upstream, else
  /// `<remote_name>/<branch>`; "" when neither exists.
  std::string tracking_branch;
  /// Whether HEAD is the tracking branch's commit or one of its ancestors. False when there is no
  /// tracking branch or no HEAD commit.
  bool head_pushed = false;

  bool has_remote() const { return !remote_url.empty(); }
};

/// The repository containing `directory` (searching parent directories), or nullopt when `directory` is
/// not inside a git working tree (a bare repository counts as none). A repository that exists but cannot
/// be read throws UsageError "cannot read the git repository at 'PATH': MESSAGE".
std::optional<RepositoryState> inspect_repository(const std::filesystem::path& directory);

/// An http(s) `url` without user-info ("https://user:token@host/x" -> "https://host/x"), so a token in a
/// remote never ends up in a pull step; any other URL (SSH users are needed) is returned unchanged.
std::string strip_user_info(const std::string& url);

/// Whether `url` is an SSH remote: `ssh://...`, `git+ssh://...`, or the scp-like `[user@]host:path`.
bool is_ssh_url(const std::string& url);

} // namespace syntask::git
