// SPDX-License-Identifier: Apache-2.0
#include <syntask/store/store.hpp>

#include <catch2/catch_test_macros.hpp>

#include "unit/test_store_support.hpp"

using namespace syntask::store;
using nlohmann::json;
using syntask::store::test::ScopedEnv;

TEST_CASE("store::Block::masked hides each sensitive field that is set")
{
  const Block block{"aws-credentials",
                    "prod",
                    {{"aws_access_key_id", "AKID"},
                     {"aws_secret_access_key", "s3cr3t"},
                     {"aws_session_token", nullptr},
                     {"region_name", "eu-west-1"}},
                    {"aws_secret_access_key", "aws_session_token", "not_present"}};
  CHECK(block.masked() == json{{"aws_access_key_id", "AKID"},
                               {"aws_secret_access_key", "********"},
                               {"aws_session_token", nullptr},
                               {"region_name", "eu-west-1"}});
  CHECK(block.data["aws_secret_access_key"] == "s3cr3t");

  const Block object_secret{
      "gcp-credentials", "g", {{"service_account_info", {{"private_key", "k"}}}}, {"service_account_info"}};
  CHECK(object_secret.masked() == json{{"service_account_info", "********"}});
}

TEST_CASE("store::Store::default_home prefers SYNTASK_HOME, then HOME")
{
  {
    ScopedEnv syntask_home("SYNTASK_HOME", "/srv/syntask");
    ScopedEnv home("HOME", "/home/someone");
    CHECK(Store::default_home() == "/srv/syntask");
  }
  {
    ScopedEnv syntask_home("SYNTASK_HOME", std::nullopt);
    ScopedEnv home("HOME", "/home/someone");
    CHECK(Store::default_home() == "/home/someone/.syntask");
  }
  {
    ScopedEnv syntask_home("SYNTASK_HOME", "");
    ScopedEnv home("HOME", "/home/someone");
    CHECK(Store::default_home() == "/home/someone/.syntask");
  }
}
