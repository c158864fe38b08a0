// SPDX-License-Identifier: Apache-2.0
// Writing the working clone once its objects are in place.
#include "git/checkout.hpp"

#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include "git/fresh_checkout.hpp"
#include <ostream>

namespace syntask::git::detail {

namespace {

void set_origin(git_repository* repo, const Session& session)
{
  // Only the URL without user-info is stored: a token never reaches .git/config.
  const auto& url = session.url.without_userinfo;
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo, "origin") == 0) {
    const Ptr<git_remote> remote(raw);
    if (git_remote_url(remote.get()) == nullptr || url != git_remote_url(remote.get())) {
      check(git_remote_set_url(repo, "origin", url.c_str()), "cannot set the origin URL");
    }
    return;
  }
  check(git_remote_create(&raw, repo, "origin", url.c_str()), "cannot add the origin remote");
  git_remote_free(raw);
}

void set_reference(git_repository* repo, const std::string& name, const git_oid& oid)
{
  git_reference* raw = nullptr;
  check(git_reference_create(&raw, repo, name.c_str(), &oid, 1, "syntask: git_clone"),
        "cannot write " + util::quoted(name));
  git_reference_free(raw);
}

bool under_any(const std::string& path, const std::vector<std::string>& directories)
{
  for (const auto& directory : directories) {
    if (path == directory || util::starts_with(path, directory + "/")) {
      return true;
    }
  }
  return false;
}

/// Records the sparse selection the way git itself does, so `git status` in the clone stays clean and
/// a later `git checkout` keeps to the same directories.
void mark_sparse(git_repository* repo, git_tree* tree, const std::vector<std::string>& directories)
{
  git_index* raw = nullptr;
  check(git_repository_index(&raw, repo), "cannot open the index");
  const Ptr<git_index> index(raw);
  check(git_index_read_tree(index.get(), tree), "cannot read the tree into the index");
  const auto count = git_index_entrycount(index.get());
  for (std::size_t i = 0; i < count; ++i) {
    const auto* entry = git_index_get_byindex(index.get(), i);
    if (!under_any(entry->path, directories)) {
      git_index_entry copy = *entry;
      copy.flags |= GIT_INDEX_ENTRY_EXTENDED;
      copy.flags_extended |= GIT_INDEX_ENTRY_SKIP_WORKTREE;
      check(git_index_add(index.get(), &copy), "cannot update the index");
    }
  }
  check(git_index_write(index.get()), "cannot write the index");
  git_config* config_raw = nullptr;
  check(git_repository_config(&config_raw, repo), "cannot open the repository config");
  const Ptr<git_config> config(config_raw);
  check(git_config_set_bool(config.get(), "core.sparseCheckout", 1), "cannot write the repository config");
  std::string patterns;
  for (const auto& directory : directories) {
    patterns += "/" + directory + "/\n";
  }
  std::filesystem::create_directories(std::filesystem::path(git_repository_path(repo)) / "info");
  util::write_file_atomic(std::filesystem::path(git_repository_path(repo)) / "info" / "sparse-checkout",
                          patterns);
}

/// An earlier sparse clone asked for everything now: forget the selection so every file is written.
void leave_sparse(git_repository* repo, git_tree* tree)
{
  git_config* raw = nullptr;
  check(git_repository_config(&raw, repo), "cannot open the repository config");
  const Ptr<git_config> config(raw);
  int sparse = 0;
  if (git_config_get_bool(&sparse, config.get(), "core.sparseCheckout") < 0 || sparse == 0) {
    return;
  }
  check(git_config_set_bool(config.get(), "core.sparseCheckout", 0), "cannot write the repository config");
  git_index* index_raw = nullptr;
  check(git_repository_index(&index_raw, repo), "cannot open the index");
  const Ptr<git_index> index(index_raw);
  // Entries without skip-worktree, so the forced checkout writes the files that were left out.
  check(git_index_read_tree(index.get(), tree), "cannot read the tree into the index");
  check(git_index_write(index.get()), "cannot write the index");
}

void checkout(git_repository* repo, const git_oid& commit_id, const std::vector<std::string>& directories,
              bool fresh, const std::filesystem::path& snapshots)
{
  git_commit* commit_raw = nullptr;
  check(git_commit_lookup(&commit_raw, repo, &commit_id), "cannot read the commit");
  const Ptr<git_commit> commit(commit_raw);
  git_tree* tree_raw = nullptr;
  check(git_commit_tree(&tree_raw, commit.get()), "cannot read the commit's tree");
  const Ptr<git_tree> tree(tree_raw);
  if (directories.empty()) {
    leave_sparse(repo, tree.get());
    if (fresh && write_fresh_checkout(repo, tree.get(), snapshots)) {
      return;
    }
  }
  git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
  options.checkout_strategy = GIT_CHECKOUT_FORCE;
  std::vector<char*> paths;
  for (const auto& directory : directories) {
    paths.push_back(const_cast<char*>(directory.c_str()));
  }
  if (!paths.empty()) {
    options.paths = {paths.data(), paths.size()};
  }
  check(git_checkout_tree(repo, reinterpret_cast<git_object*>(tree.get()), &options), "checkout failed");
  if (!directories.empty()) {
    mark_sparse(repo, tree.get(), directories);
  }
}

