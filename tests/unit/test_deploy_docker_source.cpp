// SPDX-License-Identifier: Apache-2.0
#include <syntask/init/init.hpp>
#include <syntask/ui/output.hpp>

#include <catch2/catch_test_macros.hpp>

#include "deploy/docker_source.hpp"
#include "init/recipe_values.hpp"
#include <sstream>

namespace {

using nlohmann::json;
using namespace syntask;
using namespace syntask::deploy;

config::StepSpec build_step(std::string id, json args)
{
  config::StepSpec step;
  step.name = k_build_image_step;
  step.written_name = "prefect_docker.deployments.steps.build_docker_image";
  step.id = std::move(id);
  step.args = std::move(args);
  return step;
}

json pool_body(json job_variables = nullptr)
{
  json body = {{"name", "d"}, {"work_pool", {{"name", "docker-pool"}}}};
  if (!job_variables.is_null()) {
    body["work_pool"]["job_variables"] = std::move(job_variables);
  }
  return body;
}

std::string pull_directory(const std::optional<config::StepList>& pull)
{
  REQUIRE(pull);
  REQUIRE(pull->size() == 1);
  CHECK(pull->front().name == "syntask.deployments.steps.set_working_directory");
  return pull->front().args.at("directory").get<std::string>();
}

} // namespace

TEST_CASE("deploy::registry_credentials_block slugifies the deployment and pool names")
{
  CHECK(registry_credentials_block("My Deployment", "Docker Pool") ==
        "deployment-my-deployment-docker-pool-registry-creds");
}

TEST_CASE("deploy::has_step matches canonical names, aliases included")
{
  const config::StepList build{build_step("build_image", json::object())};
  CHECK(has_step(build, k_build_image_step));
  CHECK_FALSE(has_step(build, k_push_image_step));
  CHECK_FALSE(has_step({}, k_build_image_step));
}

TEST_CASE("deploy::default_to_built_image")
{
  const std::filesystem::path project = "/work/my-project";
  std::optional<config::StepList> pull;
  std::ostringstream out;
  std::ostringstream err;
  ui::Output quiet(out, err, false, false, false);

  SECTION("an auto build gives the image and the pull into it")
  {
    auto body = pool_body();
    default_to_built_image({build_step("build_image", {{"dockerfile", "auto"}})}, project, body, pull, quiet);
    CHECK(body["work_pool"]["job_variables"]["image"] == "<< build_image.image >>");
    CHECK(pull_directory(pull) == "/opt/syntask/my-project");
  }
  SECTION("the build context's own name when the step builds another directory")
  {
    auto body = pool_body();
    default_to_built_image({build_step("img", {{"dockerfile", "auto"}, {"path", "sub/app/"}})}, project, body,
                           pull, quiet);
    CHECK(body["work_pool"]["job_variables"]["image"] == "<< img.image >>");
    CHECK(err.str() ==
          "Deployment image: the image of build step 'img' (set work_pool.job_variables.image to "
          "run another).\n");
    CHECK(pull_directory(pull) == "/opt/syntask/app");
  }
  SECTION("a named image and existing pull steps are kept")
  {
    auto body = pool_body({{"image", "team/flows:1"}});
    pull = config::StepList{};
    default_to_built_image({build_step("build_image", {{"dockerfile", "auto"}})}, project, body, pull, quiet);
    CHECK(body["work_pool"]["job_variables"]["image"] == "team/flows:1");
    REQUIRE(pull);
    CHECK(pull->empty());
  }
  SECTION("a Dockerfile of the project's own says nothing about where the code is")
  {
    auto body = pool_body();
    default_to_built_image({build_step("build_image", {{"dockerfile", "Dockerfile"}})}, project, body, pull,
                           quiet);
    CHECK(body["work_pool"]["job_variables"]["image"] == "<< build_image.image >>");
    CHECK_FALSE(pull);
  }
  SECTION("a step without an id, or two build steps, cannot be referred to")
  {
    auto body = pool_body();
    default_to_built_image({build_step("", {{"dockerfile", "auto"}})}, project, body, pull, quiet);
    CHECK_FALSE(body["work_pool"].contains("job_variables"));
    default_to_built_image({build_step("a", {}), build_step("b", {})}, project, body, pull, quiet);
    CHECK_FALSE(body["work_pool"].contains("job_variables"));
    CHECK_FALSE(pull);
  }
}

TEST_CASE("init::image recipes are the docker recipe joined with another recipe")
{
  const auto& s3 = init::require_recipe("s3");
  const auto& docker_s3 = init::require_recipe("docker-s3");
  CHECK(docker_s3.text == s3.text);
  CHECK(docker_s3.build == init::require_recipe("docker").build);
  CHECK(docker_s3.push.find("push_docker_image") < docker_s3.push.find("push_to_s3"));
  CHECK(docker_s3.push.find("\npush:") == std::string_view::npos);
  REQUIRE(docker_s3.fields.size() == init::require_recipe("docker").fields.size() + s3.fields.size());
  CHECK(docker_s3.fields.front().name == "image_name");
  CHECK(docker_s3.fields.back().name == s3.fields.back().name);
  CHECK(init::block_type_of(docker_s3, "credentials_block") == "aws-credentials");
  CHECK(init::block_type_of(docker_s3, "registry_credentials_block") == "docker-registry-credentials");
  CHECK(init::block_type_of(s3, "registry_credentials_block").empty());

  const auto derived = init::derived_values(docker_s3, {{"name", "proj"},
                                                        {"dockerfile", "auto"},
                                                        {"credentials_block", "aws"},
                                                        {"registry_credentials_block", "reg"}});
  CHECK(derived.at("credentials") == "<< syntask.blocks.aws-credentials.aws >>");
  CHECK(derived.at("registry_credentials") == "<< syntask.blocks.docker-registry-credentials.reg >>");
  CHECK(derived.at("image_directory") == "/opt/syntask/proj");
  CHECK(init::derived_values(s3, {{"name", "proj"}}).count("image_directory") == 0);
}
