// SPDX-License-Identifier: Apache-2.0
// Private: what deploy does for a deployment in a docker work pool: the interactive questions about
// building (and pushing) a custom image for it, as Prefect asks them, and the defaults that make a built
// image the one the deployment runs.
#pragma once

#include <syntask/config/project.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

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

inline constexpr const char* k_build_image_step = "syntask_docker.deployments.steps.build_docker_image";
inline constexpr const char* k_push_image_step = "syntask_docker.deployments.steps.push_docker_image";
/// The id of the build step the questions write: the init recipes' id, so `<< build_image.image >>`
/// means the same everywhere.
inline constexpr const char* k_build_image_id = "build_image";

/// Whether `steps` holds a step named `name` (canonical name, so the prefect_docker aliases count).
bool has_step(const config::StepList& steps, std::string_view name);

/// Whether the work pool `body` names (work_pool.name, a literal) exists and is of type docker.
bool in_docker_pool(store::Store& store, const nlohmann::json& body);

/// The docker-registry-credentials block the questions save a deployment's login in:
/// "deployment-<slug(deployment)>-<slug(pool)>-registry-creds".
std::string registry_credentials_block(const std::string& deployment_name, const std::string& pool_name);

/// What the image questions add to a deployment.
struct ImageSteps {
  config::StepList build; ///< the build_docker_image step, id k_build_image_id
  config::StepList push;  ///< its push_docker_image step; empty when the image is not pushed
  config::StepList pull;  ///< set_working_directory to where the image holds the code
};

/// Asks whether to build a custom Docker image for the deployment `body` describes and, if so: whether
/// to use ./Dockerfile (or rename it out of the way of a generated one), the repository, image name
/// (default: the deployment name) and tag, whether to push it and to which registry, and for a private
/// registry whether to keep the login in a docker-registry-credentials block (registry_credentials_block;
/// an existing one may be reused; the password is read without echo and never written anywhere but the
/// store). Sets `work_pool.job_variables.image` in `body` to `<< build_image.image >>` unless it names an
/// image. Returns nullopt when the user declines. Throws UsageError when a Dockerfile is kept that a
/// generated one would collide with, or a given Dockerfile does not copy the code into the image.
std::optional<ImageSteps> ask_image_steps(const std::filesystem::path& project_dir, nlohmann::json& body,
                                          store::Store& store, prompt::Prompter& prompter,
                                          ui::Output& output);

/// Defaults for a deployment in a docker work pool whose `build` has exactly one build_docker_image step
/// with an id: `work_pool.job_variables.image` in `body` becomes `<< ID.image >>` when unset, and when
/// the deployment has no pull steps (`pull` nullopt) and the step builds `dockerfile: auto`, `pull`
/// becomes a set_working_directory to where that Dockerfile copies the project in the image. Says so on
/// `output`.
void default_to_built_image(const config::StepList& build, const std::filesystem::path& project_dir,
                            nlohmann::json& body, std::optional<config::StepList>& pull, ui::Output& output);

} // namespace syntask::deploy
