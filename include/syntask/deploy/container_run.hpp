// SPDX-License-Identifier: Apache-2.0
// What `syntask run` does for a deployment of a docker work pool: the flow runs in a container of the
// deployment's image, after the pull steps (see docs/docker.md, "Docker work pools").
#pragma once

#include <nlohmann/json.hpp>

namespace syntask::store {
class Store;
}
namespace syntask::ui {
class Output;
}

namespace syntask::deploy {

/// Whether the deployment's work pool exists in `store` with type "docker".
bool runs_in_container(const nlohmann::json& record, store::Store& store);

/// Runs the deployment in a container on the docker daemon of the environment and returns the flow's exit
/// status:
/// - the image is the `image` job variable (the digest form when deploy pinned it), used as the daemon has
///   it, else pulled with the login of the deployment's `image_credentials` block reference (resolved
///   now), else of ~/.docker/config.json;
/// - the pull steps are placed as container_run_plan.hpp says (fetching steps run here, in a temporary
///   staging folder, and what they fetched is copied into the created container);
/// - the container runs `python3 -u -c RUNNER` in the final container folder with the job variables
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
