// SPDX-License-Identifier: Apache-2.0
// Private: the run functions of the built-in steps, listed in builtin_steps.cpp.
#pragma once

#include <syntask/steps/step.hpp>

namespace syntask::steps {

nlohmann::json run_set_working_directory(const StepCall& call, StepContext& context);
nlohmann::json run_run_shell_script(const StepCall& call, StepContext& context);
nlohmann::json container_args_run_shell_script(const StepCall& call);
extern const std::string_view k_run_shell_script_python;
nlohmann::json run_pip_install_requirements(const StepCall& call, StepContext& context);
nlohmann::json container_args_pip_install_requirements(const StepCall& call);
extern const std::string_view k_pip_install_requirements_python;
nlohmann::json run_git_clone(const StepCall& call, StepContext& context);
/// The image_name check of the Docker steps (an ArgumentCheck).
std::string check_image_name(const nlohmann::json& value);

nlohmann::json run_build_docker_image(const StepCall& call, StepContext& context);
nlohmann::json run_push_docker_image(const StepCall& call, StepContext& context);
/// The object storage steps: one push and one pull for every service, which they read from their row
/// (StepInfo::storage_service).
nlohmann::json run_push_tree(const StepCall& call, StepContext& context);
nlohmann::json run_pull_tree(const StepCall& call, StepContext& context);

} // namespace syntask::steps
