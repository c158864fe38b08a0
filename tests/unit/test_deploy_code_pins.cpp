// SPDX-License-Identifier: Apache-2.0
#include <syntask/ui/output.hpp>

#include <catch2/catch_test_macros.hpp>

#include "deploy/code_pins.hpp"
#include <sstream>

namespace {

using nlohmann::json;
using namespace syntask;
using namespace syntask::deploy;

const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";

json record_with(json pull_steps, json job_variables = json::object())
{
  return {{"pull_steps", std::move(pull_steps)},
          {"work_pool", {{"job_variables", std::move(job_variables)}}}};
}

struct Captured {
  std::ostringstream out;
  std::ostringstream err;
  ui::Output output{out, err, false, false, false};
};

} // namespace

TEST_CASE("deploy::collect_code_pins reads the pins from the outputs of the steps that ship code")
{
  const std::vector<steps::StepResult> ran{
      {"syntask_aws.deployments.steps.push_to_s3",
       {{"bucket", "code"}, {"folder", "flows/"}},
       {{"bucket", "code"}, {"folder", "flows/"}, {"manifest_digest", "sha256:one"}}},
      {"syntask_azure.deployments.steps.push_to_azure_blob_storage",
       json::object(),
       {{"container", "box"}, {"folder", "."}, {"manifest_digest", "sha256:two"}}},
      {"syntask.deployments.steps.run_shell_script", json::object(), {{"stdout", "sha256:no"}}},
      {"syntask_docker.deployments.steps.push_docker_image",
       {{"credentials", "<< syntask.blocks.docker-registry-credentials.hub >>"}},
       {{"image_name", "127.0.0.1:5000/app"},
        {"tag", "1"},
        {"additional_tags", {"latest"}},
        {"image_with_digest", "127.0.0.1:5000/app@sha256:aa"}}},
  };
  CodePins pins;
  collect_code_pins(ran, pins);
  REQUIRE(pins.trees.size() == 2);
  CHECK(pins.trees[0].service == "s3");
  CHECK(pins.trees[0].bucket == "code");
  CHECK(pins.trees[0].folder == "flows");
  CHECK(pins.trees[0].manifest_digest == "sha256:one");
  CHECK(pins.trees[1].service == "azure");
  CHECK(pins.trees[1].bucket == "box");
  CHECK(pins.trees[1].folder.empty());
  REQUIRE(pins.images.size() == 2);
  CHECK(pins.images[0].image == "127.0.0.1:5000/app:1");
  CHECK(pins.images[1].image == "127.0.0.1:5000/app:latest");
  CHECK(pins.images[1].image_with_digest == "127.0.0.1:5000/app@sha256:aa");
  CHECK(pins.images[1].credentials_reference == "<< syntask.blocks.docker-registry-credentials.hub >>");
}

TEST_CASE("deploy::record_code_pins gives a pull step the digest of the matching push")
{
  CodePins pins;
  pins.trees = {{"s3", "code", "flows", "sha256:one"},
                {"azure", "box", "", "sha256:two"},
                {"s3", "code", "flows", "sha256:three"}};
  auto record = record_with({
      {{"prefect_aws.deployments.steps.pull_from_s3", {{"bucket", "code"}, {"folder", "flows/"}}}},
      {{"syntask_azure.deployments.steps.pull_from_azure_blob_storage",
        {{"container", "box"}, {"folder", "."}}}},
      {{"syntask_aws.deployments.steps.pull_from_s3", {{"bucket", "code"}, {"folder", "flows-2"}}}},
      {{"syntask_gcp.deployments.steps.pull_from_gcs", {{"bucket", "code"}, {"folder", "flows"}}}},
      {{"syntask_aws.deployments.steps.pull_from_s3",
        {{"bucket", "{{ push.bucket }}"}, {"folder", "flows"}}}},
      {{"syntask_aws.deployments.steps.push_to_s3", {{"bucket", "code"}, {"folder", "flows"}}}},
  });
  Captured captured;
  record_code_pins(pins, record, captured.output);
  const auto& pulls = record["pull_steps"];
  CHECK(pulls[0]["prefect_aws.deployments.steps.pull_from_s3"]["manifest_digest"] == "sha256:three");
  CHECK(pulls[1]["syntask_azure.deployments.steps.pull_from_azure_blob_storage"]["manifest_digest"] ==
        "sha256:two");
  CHECK_FALSE(pulls[2]["syntask_aws.deployments.steps.pull_from_s3"].contains("manifest_digest"));
  CHECK_FALSE(pulls[3]["syntask_gcp.deployments.steps.pull_from_gcs"].contains("manifest_digest"));
  CHECK_FALSE(pulls[4]["syntask_aws.deployments.steps.pull_from_s3"].contains("manifest_digest"));
  CHECK_FALSE(pulls[5]["syntask_aws.deployments.steps.push_to_s3"].contains("manifest_digest"));
}

