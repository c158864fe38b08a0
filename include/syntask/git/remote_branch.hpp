// SPDX-License-Identifier: Apache-2.0
// Asking a remote, without cloning, whether the branch a pull will clone is there.
#pragma once

#include <syntask/git/clone.hpp>

#include <optional>
#include <string>

namespace syntask::git {

/// What to ask: the repository, the branch or tag, and how to log in (as for clone_repository).
struct RemoteBranchQuery {
  std::string repository; ///< the URL as given; user-info in it is used as credentials
  std::string branch;     ///< a branch or tag; "" for the remote's default branch
  std::optional<HttpCredentials> credentials;
  std::string display_url; ///< the URL as messages show it; derived from repository when ""
};

/// Lists the remote's refs once and says whether `branch` is a branch or tag there (for "", whether
/// the remote has a default branch). Throws RemoteError with clone_repository's lines for a remote
/// that cannot be reached, refuses the credentials, or does not exist.
bool remote_has_branch(const RemoteBranchQuery& query);

} // namespace syntask::git
