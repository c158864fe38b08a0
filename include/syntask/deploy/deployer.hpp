// SPDX-License-Identifier: Apache-2.0
// `syntask deploy`: selecting deployments from syntask.yaml, filling in what is missing (flags or
// prompts), running build and push steps, resolving the deployment body and baking the pull steps, and
// registering the result in the store.
#pragma once

#include <syntask/config/project.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace syntask::store {
class Store;
}
namespace syntask::prompt {
class Prompter;
}
namespace syntask::ui {
class Output;
}

namespace syntask::deploy {

/// What the command line asked for. Unset optionals leave syntask.yaml's values alone.
struct DeployRequest {
  std::filesystem::path project_file; ///< empty: the default file in the current directory
  std::optional<std::string> entrypoint;
  std::vector<std::string> names; ///< names, FLOW/NAME forms and * patterns
  bool all = false;
  std::optional<std::string> pool;
  std::optional<std::string> work_queue;
  nlohmann::json parameters = nlohmann::json::object(); ///< --param / --params, merged over the file's
  std::optional<std::vector<std::string>> tags;         ///< --tag replaces the file's tags
  std::optional<std::string> version;
  std::optional<std::string> description;
  nlohmann::json schedules = nlohmann::json::array(); ///< from --cron / --interval / --rrule
  std::optional<std::string> timezone;                ///< applies to every schedule
  nlohmann::json job_variables = nlohmann::json::object();
  bool dry_run = false;
  /// --no-pin: git_clone pull steps follow their branch instead of getting the HEAD commit as commit_sha.
  bool no_pin = false;
  /// --require-pushed: uncommitted changes, or a HEAD not on the remote branch, fail the deploy (exit 2)
  /// instead of warning, when a selected deployment pulls with git_clone.
  bool require_pushed = false;
  /// --no-verify: skip asking the remote of each git_clone pull step whether its branch exists.
  bool no_verify = false;
};

/// One deployment that was (or, under --dry-run, would be) registered.
struct DeployResult {
  std::string flow_name;
  std::string name;
  bool created = false;  ///< false: an existing deployment was updated
  nlohmann::json record; ///< the stored deployment
  std::string load_from; ///< default pull: the absolute flow file workers load
  /// One {repository (redacted), branch, commit_sha} per git_clone pull step, values null when unset.
  nlohmann::json clones = nlohmann::json::array();
};

/// Deploys what `request` selects. Validation, every question and every check that needs no step output
/// (step output references, blocks, variables, the work pool, the branch of each git_clone pull step on
/// its remote) happen before any step runs; build and push steps of every selected deployment run before
/// anything is registered, and all records are saved together, so a failure registers nothing. In a git
/// repository: git_clone pull steps are pinned to HEAD (see DeployRequest::no_pin), unpushed work is reported
/// before any step runs, and an interactive deploy without pull steps offers to pull from the repository's
/// remote (saving a private repository's token as a secret block). See docs/git.md.
std::vector<DeployResult> deploy(const DeployRequest& request, store::Store& store,
                                 prompt::Prompter& prompter, ui::Output& output);

/// The stored record's address: "FLOW/NAME".
std::string deployment_address(const nlohmann::json& record);

/// Splits "FLOW/NAME"; throws UsageError when the form is wrong.
std::pair<std::string, std::string> parse_address(const std::string& address);

} // namespace syntask::deploy
