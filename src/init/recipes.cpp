// SPDX-License-Identifier: Apache-2.0
// The init recipes. Each is the syntask.yaml it writes, with `{{ field }}` where its fields go.
#include <syntask/error.hpp>
#include <syntask/init/init.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::init {

namespace {

constexpr std::string_view k_local_recipe = R"YAML(# Generic metadata about this project
name: {{ name }}
syntask-version: {{ syntask_version }}

# build section allows you to manage and build docker images
build: null

# push section allows you to manage if and how this project is uploaded to remote locations
push: null

# pull section allows you to provide instructions for cloning this project in remote locations
pull:
- syntask.deployments.steps.set_working_directory:
    directory: {{ directory }}

# the deployments section allows you to provide configuration for deploying flows
deployments:
# - name: my-deployment
#   entrypoint: flows/my_flow.py:my_flow
#   parameters: {}
#   work_pool:
#     name: default
#   schedules:
#   - cron: "0 6 * * *"
#     timezone: UTC
)YAML";

} // namespace

const std::vector<Recipe>& recipes()
{
  static const std::vector<Recipe> all{
      {"local",
       "Store code on a local filesystem",
       {{"directory", "directory workers load the flow code from (default: the project directory)", false}},
       k_local_recipe},
  };
  return all;
}

const Recipe& require_recipe(std::string_view name)
{
  std::vector<std::string> names;
  for (const auto& recipe : recipes()) {
    if (recipe.name == name) {
      return recipe;
    }
    names.emplace_back(recipe.name);
  }
  throw UsageError("unknown recipe " + util::quoted(name) + util::did_you_mean(name, names) +
                   " (recipes: " + util::join(names, ", ") + ")");
}

} // namespace syntask::init
