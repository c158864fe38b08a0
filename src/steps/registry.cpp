// SPDX-License-Identifier: Apache-2.0
#include <syntask/steps/step.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <array>

namespace syntask::steps {

namespace {

// Packages whose steps are built in; `requires` may name them (any version), nothing is installed.
constexpr std::array<std::string_view, 6> k_step_packages{
    "syntask", "syntask-aws", "syntask-gcp", "syntask-azure", "syntask-docker", "syntask-kubernetes"};

// "prefect-aws[blob_storage]>=0.3" -> "syntask-aws".
std::string package_of_requirement(std::string_view requirement)
{
  std::string name = util::trim(requirement);
  const auto end = name.find_first_of("<>=!~[; ");
  if (end != std::string::npos) {
    name.resize(end);
  }
  name = util::to_lower(name);
  std::replace(name.begin(), name.end(), '_', '-');
  if (util::starts_with(name, "prefect")) {
    name = "syntask" + name.substr(7);
  }
  return name;
}

} // namespace

std::string canonical_step_name(std::string_view name)
{
  std::string canonical(name);
  if (util::starts_with(canonical, "prefect.") || util::starts_with(canonical, "prefect_")) {
    canonical = "syntask" + canonical.substr(7);
  }
  const std::string singular = ".deployment.steps.";
  if (const auto at = canonical.find(singular); at != std::string::npos) {
    canonical.replace(at, singular.size(), ".deployments.steps.");
  }
  return canonical;
}

const StepInfo* find_step(std::string_view name)
{
  const auto canonical = canonical_step_name(name);
  for (const auto& step : builtin_steps()) {
    if (step.name == canonical) {
      return &step;
    }
  }
  return nullptr;
}

std::vector<std::string> step_names()
{
  std::vector<std::string> names;
  for (const auto& step : builtin_steps()) {
    names.emplace_back(step.name);
  }
  return names;
}

std::string check_requires(const nlohmann::json& requires_)
{
  if (requires_.is_null()) {
    return "";
  }
  std::vector<std::string> requirements;
  if (requires_.is_string()) {
    requirements.push_back(requires_.get<std::string>());
  } else if (requires_.is_array()) {
    for (const auto& item : requires_) {
      if (!item.is_string()) {
        return "must be a string or a list of strings";
      }
      requirements.push_back(item.get<std::string>());
    }
  } else {
    return "must be a string or a list of strings";
  }
  for (const auto& requirement : requirements) {
    const auto package = package_of_requirement(requirement);
    if (std::find(k_step_packages.begin(), k_step_packages.end(), package) == k_step_packages.end()) {
      return "unknown step package " + util::quoted(requirement) +
             ": every step is built in; known packages are syntask, syntask-aws, syntask-gcp, syntask-azure, "
             "syntask-docker (or their prefect-* names)";
    }
  }
  return "";
}

} // namespace syntask::steps