void update_submodules(git_repository* repo, const Session& parent, const CloneOptions& options);

int submodule_name(git_submodule* /*submodule*/, const char* name, void* payload)
{
  static_cast<std::vector<std::string>*>(payload)->emplace_back(name);
  return 0;
}

void update_submodules(git_repository* repo, const Session& parent, const CloneOptions& options)
{
  std::vector<std::string> names;
  check(git_submodule_foreach(repo, &submodule_name, &names), "cannot list submodules");
  for (const auto& name : names) {
    git_submodule* raw = nullptr;
    check(git_submodule_lookup(&raw, repo, name.c_str()), "cannot read submodule " + util::quoted(name));
    const Ptr<git_submodule> submodule(raw);
    const char* url = git_submodule_url(submodule.get());
    // Credentials go to submodules on the parent's host only (the callback checks the host).
    auto session = make_session(url != nullptr ? url : "", "", parent.credentials);
    if (session.url.host != parent.url.host) {
      session.credentials.reset();
    }
    git_submodule_update_options update = GIT_SUBMODULE_UPDATE_OPTIONS_INIT;
    update.checkout_opts.checkout_strategy = GIT_CHECKOUT_FORCE;
    set_callbacks(update.fetch_opts.callbacks, session);
    // Full history: a submodule's recorded commit is seldom the tip of its default branch.
    update.fetch_opts.depth = GIT_FETCH_DEPTH_FULL;
    if (options.diagnostics != nullptr) {
      *options.diagnostics << "updating submodule " << util::quoted(name) << "\n";
    }
    apply_ca_environment();
    if (const int code = git_submodule_update(submodule.get(), 1, &update); code < 0) {
      const auto error = translate_error(code, session);
      throw RemoteError("submodule " + util::quoted(name) + ": " + error.what(), error.transient());
    }
    git_repository* sub_raw = nullptr;
    if (git_submodule_open(&sub_raw, submodule.get()) == 0) {
      const Ptr<git_repository> sub(sub_raw);
      update_submodules(sub.get(), session, options);
    }
  }
}

} // namespace

std::vector<std::string> normalise_directories(const std::vector<std::string>& directories)
{
  std::vector<std::string> result;
  for (auto directory : directories) {
    while (util::starts_with(directory, "./")) {
      directory = directory.substr(2);
    }
    while (!directory.empty() && directory.front() == '/') {
      directory.erase(0, 1);
    }
    while (!directory.empty() && directory.back() == '/') {
      directory.pop_back();
    }
    if (!directory.empty()) {
      result.push_back(directory);
    }
  }
  return result;
}

void write_working_clone(git_repository* repo, const Session& session, const Fetched& fetched,
                         const CloneOptions& options, bool fresh, const std::filesystem::path& snapshots)
{
  set_origin(repo, session);
  const bool follow_branch = !fetched.is_tag && options.commit_sha.empty();
  if (fetched.is_tag) {
    set_reference(repo, "refs/tags/" + fetched.branch, fetched.tip);
  } else {
    set_reference(repo, "refs/remotes/origin/" + fetched.branch, fetched.tip);
  }
  checkout(repo, fetched.commit, normalise_directories(options.directories), fresh, snapshots);
  if (follow_branch) {
    const auto local = "refs/heads/" + fetched.branch;
    set_reference(repo, local, fetched.commit);
    check(git_repository_set_head(repo, local.c_str()), "cannot set HEAD");
    git_config* raw = nullptr;
    check(git_repository_config(&raw, repo), "cannot open the repository config");
    const Ptr<git_config> config(raw);
    const auto section = "branch." + fetched.branch;
    check(git_config_set_string(config.get(), (section + ".remote").c_str(), "origin"),
          "cannot write the repository config");
    check(git_config_set_string(config.get(), (section + ".merge").c_str(), local.c_str()),
          "cannot write the repository config");
  } else {
    check(git_repository_set_head_detached(repo, &fetched.commit), "cannot set HEAD");
  }
  if (options.include_submodules) {
    update_submodules(repo, session, options);
  }
}

} // namespace syntask::git::detail
