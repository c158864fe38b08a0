// SPDX-License-Identifier: Apache-2.0
// Private: the quick way to fill a new, empty working directory with a commit's files.
#pragma once

#include "git/session.hpp"
#include <filesystem>

namespace syntask::git::detail {

/// Writes every file of `tree` into the working directory of `repo`, which must hold nothing but its
/// .git, and an index that records them with their stat data, as a forced checkout would: file modes
/// 0644 or 0755 and directories 0755, less the umask. Returns false, with the working directory as it
/// was and the index empty, when the tree needs what only libgit2's checkout does: attributes or CRLF
/// conversion (a .gitattributes file, an attributes file outside the tree, core.autocrlf=true),
/// symbolic links, submodules, sparse settings, or a name the index might refuse (".git" and the forms NTFS
/// or HFS+ take for it: "~", trailing dots or spaces, non-ASCII bytes). `snapshots` is the clone
/// cache's folder of tree snapshots ("" without the cache): the contents come from the tree's snapshot
/// when it is there and sound, and one is written otherwise. Throws RemoteError when writing fails
/// (disk full, permissions).
bool write_fresh_checkout(git_repository* repo, git_tree* tree, const std::filesystem::path& snapshots);

} // namespace syntask::git::detail
