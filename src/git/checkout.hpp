// SPDX-License-Identifier: Apache-2.0
// Private: turning fetched objects into a working clone: origin, refs, HEAD, files, submodules.
#pragma once

#include "git/fetch.hpp"

namespace syntask::git::detail {

/// Points origin at the URL without user-info, records the fetched branch or tag, checks out the
/// commit (only `options.directories` when given, the rest marked skip-worktree) and sets HEAD: on the
/// branch when following it, detached for a pinned commit or a tag. Then submodules when asked.
/// `fresh`: the working directory holds nothing but .git yet (a new clone), which allows writing the
/// files without libgit2's checkout when nothing needs it; `snapshots`: the clone cache's folder of
/// tree snapshots, "" without the cache (see write_fresh_checkout).
void write_working_clone(git_repository* repo, const Session& session, const Fetched& fetched,
                         const CloneOptions& options, bool fresh, const std::filesystem::path& snapshots);

/// The directories argument as repository-relative paths without leading "./" or "/" or trailing "/".
std::vector<std::string> normalise_directories(const std::vector<std::string>& directories);

} // namespace syntask::git::detail
