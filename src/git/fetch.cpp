// SPDX-License-Identifier: Apache-2.0
// Fetching: list the remote's refs once (to name a missing branch precisely and find the default
// branch), fetch just the one ref shallowly, and deepen only when a pinned commit is not there yet.
#include "git/fetch.hpp"

#include <syntask/util/strings.hpp>

#include <git2/sys/errors.h>

#include "git/smart_http_v2.hpp"
#include <vector>

namespace syntask::git::detail {

namespace {

constexpr std::string_view k_heads = "refs/heads/";
constexpr std::string_view k_tags = "refs/tags/";
constexpr std::string_view k_pin_ref = "refs/syntask/pinned";

void fetch_refspecs(git_remote* remote, Session& session, const std::vector<std::string>& refspecs, int depth)
{
  std::vector<char*> pointers;
  for (const auto& refspec : refspecs) {
    pointers.push_back(const_cast<char*>(refspec.c_str()));
  }
  const git_strarray specs{pointers.data(), pointers.size()};
  // Each fetch is a new connection that authenticates afresh; only a repeat within it means refusal.
  session.http_tries = 0;
  session.ssh_next = 0;
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  set_callbacks(options.callbacks, session);
  options.depth = depth;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  options.update_fetchhead = 0;
  options.prune = GIT_FETCH_NO_PRUNE;
  if (const int code = git_remote_fetch(remote, &specs, &options, nullptr); code < 0) {
    throw translate_error(code, session);
  }
}

std::string destination_ref(const RemoteRef& ref, RefLayout layout)
{
  return destination_ref_name(ref.name, ref.is_tag, layout);
}

bool has_object(git_repository* repo, const git_oid& oid)
{
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) {
    return false;
  }
  const bool exists = git_odb_exists(odb, &oid) == 1;
  git_odb_free(odb);
  return exists;
}

} // namespace

std::string destination_ref_name(const std::string& name, bool is_tag, RefLayout layout)
{
  if (is_tag) {
    return std::string(k_tags) + name;
  }
  return (layout == RefLayout::mirror ? std::string(k_heads) : std::string("refs/remotes/origin/")) + name;
}

git_oid peel_to_commit(git_repository* repo, const git_oid& oid, const Session& session)
{
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, repo, &oid, GIT_OBJECT_ANY) < 0) {
    throw RemoteError(
        "fetch from " + util::quoted(session.display_url) + " did not bring the branch's commit", false);
  }
  const Ptr<git_object> object(raw);
  git_object* peeled = nullptr;
  check(git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT), "cannot read the fetched commit");
  const Ptr<git_object> commit(peeled);
  return *git_object_id(commit.get());
}

std::optional<git_oid> find_commit(git_repository* repo, const std::string& sha, const Session& session)
{
  git_oid prefix{};
  if (git_oid_fromstrn(&prefix, sha.c_str(), sha.size()) < 0) {
    return std::nullopt;
  }
  git_object* raw = nullptr;
  const int code = git_object_lookup_prefix(&raw, repo, &prefix, sha.size(), GIT_OBJECT_ANY);
  if (code == GIT_EAMBIGUOUS) {
    throw RemoteError("commit " + util::quoted(sha) + " is ambiguous in " +
                          util::quoted(session.display_url) + ": give more of its digits",
                      false);
  }
  if (code < 0) {
    return std::nullopt;
  }
  const Ptr<git_object> object(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) < 0) {
    return std::nullopt;
  }
  const Ptr<git_object> commit(peeled);
  return *git_object_id(commit.get());
}

std::optional<Fetched> local_revision(git_repository* repo, const Session& session,
                                      const FetchRequest& request)
{
  if (request.commit_sha.empty() || request.branch.empty()) {
    return std::nullopt;
  }
  const auto commit = find_commit(repo, request.commit_sha, session);
  if (!commit) {
    return std::nullopt;
  }
  for (const bool is_tag : {false, true}) {
    const RemoteRef ref{request.branch, is_tag, {}, std::nullopt};
    const auto name = destination_ref(ref, request.layout);
    git_oid tip{};
    if (git_reference_name_to_id(&tip, repo, name.c_str()) == 0) {
      Fetched fetched;
      fetched.branch = request.branch;
      fetched.is_tag = is_tag;
      fetched.tip = tip;
      fetched.commit = *commit;
      return fetched;
    }
    git_error_clear();
  }
  return std::nullopt;
}

std::optional<RemoteRef> find_remote_ref(git_remote* remote, Session& session, const std::string& wanted)
{
  const git_remote_head** heads = nullptr;
  std::size_t count = 0;
  if (const int code = git_remote_ls(&heads, &count, remote); code < 0) {
    throw translate_error(code, session);
  }
  std::string branch = wanted;
  if (branch.empty()) {
    git_buf buffer = GIT_BUF_INIT;
    if (git_remote_default_branch(&buffer, remote) < 0) {
      git_buf_dispose(&buffer);
      throw RemoteError(count == 0 ? "repository " + util::quoted(session.display_url) + " is empty"
                                   : "cannot tell the default branch of " +
                                         util::quoted(session.display_url) + ": name a branch",
                        false);
    }
    branch = buffer.ptr;
    git_buf_dispose(&buffer);
    if (util::starts_with(branch, k_heads)) {
      branch = branch.substr(k_heads.size());
    }
  }
  std::optional<RemoteRef> head;
  std::optional<RemoteRef> tag;
  const auto head_name = std::string(k_heads) + branch;
  const auto tag_name = std::string(k_tags) + branch;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string name = heads[i]->name;
    if (name == head_name) {
      head = RemoteRef{branch, false, heads[i]->oid, std::nullopt};
    } else if (name == tag_name) {
      if (!tag) {
        tag = RemoteRef{branch, true, heads[i]->oid, std::nullopt};
      } else {
        tag->oid = heads[i]->oid;
      }
    } else if (name == tag_name + "^{}") {
      if (!tag) {
        tag = RemoteRef{branch, true, {}, std::nullopt};
      }
      tag->peeled = heads[i]->oid;
    }
  }
  if (head) {
    return *head;
  }
  if (tag) {
    return *tag;
  }
  return std::nullopt;
}

