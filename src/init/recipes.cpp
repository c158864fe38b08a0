// SPDX-License-Identifier: Apache-2.0
// The init recipes. Each is the syntask.yaml it writes, with `{{ field }}` where its fields go.
#include <syntask/error.hpp>
#include <syntask/git/repository.hpp>
#include <syntask/init/init.hpp>
#include <syntask/util/strings.hpp>

#include "init/recipe_values.hpp"
#include <algorithm>
#include <cctype>

namespace syntask::init {

namespace {

// Every recipe writes the same metadata, build and push sections before its pull steps, and the same
// commented deployment stub after them.
constexpr std::string_view k_recipe_head = R"YAML(# Generic metadata about this project
name: {{ name }}
syntask-version: {{ syntask_version }}

# build section allows you to manage and build docker images
build: null

# push section allows you to manage if and how this project is uploaded to remote locations
push: null

# pull section allows you to provide instructions for cloning this project in remote locations
)YAML";

constexpr std::string_view k_recipe_tail = R"YAML(
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

constexpr std::string_view k_local_recipe = R"YAML(pull:
- syntask.deployments.steps.set_working_directory:
    directory: {{ directory }}
)YAML";

// The flow runs inside the clone: git_clone outputs `directory` and the runner moves there, so nothing
// follows the clone step. A line whose field is not given (access_token) is left out.
constexpr std::string_view k_git_recipe = R"YAML(pull:
- syntask.deployments.steps.git_clone:
    id: clone-step
    repository: {{ repository }}
    branch: {{ branch }}
    access_token: {{ access_token }}
)YAML";

std::optional<git::RepositoryState> repository_at(const std::filesystem::path& directory)
{
  try {
    return git::inspect_repository(directory);
  } catch (const UsageError&) {
    // An unreadable repository suggests nothing; the fields can still be given.
    return std::nullopt;
  }
}

} // namespace

std::string infer_recipe(const std::filesystem::path& directory)
{
  const auto repo = repository_at(directory);
  return repo && repo->has_remote() ? "git" : "local";
}

std::map<std::string, std::string> field_defaults(const Recipe& recipe,
                                                  const std::filesystem::path& directory)
{
  std::map<std::string, std::string> defaults;
  if (recipe.name != "git") {
    return defaults;
  }
  defaults["branch"] = "main";
  if (const auto repo = repository_at(directory)) {
    if (repo->has_remote()) {
      defaults["repository"] = git::strip_user_info(repo->remote_url);
    }
    if (!repo->branch.empty()) {
      defaults["branch"] = repo->branch;
    }
  }
  return defaults;
}

std::map<std::string, std::string> derived_values(const Recipe& recipe,
                                                  const std::map<std::string, std::string>& values)
{
  std::map<std::string, std::string> derived;
  if (recipe.name == "git") {
    if (const auto block = values.find("access_token_block");
        block != values.end() && !block->second.empty()) {
      const bool plain = std::all_of(block->second.begin(), block->second.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
      });
      if (!plain) {
        throw UsageError("--field access_token_block " + util::quoted(block->second) +
                         ": a block name uses only letters, digits, '-' and '_'");
      }
      derived["access_token"] = "<< syntask.blocks.secret." + block->second + " >>";
    }
  }
  return derived;
}

std::string recipe_document(const Recipe& recipe)
{
  return std::string(k_recipe_head) + std::string(recipe.text) + std::string(k_recipe_tail);
}

std::string field_placeholder(const RecipeField& field)
{
  return field.name == "repository" ? "URL" : "VALUE";
}

const std::vector<Recipe>& recipes()
{
  static const std::vector<Recipe> all{
      {"local",
       "Store code on a local filesystem",
       {{"directory", "directory workers load the flow code from (default: the project directory)", false}},
       k_local_recipe},
      {"git",
       "Store code in a git repository that workers clone",
       {{"repository", "URL of the git repository workers clone (default: this repository's remote)", true},
        {"branch", "branch workers clone (default: the current branch, else main)", false},
        {"access_token_block", "name of a secret block holding a token for a private repository", false}},
       k_git_recipe},
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
