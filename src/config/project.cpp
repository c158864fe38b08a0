// SPDX-License-Identifier: Apache-2.0
// The project file as a whole: its top-level keys, its deployments, and the rules that span them
// (unique deployment names, unique step ids).
#include <syntask/config/project.hpp>
#include <syntask/util/strings.hpp>

#include "config/validation.hpp"
#include <map>

namespace syntask::config {

namespace {

using detail::Problems;

const std::vector<std::string> k_top_level_keys{"name", "syntask-version", "prefect-version", "build", "push",
                                                "pull", "deployments",     "definitions"};

void check_top_level_fields(const nlohmann::json& root, Problems& problems)
{
  detail::check_keys(root, "", k_top_level_keys, problems);
  for (const auto* key : {"name", "syntask-version", "prefect-version"}) {
    if (root.contains(key)) {
      detail::expect_string(root[key], pointer_child("", key), problems, true);
    }
  }
}

std::vector<DeploymentSpec> read_deployments(const nlohmann::json& root, Problems& problems)
{
  std::vector<DeploymentSpec> deployments;
  const auto found = root.find("deployments");
  if (found == root.end() || found->is_null()) {
    return deployments;
  }
  if (!found->is_array()) {
    problems.value("/deployments", "must be a list of deployments, not " + detail::kind_name(*found));
    return deployments;
  }
  for (std::size_t i = 0; i < found->size(); ++i) {
    deployments.push_back(detail::read_deployment((*found)[i], i, problems));
  }
  return deployments;
}

// Names with placeholders are only known after resolution, so only literal names are compared.
void check_unique_names(const std::vector<DeploymentSpec>& deployments, Problems& problems)
{
  std::map<std::string, std::string> first_use;
  for (const auto& deployment : deployments) {
    const auto name = deployment.name();
    if (name.empty() || detail::has_placeholder(name)) {
      continue;
    }
    const auto [earlier, inserted] = first_use.emplace(name, deployment.pointer);
    if (!inserted) {
      problems.value(pointer_child(deployment.pointer, "name"),
                     "duplicate deployment name " + util::quoted(name) + "; already used by " +
                         field_path(earlier->second));
    }
  }
}

// Build and push share one namespace of step ids, pull has its own; a deployment's lists are checked
// together with the top-level lists they run with.
void check_step_ids(const ProjectFile& project, Problems& problems)
{
  std::vector<std::pair<std::string, std::string>> seen;
  detail::check_unique_ids(project.build, seen, "", problems);
  detail::check_unique_ids(project.push, seen, "", problems);
  seen.clear();
  if (project.pull) {
    detail::check_unique_ids(*project.pull, seen, "", problems);
  }
  for (const auto& deployment : project.deployments) {
    const auto own = deployment.pointer + "/";
    if (deployment.build || deployment.push) {
      seen.clear();
      detail::check_unique_ids(project.build_for(deployment), seen, own, problems);
      detail::check_unique_ids(project.push_for(deployment), seen, own, problems);
    }
    if (deployment.pull) {
      seen.clear();
      detail::check_unique_ids(*deployment.pull, seen, own, problems);
    }
  }
}

} // namespace

ProjectFile build_project(YamlDocument document, const std::filesystem::path& path)
{
  ProjectFile project;
  project.path = std::filesystem::absolute(path).lexically_normal();
  project.directory = project.path.parent_path();
  Problems problems(document.sources);
  const auto& root = document.root;
  if (root.is_null()) {
    problems.add(SourceRef{document.sources.file()}, "",
                 "the file is empty; expected a mapping with 'deployments'");
  } else if (!root.is_object()) {
    problems.value("", "the top level must be a mapping, not " + detail::kind_name(root));
  }
  problems.throw_if_any();

  check_top_level_fields(root, problems);
  if (const auto name = root.find("name"); name != root.end() && name->is_string()) {
    project.name = name->get<std::string>();
  }
  const auto step_list = [&](const char* key, steps::Phase phase) {
    return detail::read_step_list(root.value(key, nlohmann::json()), pointer_child("", key), phase, problems);
  };
  project.build = step_list("build", steps::Phase::build);
  project.push = step_list("push", steps::Phase::push);
  // Only a missing or null top-level pull means "the default pull"; [] means "no pull steps".
  if (root.contains("pull") && !root["pull"].is_null()) {
    project.pull = step_list("pull", steps::Phase::pull);
  }
  project.deployments = read_deployments(root, problems);
  check_unique_names(project.deployments, problems);
  check_step_ids(project, problems);
  problems.throw_if_any();

  project.document = std::move(document);
  return project;
}

ProjectFile load_project(const std::filesystem::path& path)
{
  return build_project(load_yaml_file(path), path);
}

std::filesystem::path default_project_file(const std::filesystem::path& directory)
{
  const auto syntask_file = directory / "syntask.yaml";
  const auto prefect_file = directory / "prefect.yaml";
  std::error_code ignored;
  if (!std::filesystem::exists(syntask_file, ignored) && std::filesystem::exists(prefect_file, ignored)) {
    return prefect_file;
  }
  return syntask_file;
}

const StepList& ProjectFile::build_for(const DeploymentSpec& d) const
{
  return d.build ? *d.build : build;
}

const StepList& ProjectFile::push_for(const DeploymentSpec& d) const
{
  return d.push ? *d.push : push;
}

std::optional<StepList> ProjectFile::pull_for(const DeploymentSpec& d) const
{
  if (d.pull && !d.pull_null) {
    return d.pull;
  }
  return pull;
}

} // namespace syntask::config
