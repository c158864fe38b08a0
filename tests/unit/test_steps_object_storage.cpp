// SPDX-License-Identifier: Apache-2.0
#include <syntask/steps/step.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_exception.hpp>

using namespace syntask;
using namespace syntask::steps;
using Catch::Matchers::Message;

TEST_CASE("steps::object storage steps answer to every spelling")
{
  const std::vector<std::pair<std::string, std::string>> names{
      {"syntask_aws.deployments.steps.push_to_s3", "prefect_aws.deployments.steps.push_to_s3"},
      {"syntask_aws.deployments.steps.pull_from_s3", "prefect_aws.deployments.steps.pull_from_s3"},
      {"syntask_gcp.deployments.steps.push_to_gcs", "syntask_gcp.deployment.steps.push_to_gcs"},
      {"syntask_gcp.deployments.steps.pull_from_gcs", "prefect_gcp.deployment.steps.pull_from_gcs"},
      {"syntask_azure.deployments.steps.push_to_azure_blob_storage",
       "prefect_azure.deployments.steps.push_to_azure_blob_storage"},
      {"syntask_azure.deployments.steps.pull_from_azure_blob_storage",
       "prefect_azure.deployments.steps.pull_from_azure_blob_storage"},
  };
  for (const auto& [name, alias] : names) {
    INFO(name);
    const auto* step = find_step(name);
    REQUIRE(step != nullptr);
    CHECK(find_step(alias) == step);
  }
  const auto* push = find_step("syntask_aws.deployments.steps.push_to_s3");
  CHECK(push->outputs == std::vector<std::string_view>{"bucket", "folder", "manifest_digest"});
  const auto* pull = find_step("syntask_azure.deployments.steps.pull_from_azure_blob_storage");
  CHECK(pull->outputs == std::vector<std::string_view>{"container", "folder", "directory"});
  std::vector<std::string_view> args;
  for (const auto& arg : find_step("syntask_gcp.deployments.steps.push_to_gcs")->args) {
    args.push_back(arg.name);
  }
  CHECK(args == std::vector<std::string_view>{"bucket", "folder", "credentials", "project", "ignore_file",
                                              "prune", "max_concurrency"});
  args.clear();
  for (const auto& arg : find_step("syntask_aws.deployments.steps.pull_from_s3")->args) {
    args.push_back(arg.name);
  }
  CHECK(args == std::vector<std::string_view>{"bucket", "folder", "credentials", "client_parameters",
                                              "manifest_digest", "max_concurrency"});
}

TEST_CASE("steps::object storage steps name their service in their row")
{
  const std::vector<std::pair<std::string, std::string>> services{
      {"syntask_aws.deployments.steps.push_to_s3", "s3"},
      {"syntask_aws.deployments.steps.pull_from_s3", "s3"},
      {"syntask_gcp.deployments.steps.push_to_gcs", "gcs"},
      {"syntask_gcp.deployments.steps.pull_from_gcs", "gcs"},
      {"syntask_azure.deployments.steps.push_to_azure_blob_storage", "azure"},
      {"syntask_azure.deployments.steps.pull_from_azure_blob_storage", "azure"},
  };
  for (const auto& [name, service] : services) {
    INFO(name);
    CHECK(find_step(name)->storage_service == service);
  }
  CHECK(find_step("syntask.deployments.steps.git_clone")->storage_service.empty());
  CHECK(find_step("syntask_docker.deployments.steps.push_docker_image")->storage_service.empty());
}
