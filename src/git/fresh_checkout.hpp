// SPDX-License-Identifier: Apache-2.0
// Private: the quick way to fill a new, empty working directory with a commit's files.
#pragma once

#include "git/session.hpp"

namespace syntask::git::detail {

/// Writes every file of `tree` into the working directory of `repo`, which must hold nothing but its
/// .git, and an index that records them with their stat data, as a forced checkout would: file modes
/// 0644 or 0755 (less the umask), directories 0755. Returns false, with the working directory and the
/// index as they were, when the tree needs what only libgit2's checkout does: attributes or CRLF
/// conversion (a .gitattributes file, an attributes file outside the tree, core.autocrlf=true),
/// symbolic links, submodules, sparse settings or a path the index refuses. Throws RemoteError when
/// writing fails (disk full, permissions).
bool write_fresh_checkout(git_repository* repo, git_tree* tree);

} // namespace syntask::git::detail
