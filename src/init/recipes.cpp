// SPDX-License-Identifier: Apache-2.0
// The init recipes. Each is the syntask.yaml it writes, with `{{ field }}` where its fields go.
#include <syntask/error.hpp>
#include <syntask/git/repository.hpp>
#include <syntask/init/init.hpp>
#include <syntask/util/strings.hpp>

#include "init/recipe_values.hpp"
#include <algorithm>
#include <cctype>
#include <deque>

namespace syntask::init {

namespace {

// Every recipe writes the same metadata and build sections before its push and pull sections, and the
// same commented deployment stub after them.
constexpr std::string_view k_recipe_head = R"YAML(# Generic metadata about this project
name: {{ name }}
syntask-version: {{ syntask_version }}

# build section allows you to manage and build docker images
)YAML";

constexpr std::string_view k_no_build = "build: null\n";

constexpr std::string_view k_push_comment = R"YAML(
# push section allows you to manage if and how this project is uploaded to remote locations
)YAML";

constexpr std::string_view k_no_push = "push: null\n";

constexpr std::string_view k_pull_comment = R"YAML(
# pull section allows you to provide instructions for cloning this project in remote locations
)YAML";

constexpr std::string_view k_stub_head = R"YAML(
# the deployments section allows you to provide configuration for deploying flows
deployments:
# - name: my-deployment
#   entrypoint: flows/my_flow.py:my_flow
#   parameters: {}
#   work_pool:
)YAML";

constexpr std::string_view k_stub_pool = "#     name: default\n";

// A recipe that builds an image runs it in a docker work pool.
constexpr std::string_view k_stub_image_pool = R"YAML(#     name: my-docker-pool
#     job_variables:
#       image: << build_image.image >>
)YAML";

constexpr std::string_view k_stub_tail = R"YAML(#   schedules:
#   - cron: "0 6 * * *"
#     timezone: UTC
)YAML";

constexpr std::string_view k_local_recipe = R"YAML(pull:
- syntask.deployments.steps.set_working_directory:
    directory: {{ directory }}
)YAML";

// The flow runs inside the clone: git_clone's `directory` is the last one a pull step reports, so nothing
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

// The image recipes build the project into an image (`auto`: the generated Dockerfile copies it to
// image_directory, where the pull step moves) and push it, logging in with a block when one is named.
constexpr std::string_view k_docker_build = R"YAML(build:
- syntask_docker.deployments.steps.build_docker_image:
    id: build_image
    image_name: {{ image_name }}
    tag: {{ tag }}
    dockerfile: {{ dockerfile }}
    base_image: {{ base_image }}
)YAML";

constexpr std::string_view k_docker_push = R"YAML(push:
- syntask_docker.deployments.steps.push_docker_image:
    id: push_image
    image_name: << build_image.image_name >>
    tag: << build_image.tag >>
    credentials: {{ registry_credentials }}
)YAML";

constexpr std::string_view k_docker_pull = R"YAML(pull:
- syntask.deployments.steps.set_working_directory:
    directory: {{ image_directory }}
)YAML";

constexpr std::string_view k_docker = "docker";

// Where `dockerfile: auto` copies the project inside the image (see build_docker_image).
constexpr std::string_view k_image_root = "/opt/syntask/";

// The image recipes that also ship the code another way: the docker recipe's fields, build and push
// followed by the named recipe's own fields, push and pull.
struct ImageVariant {
  std::string_view name;
  std::string_view description;
  std::string_view base;
};

constexpr ImageVariant k_image_variants[] = {
    {"docker-git", "Store code in a git repository and build a custom docker image for runtime", "git"},
    {"docker-s3", "Store code in an S3 bucket and build a custom docker image for runtime", "s3"},
    {"docker-gcs", "Store code in a Google Cloud Storage bucket and build a custom docker image for runtime",
     "gcs"},
    {"docker-azure",
     "Store code in an Azure Blob Storage container and build a custom docker image for runtime", "azure"},
};

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
    {"docker", "registry_credentials_block", "docker-registry-credentials", "registry_credentials"},
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

bool has_dockerfile(const std::filesystem::path& directory)
{
  return std::filesystem::is_regular_file(directory / "Dockerfile");
}

// The recipes a recipe is made of: itself, or for an image variant the docker recipe and its base.
std::vector<std::string_view> parts_of(const Recipe& recipe)
{
  for (const auto& variant : k_image_variants) {
    if (variant.name == recipe.name) {
      return {k_docker, variant.base};
    }
  }
  return {recipe.name};
}

bool has_part(const Recipe& recipe, std::string_view part)
{
  const auto parts = parts_of(recipe);
  return std::find(parts.begin(), parts.end(), part) != parts.end();
}

