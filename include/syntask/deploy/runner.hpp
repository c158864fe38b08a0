// SPDX-License-Identifier: Apache-2.0
// What a worker does with a stored deployment: run its pull steps, then call the flow function, here or,
// for a docker work pool, in a container (see docs/docker.md, "Docker work pools").
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace syntask::store {
class Store;
}
namespace syntask::ui {
class Output;
}

namespace syntask::deploy {

struct PullResult {
  std::filesystem::path working_directory; ///< where the flow runs after the pull steps
  std::string entrypoint;                  ///< as stored
  std::filesystem::path entrypoint_path;   ///< absolute flow file; empty for a module entrypoint
};

/// Runs the deployment's pull steps starting in `directory`, resolving their references (earlier pull
/// step outputs, this process's environment, blocks, variables) as they run; the flow's folder follows
/// steps::FlowDirectory.
PullResult pull_deployment(const nlohmann::json& record, const std::filesystem::path& directory,
                           store::Store& store, ui::Output& output);

/// Calls the entrypoint's function with `parameters` as keyword arguments in python3 (or
/// SYNTASK_PYTHON), streaming its output (secrets masked) to `output`; returns the process exit status.
int run_flow(const PullResult& pulled, const nlohmann::json& parameters, ui::Output& output);

/// The deployment's parameters merged with `overrides`, with every remaining reference (secrets kept
/// out of the record) resolved now.
nlohmann::json resolve_run_parameters(const nlohmann::json& record, const nlohmann::json& overrides,
                                      store::Store& store);

/// Whether the deployment's work pool exists in `store` with type "docker".
bool runs_in_container(const nlohmann::json& record, store::Store& store);

/// Runs the deployment in a container on the docker daemon of the environment and returns the flow's exit
/// status:
/// - the image is the `image` job variable (the digest form when deploy pinned it), used as the daemon has
///   it, else pulled with the login of the deployment's `image_credentials` block reference (resolved
///   now), else of ~/.docker/config.json;
/// - the pull steps: set_working_directory moves the container's folder (from the image's WorkingDir);
///   git_clone and pull_from_* run here, in a temporary staging folder, and what they fetched is copied
///   into the created container; run_shell_script and pip_install_requirements run in the container
///   before the flow; any other step is a StepError;
/// - the container runs `python3 -u -c RUNNER` in the flow's container folder (steps::FlowDirectory, as
///   for runs here) with the job variables
///   `env` (a mapping, added to Env), `volumes` (HOST:CONTAINER[:ro] binds) and `network_mode`; the
///   parameters and the container steps' arguments reach it in a file (/.syntask/run.json, deleted by the
///   runner), never in Env;
/// - output is streamed as it comes with secrets masked; the container is removed afterwards, also on
///   failure and on SIGINT, SIGTERM or SIGHUP (which then throw Interrupted).
/// Throws UsageError for a deployment without an entrypoint or image or with malformed job variables,
/// StepError for a failing pull step, RemoteError for the daemon's and registry's refusals.
int run_in_container(const nlohmann::json& record, const nlohmann::json& parameters, store::Store& store,
                     ui::Output& output);

} // namespace syntask::deploy
