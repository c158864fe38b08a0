// SPDX-License-Identifier: Apache-2.0
// Private: a new shallow clone's fetch over git's protocol v2 on smart HTTP(S).
#pragma once

#include "git/fetch.hpp"
#include <optional>

namespace syntask::git::detail {

/// Fetches the request's branch or tag at the request's depth into `repo` over protocol v2: three
/// requests (capabilities, ls-refs, fetch) and no negotiation round. libgit2 1.8 speaks only protocol
/// v0, whose shallow fetch asks the server twice for the same shallow boundary, once per round trip:
/// on a new clone that costs more than anything else the client does.
///
/// Applies only to an empty, not yet shallow repository over http or https, at a depth, without git
/// configuration under `http.` (proxies, extra headers, TLS settings are libgit2's to honour), and unless
/// SYNTASK_GIT_PROTOCOL=0. Returns nothing, with the repository as it was, when it does not apply or
/// fails in any way (a server without protocol v2, a refusal, a missing branch, a network error): the
/// caller then fetches through libgit2, which reports failures in the usual words. Throws Interrupted.
///
/// On success the pack is indexed into the repository, the shallow boundary recorded, and the ref
/// written where fetch_revision writes it; the result names the branch, its tip and its commit.
std::optional<Fetched> fetch_new_clone_v2(git_repository* repo, const Session& session,
                                          const FetchRequest& request);

} // namespace syntask::git::detail
