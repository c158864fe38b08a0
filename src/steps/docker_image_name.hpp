// SPDX-License-Identifier: Apache-2.0
// Private: what the two Docker steps share: image names as the reference steps treat them, default tags,
// the per-deploy output cache and the daemon connection.
#pragma once

#include <syntask/steps/step.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace syntask::steps::docker_steps {

/// "" when `name` is a usable image name, else the problem ("must not contain whitespace", ...).
std::string image_name_problem(std::string_view name);

/// The name with the default namespace (SYNTASK_DEFAULT_DOCKER_BUILD_NAMESPACE) prepended when it has
/// none: "app" gets one, "team/app" and "registry:5000/app" do not.
std::string namespaced_image_name(const std::string& image_name);

/// The reference's default tag: the current UTC time, ISO 8601, slugified
/// ("2026-08-21t16-27-33-123456-00-00").
std::string default_tag();

/// `additional_tags` as a list (a single string is one tag); throws StepError for anything else.
std::vector<std::string> additional_tags(const StepCall& call);

/// The image name argument, checked and namespaced; throws StepError naming the problem.
std::string image_name_argument(const StepCall& call);

/// Runs `produce` unless an identical call (same step, same arguments) already ran in this process and
/// `ignore_cache` is false; the outputs of the first run are returned then.
nlohmann::json cached(const StepCall& call, const std::function<nlohmann::json()>& produce);

} // namespace syntask::steps::docker_steps
