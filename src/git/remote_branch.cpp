// SPDX-License-Identifier: Apache-2.0
#include <syntask/git/remote_branch.hpp>

#include "git/fetch.hpp"
#include "git/session.hpp"

namespace syntask::git {

bool remote_has_branch(const RemoteBranchQuery& query)
{
  detail::ensure_libgit2();
  auto session = detail::make_session(query.repository, query.display_url, query.credentials);
  git_remote* raw = nullptr;
  // A detached remote needs no repository: one connection, one ref listing, nothing written.
  detail::check(git_remote_create_detached(&raw, session.connect_url.c_str()), "cannot set up the remote");
  const detail::Ptr<git_remote> remote(raw);
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  detail::set_callbacks(callbacks, session);
  detail::apply_ca_environment();
  if (const int code = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr);
      code < 0) {
    throw detail::translate_error(code, session);
  }
  return detail::find_remote_ref(remote.get(), session, query.branch).has_value();
}

} // namespace syntask::git
