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
  CHECK(push->outputs == std::vector<std::string_view>{"bucket", "folder"});
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

TEST_CASE("steps::pin_pulled_tree gives a pull step the digest of the matching push")
{
  const std::vector<PushedTree> pushed{{"s3", "code", "flows", "sha256:one"},
                                       {"azure", "box", "", "sha256:two"},
                                       {"s3", "code", "flows", "sha256:three"}};
  nlohmann::json args = {{"bucket", "code"}, {"folder", "flows/"}};
  CHECK(pin_pulled_tree("prefect_aws.deployments.steps.pull_from_s3", args, pushed));
  CHECK(args["manifest_digest"] == "sha256:three");

  nlohmann::json azure = {{"container", "box"}, {"folder", "."}};
  CHECK(pin_pulled_tree("syntask_azure.deployments.steps.pull_from_azure_blob_storage", azure, pushed));
  CHECK(azure["manifest_digest"] == "sha256:two");

  nlohmann::json sibling = {{"bucket", "code"}, {"folder", "flows-2"}};
  CHECK_FALSE(pin_pulled_tree("syntask_aws.deployments.steps.pull_from_s3", sibling, pushed));
  CHECK_FALSE(sibling.contains("manifest_digest"));
  nlohmann::json other_service = {{"bucket", "code"}, {"folder", "flows"}};
  CHECK_FALSE(pin_pulled_tree("syntask_gcp.deployments.steps.pull_from_gcs", other_service, pushed));
  nlohmann::json templated = {{"bucket", "{{ push.bucket }}"}, {"folder", "flows"}};
  CHECK_FALSE(pin_pulled_tree("syntask_aws.deployments.steps.pull_from_s3", templated, pushed));
  nlohmann::json push_args = {{"bucket", "code"}, {"folder", "flows"}};
  CHECK_FALSE(pin_pulled_tree("syntask_aws.deployments.steps.push_to_s3", push_args, pushed));
  CHECK_FALSE(pin_pulled_tree("syntask.deployments.steps.git_clone", push_args, pushed));
}
