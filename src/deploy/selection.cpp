// SPDX-License-Identifier: Apache-2.0
#include "deploy/selection.hpp"

#include <syntask/flows/discovery.hpp>
#include <syntask/prompt/prompter.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>

namespace syntask::deploy {

namespace {

// The flow names a FLOW/NAME selector may use for an entry: the real @flow name and the function name
// with '_' -> '-' (what the reference matched), so both spellings select it.
std::vector<std::string> flow_names_of(const config::DeploymentSpec& spec,
                                       const std::filesystem::path& project_dir)
{
  std::vector<std::string> names;
  const auto entrypoint = spec.entrypoint();
  if (entrypoint.empty()) {
    return names;
  }
  const auto colon = entrypoint.rfind(':');
  const auto dot = entrypoint.rfind('.');
  std::string function = colon != std::string::npos ? entrypoint.substr(colon + 1)
                         : dot != std::string::npos ? entrypoint.substr(dot + 1)
                                                    : entrypoint;
  std::replace(function.begin(), function.end(), '_', '-');
  names.push_back(function);
  try {
    names.push_back(flows::flow_name_for_entrypoint(project_dir, entrypoint));
  } catch (const Error&) {
    // A missing file is reported when the deployment is prepared; selection only needs names.
  }
  return names;
}

bool matches(const std::string& selector, const config::DeploymentSpec& spec,
             const std::filesystem::path& project_dir)
{
  const auto slash = selector.find('/');
  if (slash == std::string::npos) {
    return util::glob_match(selector, spec.name());
  }
  const auto flow_pattern = selector.substr(0, slash);
  const auto name_pattern = selector.substr(slash + 1);
  if (!util::glob_match(name_pattern, spec.name())) {
    return false;
  }
  for (const auto& flow_name : flow_names_of(spec, project_dir)) {
    if (util::glob_match(flow_pattern, flow_name)) {
      return true;
    }
  }
  return false;
}

std::string describe(const config::DeploymentSpec& spec)
{
  const auto name = spec.name().empty() ? "#" + std::to_string(spec.index) + " (unnamed)" : spec.name();
  return spec.entrypoint().empty() ? name : name + "  (" + spec.entrypoint() + ")";
}

} // namespace

std::vector<Selected> select_deployments(const config::ProjectFile* project, const DeployRequest& request,
                                         const std::filesystem::path& project_dir, prompt::Prompter& prompter)
{
  const std::vector<config::DeploymentSpec> none;
  const auto& specs = project != nullptr ? project->deployments : none;
  if (request.all && !request.names.empty()) {
    throw UsageError("--all and --name cannot be used together");
  }
  std::vector<Selected> selected;
  if (request.all) {
    if (specs.empty()) {
      throw UsageError("--all: the project file has no deployments");
    }
    for (const auto& spec : specs) {
      selected.push_back({&spec, ""});
    }
    return selected;
  }
  if (!request.names.empty()) {
    std::vector<std::string> unmatched;
    for (const auto& selector : request.names) {
      bool found = false;
      for (const auto& spec : specs) {
        if (matches(selector, spec, project_dir)) {
          found = true;
          const bool already = std::any_of(selected.begin(), selected.end(),
                                           [&](const Selected& s) { return s.spec == &spec; });
          if (!already) {
            selected.push_back({&spec, ""});
          }
        }
      }
      if (!found) {
        unmatched.push_back(selector);
      }
    }
    if (!unmatched.empty()) {
      // One plain name that the file does not have names a new deployment (given on the command line).
      const auto& only = unmatched.front();
      const bool plain = only.find('*') == std::string::npos;
      if (request.names.size() == 1 && plain) {
        const auto slash = only.find('/');
        return {{nullptr, slash == std::string::npos ? only : only.substr(slash + 1)}};
      }
      throw UsageError("no deployment in the project file matches " + util::join(unmatched, ", ") +
                       (specs.empty() ? "" : "; deployments are: " + [&] {
                         std::vector<std::string> names;
                         for (const auto& spec : specs) {
                           names.push_back(spec.name());
                         }
                         return util::join(names, ", ");
                       }()));
    }
    return selected;
  }
  if (request.entrypoint) {
    for (const auto& spec : specs) {
      if (spec.entrypoint() == *request.entrypoint) {
        selected.push_back({&spec, ""});
      }
    }
    if (selected.size() == 1) {
      return selected;
    }
    return {{nullptr, ""}};
  }
  if (specs.empty()) {
    return {{nullptr, ""}};
  }
  if (specs.size() == 1) {
    return {{&specs.front(), ""}};
  }
  if (!prompter.interactive()) {
    throw UsageError("the project file has " + std::to_string(specs.size()) +
                     " deployments; choose with --name NAME (or FLOW/NAME, or a * pattern) or --all");
  }
  std::vector<std::string> options;
  for (const auto& spec : specs) {
    options.push_back(describe(spec));
  }
  options.emplace_back("No, configure a new deployment");
  const auto choice = prompter.choose("Would you like to use an existing deployment configuration?", options,
                                      options.size(), "--name NAME or --all");
  if (choice >= specs.size()) {
    return {{nullptr, ""}};
  }
  return {{&specs[choice], ""}};
}

} // namespace syntask::deploy