const std::vector<RecipeField>& image_fields()
{
  static const std::vector<RecipeField> fields{
      {"image_name", "image name, with its registry (e.g. registry.example.com/team/flows)", true, true},
      {"tag", "image tag", false, true},
      {"dockerfile",
       "Dockerfile to build (default: ./Dockerfile when it exists, else auto: one generated at build time)",
       false},
      {"base_image", "base image of the auto Dockerfile (default: python:X.Y-slim of the local python3)",
       false},
      {"registry_credentials_block",
       "name of a docker-registry-credentials block for the push (empty: ~/.docker/config.json)", false,
       true},
  };
  return fields;
}

// An image variant's push section: the image's push step, then the base recipe's push steps. The texts
// live as long as the recipe table that views them.
std::string_view variant_push(const Recipe& base)
{
  static std::deque<std::string> texts;
  if (base.push.empty()) {
    return k_docker_push;
  }
  const auto steps = base.push.substr(base.push.find('\n') + 1);
  texts.push_back(std::string(k_docker_push) + std::string(steps));
  return texts.back();
}

Recipe image_variant(const ImageVariant& variant, const Recipe& base)
{
  Recipe recipe{variant.name, variant.description, image_fields(),
                base.text,    variant_push(base),  k_docker_build};
  recipe.fields.insert(recipe.fields.end(), base.fields.begin(), base.fields.end());
  return recipe;
}

} // namespace

std::string infer_recipe(const std::filesystem::path& directory)
{
  const auto repo = repository_at(directory);
  const bool remote = repo && repo->has_remote();
  // A Dockerfile says the project runs in an image of its own, as Prefect infers.
  if (has_dockerfile(directory)) {
    return remote ? "docker-git" : "docker";
  }
  return remote ? "git" : "local";
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
  if (has_part(recipe, k_docker)) {
    defaults["tag"] = "latest";
    defaults["dockerfile"] = has_dockerfile(directory) ? "Dockerfile" : "auto";
  }
  if (!has_part(recipe, "git")) {
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
    if (!has_part(recipe, reference.recipe)) {
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
  if (has_part(recipe, k_docker)) {
    const auto dockerfile = values.find("dockerfile");
    if (values.count("base_image") != 0 && dockerfile != values.end() && dockerfile->second != "auto") {
      throw UsageError("--field base_image: only the auto Dockerfile has a base image to set, and this "
                       "project builds " +
                       util::quoted(dockerfile->second));
    }
    const auto name = values.find("name");
    derived["image_directory"] = image_code_directory(name != values.end() ? name->second : std::string());
  }
  return derived;
}

std::string_view block_type_of(const Recipe& recipe, std::string_view field)
{
  for (const auto& reference : k_block_references) {
    if (has_part(recipe, reference.recipe) && reference.field == field) {
      return reference.block_type;
    }
  }
  return {};
}

std::string recipe_document(const Recipe& recipe)
{
  const auto section = [](std::string_view text, std::string_view none) {
    return std::string(text.empty() ? none : text);
  };
  return std::string(k_recipe_head) + section(recipe.build, k_no_build) + std::string(k_push_comment) +
         section(recipe.push, k_no_push) + std::string(k_pull_comment) + std::string(recipe.text) +
         std::string(k_stub_head) + std::string(recipe.build.empty() ? k_stub_pool : k_stub_image_pool) +
         std::string(k_stub_tail);
}

std::string project_file_header()
{
  return "# Welcome to your syntask.yaml file! You can use this file for storing and managing\n"
         "# configuration for deploying your flows. We recommend committing this file to source\n"
         "# control along with your flow code.\n\n";
}

std::string image_code_directory(std::string_view project_name)
{
  return std::string(k_image_root) + std::string(project_name);
}

std::string field_placeholder(const RecipeField& field)
{
  return field.name == "repository" || field.name == "endpoint_url" ? "URL" : "VALUE";
}

const std::vector<Recipe>& recipes()
{
  static const std::vector<Recipe> all = [] {
    std::vector<Recipe> list{
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
          {"credentials_block", "name of a gcp-credentials block (empty: the Google environment chain)",
           false, true}},
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
        {k_docker, "Store code within a custom docker image alongside its runtime environment",
         image_fields(), k_docker_pull, k_docker_push, k_docker_build},
    };
    for (const auto& variant : k_image_variants) {
      const auto base = std::find_if(list.begin(), list.end(),
                                     [&](const Recipe& recipe) { return recipe.name == variant.base; });
      list.push_back(image_variant(variant, *base));
    }
    return list;
  }();
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