TEST_CASE("deploy::record_code_pins pins git_clone to the project's commit unless told not to")
{
  CodePins pins;
  pins.git_commit = k_sha;
  pins.git_remote = "https://example.com/org/flows.git";
  auto record = record_with({
      {{"syntask.deployments.steps.git_clone", {{"repository", "https://example.com/org/flows"}}}},
      {{"prefect.deployments.steps.git_clone",
        {{"repository", "https://example.com/org/flows"}, {"pin", false}}}},
      {{"syntask.deployments.steps.git_clone", {{"repository", "https://example.com/org/other.git"}}}},
  });
  Captured captured;
  record_code_pins(pins, record, captured.output);
  const auto& pulls = record["pull_steps"];
  CHECK(pulls[0]["syntask.deployments.steps.git_clone"]["commit_sha"] == k_sha);
  CHECK_FALSE(pulls[1]["prefect.deployments.steps.git_clone"].contains("commit_sha"));
  CHECK(pulls[2]["syntask.deployments.steps.git_clone"]["commit_sha"] == k_sha);
  CHECK(captured.err.str() ==
        "syntask: warning: git_clone pulls 'https://example.com/org/other.git', not this repository's remote "
        "'https://example.com/org/flows.git': commit 0123456789ab may not be there; set `pin: false` in the "
        "step or pass --no-pin to follow its branch\n");

  CodePins unpinned; // --no-pin
  auto floating = record_with({{{"syntask.deployments.steps.git_clone", {{"repository", "r"}}}}});
  record_code_pins(unpinned, floating, captured.output);
  CHECK_FALSE(floating["pull_steps"][0]["syntask.deployments.steps.git_clone"].contains("commit_sha"));
}

TEST_CASE("deploy::record_code_pins stores a pushed image job variable by digest, NAME meaning latest")
{
  CodePins pins;
  pins.images = {{"127.0.0.1:5000/unit/app:1", "127.0.0.1:5000/unit/app@sha256:aa", "ref"},
                 {"127.0.0.1:5000/unit/app:latest", "127.0.0.1:5000/unit/app@sha256:bb", ""}};
  Captured captured;
  auto tagged = record_with(json::array(), {{"image", "127.0.0.1:5000/unit/app:1"}});
  record_code_pins(pins, tagged, captured.output);
  CHECK(tagged["work_pool"]["job_variables"]["image"] == "127.0.0.1:5000/unit/app@sha256:aa");
  CHECK(tagged["image_credentials"] == "ref");
  CHECK(captured.err.str() ==
        "Image '127.0.0.1:5000/unit/app:1' stored as 127.0.0.1:5000/unit/app@sha256:aa\n");

  auto bare = record_with(json::array(), {{"image", "127.0.0.1:5000/unit/app"}});
  record_code_pins(pins, bare, captured.output);
  CHECK(bare["work_pool"]["job_variables"]["image"] == "127.0.0.1:5000/unit/app@sha256:bb");
  CHECK_FALSE(bare.contains("image_credentials"));

  auto other = record_with(json::array(), {{"image", "127.0.0.1:5000/unit/app:2"}});
  record_code_pins(pins, other, captured.output);
  CHECK(other["work_pool"]["job_variables"]["image"] == "127.0.0.1:5000/unit/app:2");
}