Fetched fetch_revision(git_repository* repo, Session& session, const FetchRequest& request)
{
  if (auto fetched = fetch_new_clone_v2(repo, session, request)) {
    if (request.commit_sha.empty()) {
      return *fetched;
    }
    if (const auto found = find_commit(repo, request.commit_sha, session)) {
      fetched->commit = *found;
      return *fetched;
    }
    // The pinned commit is older than the shallow fetch reached: libgit2 deepens below, finding the
    // branch's tip already here.
  }
  git_remote* raw = nullptr;
  // An anonymous remote: the URL is used for this fetch only and never written to the config.
  check(git_remote_create_anonymous(&raw, repo, session.connect_url.c_str()), "cannot set up the remote");
  const Ptr<git_remote> remote(raw);
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  set_callbacks(callbacks, session);
  apply_ca_environment();
  if (const int code = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr);
      code < 0) {
    throw translate_error(code, session);
  }
  const auto found = find_remote_ref(remote.get(), session, request.branch);
  if (!found) {
    throw RemoteError("branch " + util::quoted(request.branch) + " not found in " +
                          util::quoted(session.display_url),
                      false);
  }
  const auto& ref = *found;
  const auto local_ref = destination_ref(ref, request.layout);
  const auto refspec = "+" + std::string(ref.is_tag ? k_tags : k_heads) + ref.name + ":" + local_ref;
  // libgit2's local transport cannot fetch shallowly (a local fetch is cheap in full anyway), and
  // libgit2 1.8's shallow requests over the stateful transports (ssh, git) are malformed ("git
  // upload-pack: expected SHA1 list"): those fetch the full history; smart HTTP honours the depth.
  const bool local = session.url.scheme.empty() || session.url.scheme == "file";
  const bool stateful = session.url.scheme == "ssh" || session.url.scheme == "git";
  const int depth = local || stateful ? GIT_FETCH_DEPTH_FULL : request.depth;
  if (has_object(repo, ref.oid)) {
    // Nothing new: skip the fetch. Besides saving a round trip, libgit2 1.8 loses a shallow
    // repository's boundary on a fetch that brings nothing, and later walks then miss parents.
    git_reference* written = nullptr;
    check(git_reference_create(&written, repo, local_ref.c_str(), &ref.oid, 1, "syntask: git_clone"),
          "cannot write " + util::quoted(local_ref));
    git_reference_free(written);
  } else {
    fetch_refspecs(remote.get(), session, {refspec}, depth);
  }

  Fetched fetched;
  fetched.branch = ref.name;
  fetched.is_tag = ref.is_tag;
  fetched.tip = ref.oid;
  fetched.commit = ref.peeled ? *ref.peeled : peel_to_commit(repo, ref.oid, session);
  if (request.commit_sha.empty()) {
    return fetched;
  }
  if (const auto found = find_commit(repo, request.commit_sha, session)) {
    fetched.commit = *found;
    return fetched;
  }
  // The pinned commit is older than what the shallow fetch brought (the branch moved on). First ask for
  // it by id, which servers allowing reachable-SHA wants answer with just that commit; then deepen the
  // branch to its full history; last, fetch every branch and tag in full, for a commit not on the branch.
  const bool full_id = request.commit_sha.size() == 40;
  const int deeper =
      git_repository_is_shallow(repo) == 1 && !local ? GIT_FETCH_DEPTH_UNSHALLOW : GIT_FETCH_DEPTH_FULL;
  const auto heads_layout = request.layout == RefLayout::mirror ? std::string("refs/heads/*")
                                                                : std::string("refs/remotes/origin/*");
  std::vector<std::vector<std::string>> rounds;
  if (full_id) {
    rounds.push_back({"+" + request.commit_sha + ":" + std::string(k_pin_ref)});
  }
  rounds.push_back({refspec});
  rounds.push_back({"+refs/heads/*:" + heads_layout, "+refs/tags/*:refs/tags/*"});
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    const bool by_id = full_id && i == 0;
    try {
      fetch_refspecs(remote.get(), session, rounds[i], by_id ? depth : deeper);
    } catch (const RemoteError& error) {
      // Servers may refuse wants that are not ref tips; then the deeper rounds follow. Network trouble
      // stands (and is retried by the caller); authentication already succeeded on the first fetch.
      if (!by_id || error.transient()) {
        throw;
      }
    }
    if (by_id) {
      git_reference* pin = nullptr;
      if (git_reference_lookup(&pin, repo, std::string(k_pin_ref).c_str()) == 0) {
        git_reference_delete(pin);
        git_reference_free(pin);
      }
    }
    if (const auto found = find_commit(repo, request.commit_sha, session)) {
      fetched.commit = *found;
      return fetched;
    }
  }
  throw RemoteError("commit " + util::quoted(request.commit_sha) + " not found in " +
                        util::quoted(session.display_url) + " (branch " + util::quoted(ref.name) + ")",
                    false);
}

} // namespace syntask::git::detail
