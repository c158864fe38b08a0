// SPDX-License-Identifier: Apache-2.0
// The container and instance metadata credential sources against a small HTTP server written in
// Python (tests/support/aws_metadata_server.py), started by the test on a free loopback port; the
// endpoint variables point at it.
#include <syntask/error.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/aws_credentials.hpp"
#include "support/env_scope.hpp"
#include "support/local_server.hpp"
#include <fstream>
#include <memory>
#include <random>

using namespace syntask::storage;
using namespace syntask::storage::aws;
using syntask::test::EnvScope;

namespace {

class MetadataServer {
public:
  MetadataServer()
      : m_dir(make_dir()), m_server({"python3", syntask::test::support_file("aws_metadata_server.py"),
                                     (m_dir / "requests.log").string()})
  {
  }
  ~MetadataServer()
  {
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
  }
  MetadataServer(const MetadataServer&) = delete;
  MetadataServer& operator=(const MetadataServer&) = delete;

  std::string url() const { return m_server.url(); }
  std::string requests() const
  {
    std::error_code missing;
    if (!std::filesystem::exists(m_dir / "requests.log", missing)) {
      return "";
    }
    return syntask::util::read_file(m_dir / "requests.log");
  }
  const std::filesystem::path& dir() const { return m_dir; }

private:
  static std::filesystem::path make_dir()
  {
    std::random_device random;
    auto dir = std::filesystem::temp_directory_path() / ("syntask-metadata-test-" + std::to_string(random()));
    std::filesystem::create_directories(dir);
    return dir;
  }

  std::filesystem::path m_dir;
  syntask::test::LocalServer m_server;
};

// Only the metadata sources can give keys: no keys, profiles or files anywhere else.
struct NoOtherSources {
  std::vector<std::unique_ptr<EnvScope>> scopes;
  NoOtherSources(const std::filesystem::path& home)
  {
    scopes.push_back(std::make_unique<EnvScope>("HOME", home.string()));
    for (const char* name :
         {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
          "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "AWS_EC2_METADATA_DISABLED"}) {
      scopes.push_back(std::make_unique<EnvScope>(name, std::nullopt));
    }
  }
};

std::string remote_error(const std::function<void()>& action)
{
  try {
    action();
  } catch (const syntask::RemoteError& error) {
    return error.what();
  }
  return "<no error>";
}

} // namespace

TEST_CASE("storage::aws_metadata gets keys from the container endpoint with its authorization token")
{
  MetadataServer server;
  NoOtherSources clean(server.dir());
  EnvScope uri("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/ecs/creds");
  EnvScope token("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token-99");
  EnvScope no_imds("AWS_EC2_METADATA_DISABLED", "true");

  syntask::util::Redactor redactor;
  StoreLocation location;
  location.bucket = "bucket";
  location.redactor = &redactor;
  auto settings = resolve_settings(location);
  CHECK(settings.source == KeySource::container);
  CHECK(settings.keys.access_key_id == "ASIAMETADATA");
  CHECK(settings.keys.secret_access_key == "metadata-secret-value");
  CHECK(settings.keys.session_token == "metadata-session-token");
  CHECK(settings.credentials_hint == "from the container credentials endpoint");
  CHECK(settings.expires == parse_iso8601("2030-01-01T00:00:00Z"));
  CHECK(redactor.scrub("metadata-secret-value metadata-session-token") == "******** ********");
  CHECK(syntask::util::Redactor::global().scrub("container-auth-token-99") == "********");
  CHECK(server.requests() == "GET /ecs/creds\n");

  // The token can come from a file instead (it wins over the variable).
  std::ofstream(server.dir() / "token") << "wrong-token-value\n";
  EnvScope token_file("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", (server.dir() / "token").string());
  CHECK(remote_error([&] { fetch_container_keys(server.url() + "/ecs/creds"); }) ==
        "the container credentials endpoint '" + server.url() + "/ecs/creds' answered HTTP 401");
  CHECK(remote_error([&] { fetch_container_keys(server.url() + "/ecs/broken"); }) ==
        "the container credentials endpoint '" + server.url() + "/ecs/broken' did not return a JSON object");
}

TEST_CASE("storage::aws_metadata gets the role's keys through IMDSv2")
{
  MetadataServer server;
  NoOtherSources clean(server.dir());
  EnvScope endpoint("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url() + "/");

  StoreLocation location;
  location.bucket = "bucket";
  auto settings = resolve_settings(location);
  CHECK(settings.source == KeySource::instance);
  CHECK(settings.keys.access_key_id == "ASIAMETADATA");
  CHECK(settings.keys.session_token == "metadata-session-token");
  CHECK(settings.credentials_hint == "from the EC2 instance metadata service");
  // The session token first, then the role, then its keys.
  CHECK(server.requests() == "PUT /latest/api/token\n"
                             "GET /latest/meta-data/iam/security-credentials/\n"
                             "GET /latest/meta-data/iam/security-credentials/test-role\n");

  // The container source comes before the instance.
  EnvScope uri("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/ecs/creds");
  EnvScope token("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token-99");
  CHECK(resolve_settings(location).source == KeySource::container);
}

TEST_CASE("storage::aws_metadata skips the instance service when it is disabled or absent")
{
  MetadataServer server;
  NoOtherSources clean(server.dir());
  EnvScope endpoint("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url());
  {
    EnvScope disabled("AWS_EC2_METADATA_DISABLED", "TRUE");
    CHECK_FALSE(fetch_instance_keys().has_value());
    CHECK(server.requests().empty());
  }
  // Nothing listens on port 9 of the loopback: no keys, no error.
  EnvScope nowhere("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");
  CHECK_FALSE(fetch_instance_keys().has_value());
}
