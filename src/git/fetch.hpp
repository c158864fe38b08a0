// SPDX-License-Identifier: Apache-2.0
// Private: fetching one branch, tag or commit into a repository.
#pragma once

#include "git/session.hpp"
#include <iosfwd>
#include <string>

namespace syntask::git::detail {

/// Where fetched branches land: a bare mirror keeps refs/heads/*, a working clone refs/remotes/origin/*.
enum class RefLayout { mirror, working };

struct FetchRequest {
  std::string branch;     ///< branch or tag; "" for the remote's default branch
  std::string commit_sha; ///< "" to take the branch tip
  int depth = 1;
  RefLayout layout = RefLayout::working;
};

struct Fetched {
  std::string branch; ///< the branch or tag fetched (the default branch's name when none was asked for)
  bool is_tag = false;
  git_oid tip{};    ///< what the branch or tag points to (a tag object for annotated tags)
  git_oid commit{}; ///< the commit to check out
};

/// A branch or tag as the remote lists it.
struct RemoteRef {
  std::string name; ///< the branch or tag name, without refs/heads/ or refs/tags/
  bool is_tag = false;
  git_oid oid{};
  std::optional<git_oid> peeled; ///< an annotated tag's commit
};

/// Finds `wanted` (a branch, else a tag; "" for the default branch) in the refs of a connected remote:
/// nothing when it is not there. Throws RemoteError when the listing fails, or when "" is asked of a
/// remote that is empty or has no default branch.
std::optional<RemoteRef> find_remote_ref(git_remote* remote, Session& session, const std::string& wanted);

/// Fetches the request's branch (at its depth) and, with a commit, whatever more is needed to have that
/// commit. Throws RemoteError (see clone_repository) on failure.
Fetched fetch_revision(git_repository* repo, Session& session, const FetchRequest& request);

/// What a pinned request resolves to from the repository alone, without asking the remote: the request
/// names a commit the repository has and a branch or tag it holds under the request's layout. Nothing
/// when either is missing (then fetch_revision must ask), or when the request follows a branch.
std::optional<Fetched> local_revision(git_repository* repo, const Session& session,
                                      const FetchRequest& request);

/// Where a fetched branch or tag is kept in a repository of `layout`.
std::string destination_ref_name(const std::string& name, bool is_tag, RefLayout layout);

/// The commit `oid` (a commit or an annotated tag) leads to; RemoteError when the fetch did not bring it.
git_oid peel_to_commit(git_repository* repo, const git_oid& oid, const Session& session);

/// The commit named by a full or abbreviated id when the repository has it.
std::optional<git_oid> find_commit(git_repository* repo, const std::string& sha, const Session& session);

} // namespace syntask::git::detail
