// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/store/block_types.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_exception.hpp>

#include <string>
#include <vector>

using namespace syntask;
using namespace syntask::store;

namespace {

std::vector<std::string> sensitive_fields(std::string_view slug)
{
  std::vector<std::string> names;
  for (const auto& field : require_block_type(slug).fields) {
    if (field.sensitive) {
      names.emplace_back(field.name);
    }
  }
  return names;
}

} // namespace

TEST_CASE("store::block_types lists every type in display order")
{
  std::vector<std::string> slugs;
  for (const auto& type : block_types()) {
    slugs.emplace_back(type.slug);
    CHECK_FALSE(type.title.empty());
    CHECK_FALSE(type.description.empty());
    CHECK_FALSE(type.fields.empty());
    for (const auto& field : type.fields) {
      CHECK_FALSE(field.description.empty());
    }
  }
  CHECK(slugs == std::vector<std::string>{"secret", "github-credentials", "gitlab-credentials",
                                          "bitbucket-credentials", "aws-credentials", "gcp-credentials",
                                          "azure-blob-storage-credentials", "docker-registry-credentials"});
}

TEST_CASE("store::block_types marks the secret fields sensitive")
{
  CHECK(sensitive_fields("secret") == std::vector<std::string>{"value"});
  CHECK(sensitive_fields("github-credentials") == std::vector<std::string>{"token"});
  CHECK(sensitive_fields("gitlab-credentials") == std::vector<std::string>{"token"});
  CHECK(sensitive_fields("bitbucket-credentials") == std::vector<std::string>{"token", "password"});
  CHECK(sensitive_fields("aws-credentials") ==
        std::vector<std::string>{"aws_secret_access_key", "aws_session_token"});
  CHECK(sensitive_fields("gcp-credentials") == std::vector<std::string>{"service_account_info"});
  CHECK(sensitive_fields("azure-blob-storage-credentials") ==
        std::vector<std::string>{"connection_string", "account_key", "sas_token", "client_secret"});
  CHECK(sensitive_fields("docker-registry-credentials") == std::vector<std::string>{"password"});
}

TEST_CASE("store::block_types fields carry kind and required")
{
  const auto& secret = require_block_type("secret");
  REQUIRE(secret.field("value") != nullptr);
  CHECK(secret.field("value")->required);
  CHECK(secret.field("value")->kind == FieldKind::string);
  CHECK(secret.field("nope") == nullptr);

  const auto& aws = require_block_type("aws-credentials");
  REQUIRE(aws.field("aws_client_parameters") != nullptr);
  CHECK(aws.field("aws_client_parameters")->kind == FieldKind::object);
  CHECK(aws.field("region_name") != nullptr);
  CHECK(aws.field("profile_name") != nullptr);
  CHECK_FALSE(aws.field("aws_access_key_id")->required);

  const auto& docker = require_block_type("docker-registry-credentials");
  CHECK(docker.field("reauth")->kind == FieldKind::boolean);
  CHECK(docker.field("username")->required);
  CHECK(docker.field("password")->required);
  CHECK(docker.field("registry_url")->required);

  CHECK(require_block_type("gcp-credentials").field("service_account_info")->kind == FieldKind::object);
  CHECK(require_block_type("azure-blob-storage-credentials").field("account_url") != nullptr);
  CHECK(require_block_type("gitlab-credentials").field("url") != nullptr);
  CHECK(require_block_type("bitbucket-credentials").field("username") != nullptr);
}

TEST_CASE("store::require_block_type names an unknown type and suggests a close one")
{
  CHECK(find_block_type("aws-credentials") == &require_block_type("aws-credentials"));
  CHECK(find_block_type("aws-credential") == nullptr);
  CHECK_THROWS_MATCHES(require_block_type("aws-credential"), UsageError,
                       Catch::Matchers::Message("unknown block type 'aws-credential'; did you mean "
                                                "'aws-credentials'?"));
  CHECK_THROWS_MATCHES(require_block_type("secrt"), UsageError,
                       Catch::Matchers::Message("unknown block type 'secrt'; did you mean 'secret'?"));
  CHECK_THROWS_MATCHES(require_block_type("zzzzzz"), UsageError,
                       Catch::Matchers::Message("unknown block type 'zzzzzz'"));
}
