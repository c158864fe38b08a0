// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/git/repository.hpp>
#include <syntask/util/strings.hpp>

#include <git2.h>
#include <git2/sys/errors.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace syntask::git {

namespace {

// libgit2 keeps global state that must be set up once per process; the matching shutdown is left to
// process exit because other parts of the program may still hold libgit2 objects.
void ensure_libgit2()
{
  static const int k_initialised = git_libgit2_init();
  (void)k_initialised;
}

template <typename T, void (*Free)(T*)> struct Deleter {
  void operator()(T* object) const { Free(object); }
};
template <typename T, void (*Free)(T*)> using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using RepositoryPtr = Owned<git_repository, git_repository_free>;
using ReferencePtr = Owned<git_reference, git_reference_free>;
using RemotePtr = Owned<git_remote, git_remote_free>;
using StatusListPtr = Owned<git_status_list, git_status_list_free>;

struct StrArray {
  git_strarray value{};
  ~StrArray() { git_strarray_dispose(&value); }
};

struct Buffer {
  git_buf value{};
  ~Buffer() { git_buf_dispose(&value); }
};

[[noreturn]] void fail(const std::filesystem::path& root)
{
  const auto* last = git_error_last();
  const std::string message = last != nullptr && last->message != nullptr ? last->message : "unknown error";
  throw UsageError("cannot read the git repository at " + util::quoted(root.string()) + ": " + message);
}

void check(int status, const std::filesystem::path& root)
{
  if (status < 0) {
    fail(root);
  }
}

void read_remote(git_repository* repo, RepositoryState& state)
{
  StrArray names;
  check(git_remote_list(&names.value, repo), state.root);
  std::vector<std::string> all(names.value.strings, names.value.strings + names.value.count);
  if (all.empty()) {
    return;
  }
  std::sort(all.begin(), all.end());
  state.remote_name = std::find(all.begin(), all.end(), "origin") != all.end() ? "origin" : all.front();
  git_remote* raw = nullptr;
  check(git_remote_lookup(&raw, repo, state.remote_name.c_str()), state.root);
  const RemotePtr remote(raw);
  if (const char* url = git_remote_url(remote.get())) {
    state.remote_url = url;
  }
}

// The upstream git itself would use, else the remote's branch of the same name (a branch pushed without
// --set-upstream still counts as pushed).
void read_tracking(git_repository* repo, git_reference* head, RepositoryState& state)
{
  std::string tracking_ref;
  Buffer upstream;
  if (git_branch_upstream_name(&upstream.value, repo, git_reference_name(head)) == 0) {
    tracking_ref.assign(upstream.value.ptr, upstream.value.size);
  } else if (!state.remote_name.empty()) {
    tracking_ref = "refs/remotes/" + state.remote_name + "/" + state.branch;
  }
  git_error_clear();
  git_oid tracking_oid;
  if (tracking_ref.empty() || git_reference_name_to_id(&tracking_oid, repo, tracking_ref.c_str()) != 0) {
    git_error_clear();
    return;
  }
  const std::string prefix = "refs/remotes/";
  state.tracking_branch =
      util::starts_with(tracking_ref, prefix) ? tracking_ref.substr(prefix.size()) : tracking_ref;
  const git_oid* head_oid = git_reference_target(head);
  if (head_oid == nullptr) {
    return;
  }
  if (git_oid_equal(head_oid, &tracking_oid) != 0) {
    state.head_pushed = true;
    return;
  }
  const int descendant = git_graph_descendant_of(repo, &tracking_oid, head_oid);
  check(descendant, state.root);
  state.head_pushed = descendant == 1;
}

void read_head(git_repository* repo, RepositoryState& state)
{
  git_reference* raw = nullptr;
  const int status = git_repository_head(&raw, repo);
  if (status == GIT_EUNBORNBRANCH || status == GIT_ENOTFOUND) {
    git_error_clear();
    return;
  }
  check(status, state.root);
  const ReferencePtr head(raw);
  const git_oid* oid = git_reference_target(head.get());
  if (oid != nullptr) {
    char hex[GIT_OID_MAX_HEXSIZE + 1] = {};
    git_oid_tostr(hex, sizeof(hex), oid);
    state.head_commit = hex;
  }
  if (git_repository_head_detached(repo) == 1) {
    return;
  }
  state.branch = git_reference_shorthand(head.get());
  read_tracking(repo, head.get(), state);
}

void read_status(git_repository* repo, RepositoryState& state)
{
  git_status_options options = GIT_STATUS_OPTIONS_INIT;
  options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  git_status_list* raw = nullptr;
  check(git_status_list_new(&raw, repo, &options), state.root);
  const StatusListPtr list(raw);
  state.dirty = git_status_list_entrycount(list.get()) > 0;
}

} // namespace

std::optional<RepositoryState> inspect_repository(const std::filesystem::path& directory)
{
  ensure_libgit2();
  git_repository* raw = nullptr;
  const auto start = std::filesystem::absolute(directory);
  const int status = git_repository_open_ext(&raw, start.c_str(), 0, nullptr);
  if (status == GIT_ENOTFOUND) {
    git_error_clear();
    return std::nullopt;
  }
  check(status, start);
  const RepositoryPtr repo(raw);
  if (git_repository_is_bare(repo.get()) == 1) {
    return std::nullopt;
  }
  RepositoryState state;
  state.root = std::filesystem::path(git_repository_workdir(repo.get())).lexically_normal();
  if (state.root.has_filename() == false && state.root.has_parent_path()) {
    state.root = state.root.parent_path();
  }
  read_remote(repo.get(), state);
  read_head(repo.get(), state);
  read_status(repo.get(), state);
  return state;
}

std::string strip_user_info(const std::string& url)
{
  // Only HTTP carries tokens in user-info; an SSH user name ("git@") is needed to connect.
  const auto scheme_end = url.find("://");
  const auto scheme = util::to_lower(url.substr(0, scheme_end == std::string::npos ? 0 : scheme_end));
  if (scheme != "http" && scheme != "https") {
    return url;
  }
  const auto authority = scheme_end + 3;
  const auto path_start = url.find('/', authority);
  const auto at = url.rfind('@', path_start);
  if (at == std::string::npos || at < authority) {
    return url;
  }
  return url.substr(0, authority) + url.substr(at + 1);
}

bool is_ssh_url(const std::string& url)
{
  if (util::starts_with(url, "ssh://") || util::starts_with(url, "git+ssh://") ||
      util::starts_with(url, "ssh+git://")) {
    return true;
  }
  if (url.find("://") != std::string::npos) {
    return false;
  }
  // scp-like: a colon before any slash, and not a Windows drive letter.
  const auto colon = url.find(':');
  const auto slash = url.find('/');
  return colon != std::string::npos && colon > 1 && (slash == std::string::npos || colon < slash);
}

} // namespace syntask::git
