// SPDX-License-Identifier: Apache-2.0
// Private: what deploy does when the project is in a git repository and workers pull with git_clone:
// the interactive pull questions, the "push them first" check, pinning HEAD, and describing the clone.
#pragma once

#include <syntask/config/project.hpp>
#include <syntask/git/repository.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace syntask::prompt {
class Prompter;
}
namespace syntask::store {
class Store;
}
namespace syntask::ui {
class Output;
}

namespace syntask::deploy {

inline constexpr const char* k_git_clone_step = "syntask.deployments.steps.git_clone";

/// Whether any step of `pull` is git_clone (canonical name, so the prefect alias counts too).
bool pulls_with_git(const std::optional<config::StepList>& pull);

/// The secret block holding a deployment's repository token:
/// "deployment-<slug(deployment)>-<slug(flow)>-repo-token".
std::string repository_token_block(const std::string& deployment_name, const std::string& flow_name);

/// Asks whether workers should clone the project's remote, which URL and branch, and (for non-SSH URLs)
/// whether the repository is private; a private repository's token is saved as a secret block (see
/// repository_token_block) that the step references. Returns the generated pull list, or nullopt when
/// the user declines. Only for an interactive prompter and a repository with a remote.
std::optional<config::StepList> ask_git_pull(const git::RepositoryState& repo,
                                             const std::string& deployment_name, const std::string& flow_name,
                                             store::Store& store, prompt::Prompter& prompter);

/// Warns on stderr when the working tree has uncommitted changes or HEAD is not on the remote branch;
/// with `require_pushed` the first such problem throws UsageError instead.
void check_pushed(const git::RepositoryState& repo, bool require_pushed, ui::Output& output);

/// Adds `commit_sha: head_commit` to git_clone arguments unless they say `pin: false` or already name a
/// commit. Returns whether it did.
bool pin_clone_args(nlohmann::json& args, const std::string& head_commit);

/// Whether two repository URLs name the same repository: equal once user-info, a trailing '/' and a
/// trailing ".git" are dropped and the scheme and host are lowercased.
bool same_repository(const std::string& a, const std::string& b);

/// What workers will clone, from baked git_clone arguments: {repository (redacted), branch, commit_sha},
/// each null when not set.
nlohmann::json describe_clone(const nlohmann::json& args);

/// One line for people: "Your Syntask workers will clone 'URL' (branch 'B') at commit SHA." and the
/// like for an unset branch or an unpinned commit.
std::string clone_sentence(const nlohmann::json& description);

} // namespace syntask::deploy
