// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch_test_macros.hpp>

#include "steps/builtin.hpp"
#include "steps/docker_image_name.hpp"
#include "support/env_scope.hpp"
#include <regex>

using namespace syntask;
using namespace syntask::steps;

TEST_CASE("steps::docker image names get the default namespace only when bare")
{
  test::EnvScope scope("SYNTASK_DEFAULT_DOCKER_BUILD_NAMESPACE", "registry.example.com/team");
  test::EnvScope prefect("PREFECT_DEFAULT_DOCKER_BUILD_NAMESPACE", std::nullopt);
  CHECK(docker_steps::namespaced_image_name("app") == "registry.example.com/team/app");
  CHECK(docker_steps::namespaced_image_name("other/app") == "other/app");
  CHECK(docker_steps::namespaced_image_name("127.0.0.1:5000/app") == "127.0.0.1:5000/app");
}

TEST_CASE("steps::docker image names without a default namespace stay as written")
{
  test::EnvScope scope("SYNTASK_DEFAULT_DOCKER_BUILD_NAMESPACE", std::nullopt);
  test::EnvScope prefect("PREFECT_DEFAULT_DOCKER_BUILD_NAMESPACE", std::nullopt);
  CHECK(docker_steps::namespaced_image_name("app") == "app");
}

TEST_CASE("steps::docker default tags are the slugified UTC time")
{
  const auto tag = docker_steps::default_tag();
  CHECK(std::regex_match(tag, std::regex(R"(\d{4}-\d{2}-\d{2}t\d{2}-\d{2}-\d{2}(-\d{6})?-00-00)")));
}

TEST_CASE("steps: the Docker steps' rows check image names before anything runs")
{
  const auto check_of = [](std::string_view step, std::string_view argument) -> ArgumentCheck {
    const auto* info = find_step(step);
    REQUIRE(info != nullptr);
    for (const auto& arg : info->args) {
      if (arg.name == argument) {
        return arg.check;
      }
    }
    return nullptr;
  };
  const auto check = check_of("syntask_docker.deployments.steps.build_docker_image", "image_name");
  REQUIRE(check != nullptr);
  CHECK(check("my image") == "invalid image name 'my image': must not contain whitespace");
  CHECK(check("team/app").empty());
  CHECK(check_of("prefect_docker.deployments.steps.push_docker_image", "image_name") == check);
  CHECK(check_of("syntask_docker.deployments.steps.build_docker_image", "tag") == nullptr);
  CHECK(check_of("syntask.deployments.steps.run_shell_script", "script") == nullptr);
}
