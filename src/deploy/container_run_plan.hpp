// SPDX-License-Identifier: Apache-2.0
// Private: what the pull steps of a docker work pool's deployment do. Nothing runs inside the container
// until it starts, and no credential may enter it, so each step has one place (its row's container_place,
// steps/builtin_steps.cpp): set_working_directory moves the container's folder; steps that fetch code run
// here, in a staging folder standing for the container's folder of that moment, and what they fetched is
// copied in; run_shell_script and pip_install_requirements run in the container before the flow.
#pragma once

#include <syntask/config/project.hpp>
#include <syntask/steps/runner.hpp>
#include <syntask/steps/step.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace syntask::deploy {

/// A pull step the container runs before the flow.
struct ContainerStep {
  std::string label;     ///< "pull[INDEX] 'ID' (NAME AS WRITTEN): ", the start of its failure message
  std::string step;      ///< "run_shell_script" or "pip_install_requirements"
  nlohmann::json args;   ///< checked and typed, every argument present (the row's container_args)
  std::string directory; ///< the container folder it starts in
};

struct ContainerPullPlan {
  std::string working_directory; ///< the container folder the flow runs in
  std::vector<ContainerStep> container_steps;
  /// Staging folders ('/'-separated, relative to the staging folder) made to stand for folders the image
  /// may have, where host steps fetched into (and their parents, first), but none inside a folder a host
  /// step fetched. The upload writes no entry for them, only for what is inside, so folders of the image
  /// keep their owner and mode (the daemon makes missing ones).
  std::vector<std::string> staged_directories;
};

/// Runs a host step (the step table's function; tests put their own).
using HostStepRunner = std::function<nlohmann::json(const steps::StepInfo& step, const steps::StepCall& call,
                                                    steps::StepContext& context)>;

struct ContainerPullOptions {
  std::string start_directory;   ///< the image's WorkingDir; "" means "/"
  std::filesystem::path staging; ///< the host folder standing for the container's "/"
  HostStepRunner run_host_step;  ///< empty: the step's own function
};

/// Walks `steps` in order, resolving each one's arguments against `scope` just before it is placed (the
/// outputs of earlier steps included), tracking the container folder steps run in: set_working_directory
/// joins a relative folder to the current one (an absolute one replaces it; nothing is checked, the
/// daemon makes a missing working folder); host steps run with context.working_directory set to the
/// staging folder of the current container folder (an absolute `directory` they report is given to later
/// steps as the container's path); container steps are recorded. The flow's folder follows
/// steps::FlowDirectory, as for runs on this machine. Throws StepError
/// "pull[INDEX] ['ID'] (NAME): CAUSE" for a step that cannot run in a docker work pool, a reference that
/// does not resolve, a wrong argument, a failing host step, or one that wrote outside the staging folder.
ContainerPullPlan plan_container_pull(const config::StepList& steps, const ContainerPullOptions& options,
                                      steps::StepContext& context, steps::StepScope& scope);

/// The deployment's stored pull steps.
config::StepList stored_pull_steps(const nlohmann::json& record);

} // namespace syntask::deploy
