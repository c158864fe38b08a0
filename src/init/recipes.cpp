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

// Every recipe writes the same metadata and build sections before its push and pull sections, and the
// same commented deployment stub after them.
constexpr std::string_view k_recipe_head = R"YAML(# Generic metadata about this project
name: {{ name }}
syntask-version: {{ syntask_version }}

# build section allows you to manage and build docker images
build: null

# push section allows you to manage if and how this project is uploaded to remote locations
)YAML";

constexpr std::string_view k_no_push = "push: null\n";

constexpr std::string_view k_pull_comment = R"YAML(
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

// The storage recipes push the project to a bucket at deploy time; their pull steps take the bucket and
// folder from the push step's outputs, so both always name the same place. Credentials are a block
// reference (or absent: the service's environment chain), never a value.
constexpr std::string_view k_s3_push = R"YAML(push:
- syntask_aws.deployments.steps.push_to_s3:
    id: push_code
    bucket: {{ bucket }}
    folder: {{ folder }}
    credentials: {{ credentials }}
    client_parameters:
      endpoint_url: {{ endpoint_url }}
)YAML";

constexpr std::string_view k_s3_pull = R"YAML(pull:
- syntask_aws.deployments.steps.pull_from_s3:
    id: pull_code
    bucket: << push_code.bucket >>
    folder: << push_code.folder >>
    credentials: {{ credentials }}
    client_parameters:
      endpoint_url: {{ endpoint_url }}
)YAML";

constexpr std::string_view k_gcs_push = R"YAML(push:
- syntask_gcp.deployments.steps.push_to_gcs:
    id: push_code
    bucket: {{ bucket }}
    folder: {{ folder }}
    project: {{ project }}
    credentials: {{ credentials }}
)YAML";

constexpr std::string_view k_gcs_pull = R"YAML(pull:
- syntask_gcp.deployments.steps.pull_from_gcs:
    id: pull_code
    bucket: << push_code.bucket >>
    folder: << push_code.folder >>
    project: {{ project }}
    credentials: {{ credentials }}
)YAML";

constexpr std::string_view k_azure_push = R"YAML(push:
- syntask_azure.deployments.steps.push_to_azure_blob_storage:
    id: push_code
    container: {{ container }}
    folder: {{ folder }}
    credentials: {{ credentials }}
)YAML";

constexpr std::string_view k_azure_pull = R"YAML(pull:
- syntask_azure.deployments.steps.pull_from_azure_blob_storage:
    id: pull_code
    container: << push_code.container >>
    folder: << push_code.folder >>
    credentials: {{ credentials }}
)YAML";

// A field naming a block becomes a reference to it in the field the steps read.
struct BlockReference {
  std::string_view recipe;
  std::string_view field;
  std::string_view block_type;
  std::string_view target;
};

constexpr BlockReference k_block_references[] = {
    {"git", "access_token_block", "secret", "access_token"},
    {"s3", "credentials_block", "aws-credentials", "credentials"},
    {"gcs", "credentials_block", "gcp-credentials", "credentials"},
    {"azure", "credentials_block", "azure-blob-storage-credentials", "credentials"},
};

constexpr const char* k_folder_help = "folder (key prefix) the code is stored under (default: the project "
                                      "directory name)";

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
  const bool has_folder = std::any_of(recipe.fields.begin(), recipe.fields.end(),
                                      [](const RecipeField& field) { return field.name == "folder"; });
  if (has_folder) {
    defaults["folder"] = directory.filename().string();
  }
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
  for (const auto& reference : k_block_references) {
    if (reference.recipe != recipe.name) {
      continue;
    }
    const auto block = values.find(std::string(reference.field));
    if (block == values.end() || block->second.empty()) {
      continue;
    }
    const bool plain = std::all_of(block->second.begin(), block->second.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
    });
    if (!plain) {
      throw UsageError("--field " + std::string(reference.field) + " " + util::quoted(block->second) +
                       ": a block name uses only letters, digits, '-' and '_'");
    }
    derived[std::string(reference.target)] =
        "<< syntask.blocks." + std::string(reference.block_type) + "." + block->second + " >>";
  }
  return derived;
}

std::string_view block_type_of(const Recipe& recipe, std::string_view field)
{
  for (const auto& reference : k_block_references) {
    if (reference.recipe == recipe.name && reference.field == field) {
      return reference.block_type;
    }
  }
  return {};
}

std::string recipe_document(const Recipe& recipe)
{
  return std::string(k_recipe_head) + std::string(recipe.push.empty() ? k_no_push : recipe.push) +
         std::string(k_pull_comment) + std::string(recipe.text) + std::string(k_recipe_tail);
}

std::string field_placeholder(const RecipeField& field)
{
  return field.name == "repository" || field.name == "endpoint_url" ? "URL" : "VALUE";
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
      {"s3",
       "Store code in an S3 bucket (or an S3-compatible store)",
       {{"bucket", "S3 bucket to store and retrieve the code from", true, true},
        {"folder", k_folder_help, false, true},
        {"credentials_block", "name of an aws-credentials block (empty: the AWS environment chain)", false,
         true},
        {"endpoint_url", "endpoint URL of an S3-compatible store (empty: AWS)", false, true}},
       k_s3_pull,
       k_s3_push},
      {"gcs",
       "Store code in a Google Cloud Storage bucket",
       {{"bucket", "GCS bucket to store and retrieve the code from", true, true},
        {"folder", k_folder_help, false, true},
        {"project", "Google Cloud project of the bucket (empty: the credentials' project)", false, true},
        {"credentials_block", "name of a gcp-credentials block (empty: the Google environment chain)", false,
         true}},
       k_gcs_pull,
       k_gcs_push},
      {"azure",
       "Store code in an Azure Blob Storage container",
       {{"container", "Azure Blob Storage container to store and retrieve the code from", true, true},
        {"folder", k_folder_help, false, true},
        {"credentials_block",
         "name of an azure-blob-storage-credentials block (empty: AZURE_STORAGE_CONNECTION_STRING)", false,
         true}},
       k_azure_pull,
       k_azure_push},
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
