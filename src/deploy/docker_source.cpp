// SPDX-License-Identifier: Apache-2.0
#include "deploy/docker_source.hpp"

#include <syntask/error.hpp>
#include <syntask/prompt/prompter.hpp>
#include <syntask/store/store.hpp>
#include <syntask/template/resolver.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "init/recipe_values.hpp"
#include <algorithm>

namespace syntask::deploy {

namespace {

using nlohmann::json;

constexpr const char* k_flag = "syntask init --recipe docker";
constexpr const char* k_set_working_directory = "syntask.deployments.steps.set_working_directory";
constexpr const char* k_dockerfile = "Dockerfile";
constexpr const char* k_auto = "auto";

config::StepSpec make_step(const char* name, std::string id, json args)
{
  config::StepSpec step;
  step.name = name;
  step.written_name = name;
  step.id = std::move(id);
  step.args = std::move(args);
  return step;
}

std::string literal_string(const json& object, const char* key)
{
  if (!object.is_object() || !object.contains(key) || !object[key].is_string() ||
      !tmpl::find_references(object[key]).empty()) {
    return "";
  }
  return object[key].get<std::string>();
}

std::string without_trailing_slashes(std::string text)
{
  while (!text.empty() && text.back() == '/') {
    text.pop_back();
  }
  return text;
}

// Sets the deployment's image to the output of build step `id` unless it names one; returns whether it did.
bool default_image(json& body, const std::string& id)
{
  auto& pool = body["work_pool"];
  if (!pool.contains("job_variables") || !pool["job_variables"].is_object()) {
    pool["job_variables"] = json::object();
  }
  auto& variables = pool["job_variables"];
  if (variables.contains("image") && !variables["image"].is_null()) {
    return false;
  }
  variables["image"] = "<< " + id + ".image >>";
  return true;
}

config::StepList working_directory_pull(const std::string& directory)
{
  return {make_step(k_set_working_directory, "", {{"directory", directory}})};
}

// "Dockerfile" to build with the project's own, else "auto"; a kept Dockerfile is moved out of the way
// of the generated one, which the build step refuses to overwrite.
std::string ask_dockerfile(const std::filesystem::path& project_dir, prompt::Prompter& prompter,
                           ui::Output& output)
{
  const auto existing = project_dir / k_dockerfile;
  if (!std::filesystem::is_regular_file(existing)) {
    return k_auto;
  }
  if (prompter.confirm("Would you like to use the Dockerfile in the current directory?", true, k_flag)) {
    return k_dockerfile;
  }
  if (!prompter.confirm(
          "A Dockerfile exists. You chose not to use it. A temporary Dockerfile will be automatically built "
          "during the deployment build step. If another file named 'Dockerfile' already exists at that time, "
          "the build step will fail. Would you like to rename your existing Dockerfile?",
          std::nullopt, k_flag)) {
    throw UsageError("a Dockerfile already exists; please remove or rename the existing one");
  }
  while (true) {
    const auto name = prompter.text("New Dockerfile name", std::string("Dockerfile.backup"), k_flag);
    const auto target = project_dir / name;
    if (name.empty() || std::filesystem::exists(target)) {
      output.warn(util::quoted(name) + " already exists; choose another name");
      continue;
    }
    std::filesystem::rename(existing, target);
    return k_auto;
  }
}

// Where the project's own Dockerfile puts the code, which the pull step moves into.
std::string ask_code_directory(const std::filesystem::path& project_dir, prompt::Prompter& prompter)
{
  const auto suggested = init::image_code_directory(project_dir.filename().string());
  if (!prompter.confirm(
          "Does your Dockerfile have a line that copies the current working directory into your image?",
          std::nullopt, k_flag)) {
    throw UsageError("your flow code must be copied into your Docker image to run your deployment; add a "
                     "line such as 'COPY . " +
                     suggested + "/' to your Dockerfile");
  }
  return prompter.text("What is the path to your flow code in your Dockerfile?", suggested, k_flag);
}

// "docker.io", "https://registry.example.com/" and the like as the host part of an image name.
std::string registry_host(const std::string& url)
{
  auto host = util::trim(url);
  if (const auto scheme = host.find("://"); scheme != std::string::npos) {
    host = host.substr(scheme + 3);
  }
  return without_trailing_slashes(host);
}

// The block holding the registry login: reused when it exists and the user agrees, else (re)written
// with a username and a password read without echo.
std::string ask_registry_login(const std::string& block_name, const std::string& registry,
                               store::Store& store, prompt::Prompter& prompter, ui::Output& output)
{
  if (store.get_block("docker-registry-credentials", block_name) &&
      prompter.confirm("Would you like to use the existing Docker registry credentials block " + block_name +
                           "?",
                       true, k_flag)) {
    return block_name;
  }
  const auto username = prompter.text("Docker registry username", std::nullopt, k_flag);
  const auto password = prompter.secret("Docker registry password", k_flag);
  util::Redactor::global().add_secret(password);
  store::Block block;
  block.type = "docker-registry-credentials";
  block.name = block_name;
  block.data = {{"username", username}, {"password", password}, {"registry_url", registry}};
  store.save_block(block, true);
  output.info("Saved the registry login as block 'docker-registry-credentials/" + block_name + "'.");
  return block_name;
}

} // namespace

bool has_step(const config::StepList& steps, std::string_view name)
{
  return std::any_of(steps.begin(), steps.end(),
                     [&](const config::StepSpec& step) { return step.name == name; });
}

bool in_docker_pool(store::Store& store, const json& body)
{
  const auto name = literal_string(body.value("work_pool", json()), "name");
  if (name.empty()) {
    return false;
  }
  const auto pool = store.get_work_pool(name);
  return pool && pool->type == "docker";
}

std::string registry_credentials_block(const std::string& deployment_name, const std::string& pool_name)
{
  return "deployment-" + util::slugify(deployment_name) + "-" + util::slugify(pool_name) + "-registry-creds";
}

std::optional<ImageSteps> ask_image_steps(const std::filesystem::path& project_dir, json& body,
                                          store::Store& store, prompt::Prompter& prompter, ui::Output& output)
{
  if (!prompter.confirm("Would you like to build a custom Docker image for this deployment?", false,
                        k_flag)) {
    return std::nullopt;
  }
  const auto deployment_name = literal_string(body, "name");
  const auto pool_name = literal_string(body["work_pool"], "name");
  ImageSteps steps;
  const auto dockerfile = ask_dockerfile(project_dir, prompter, output);
  steps.pull = working_directory_pull(dockerfile == k_auto
                                          ? init::image_code_directory(project_dir.filename().string())
                                          : ask_code_directory(project_dir, prompter));

  std::string repository;
  while (repository.empty()) {
    repository = without_trailing_slashes(
        prompter.text("Repository name (e.g. your Docker Hub username)", std::nullopt, k_flag));
  }
  const auto image = prompter.text(
      "Image name", deployment_name.empty() ? std::nullopt : std::optional(deployment_name), k_flag);
  const auto tag = prompter.text("Image tag", std::string("latest"), k_flag);
  output.info("Image " + repository + "/" + image + ":" + tag + " will be built.");

  auto image_name = repository + "/" + image;
  if (prompter.confirm("Would you like to push this image to a remote registry?", false, k_flag)) {
    const auto registry = registry_host(prompter.text("Registry URL", std::string("docker.io"), k_flag));
    image_name = registry + "/" + image_name;
    json push = {{"image_name", std::string("<< ") + k_build_image_id + ".image_name >>"},
                 {"tag", std::string("<< ") + k_build_image_id + ".tag >>"}};
    if (prompter.confirm("Is this a private registry?", std::nullopt, k_flag) &&
        prompter.confirm("Would you like to use Syntask to manage Docker registry credentials?", false,
                         k_flag)) {
      const auto block = ask_registry_login(registry_credentials_block(deployment_name, pool_name), registry,
                                            store, prompter, output);
      push["credentials"] = "<< syntask.blocks.docker-registry-credentials." + block + " >>";
    }
    steps.push.push_back(make_step(k_push_image_step, "", std::move(push)));
  }
  steps.build.push_back(make_step(k_build_image_step, k_build_image_id,
                                  {{"image_name", image_name}, {"tag", tag}, {"dockerfile", dockerfile}}));

  default_image(body, k_build_image_id);
  return steps;
}

void default_to_built_image(const config::StepList& build, const std::filesystem::path& project_dir,
                            json& body, std::optional<config::StepList>& pull, ui::Output& output)
{
  if (std::count_if(build.begin(), build.end(),
                    [](const config::StepSpec& step) { return step.name == k_build_image_step; }) != 1) {
    return;
  }
  const auto& step = *std::find_if(build.begin(), build.end(),
                                   [](const config::StepSpec& s) { return s.name == k_build_image_step; });
  if (step.id.empty()) {
    return;
  }
  if (default_image(body, step.id)) {
    output.info("Deployment image: the image of build step '" + step.id +
                "' (set work_pool.job_variables.image to run another).");
  }
  if (pull || literal_string(step.args, "dockerfile") != k_auto) {
    return;
  }
  // The generated Dockerfile copies the build context to /opt/syntask/<its directory name>.
  auto context = step.args.contains("path") ? literal_string(step.args, "path") : std::string(".");
  if (context.empty()) {
    return;
  }
  auto directory = (project_dir / context).lexically_normal();
  if (!directory.has_filename()) {
    directory = directory.parent_path();
  }
  pull = working_directory_pull(init::image_code_directory(directory.filename().string()));
}

} // namespace syntask::deploy
