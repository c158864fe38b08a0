// SPDX-License-Identifier: Apache-2.0
// The AWS shared configuration files and the order of the credential chain. The container and
// instance metadata sources are exercised against a small local HTTP server in
// test_storage_aws_metadata.cpp.
#include <syntask/error.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/aws_credentials.hpp"
#include "storage/aws_profiles.hpp"
#include "support/env_scope.hpp"
#include <fstream>
#include <memory>
#include <random>

using namespace syntask::storage;
using namespace syntask::storage::aws;
using syntask::test::EnvScope;

namespace {

// Every variable the chain reads, unset; HOME pointed at an empty temporary folder.
class CleanAwsEnvironment {
public:
  CleanAwsEnvironment()
  {
    std::random_device random;
    m_home = std::filesystem::temp_directory_path() / ("syntask-aws-test-" + std::to_string(random()));
    std::filesystem::create_directories(m_home / ".aws");
    m_scopes.push_back(std::make_unique<EnvScope>("HOME", m_home.string()));
    for (const char* name :
         {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
          "AWS_DEFAULT_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_REGION",
          "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_CA_BUNDLE",
          "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
          "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"}) {
      m_scopes.push_back(std::make_unique<EnvScope>(name, std::nullopt));
    }
    // Never probe a real metadata service from a unit test.
    m_scopes.push_back(std::make_unique<EnvScope>("AWS_EC2_METADATA_DISABLED", "true"));
  }
  ~CleanAwsEnvironment()
  {
    m_scopes.clear();
    std::error_code ignored;
    std::filesystem::remove_all(m_home, ignored);
  }
  CleanAwsEnvironment(const CleanAwsEnvironment&) = delete;
  CleanAwsEnvironment& operator=(const CleanAwsEnvironment&) = delete;

  void set(const std::string& name, const std::string& value)
  {
    m_scopes.push_back(std::make_unique<EnvScope>(name, value));
  }
  void write(const std::string& relative, const std::string& text)
  {
    std::ofstream(m_home / relative) << text;
  }
  const std::filesystem::path& home() const { return m_home; }

private:
  std::filesystem::path m_home;
  std::vector<std::unique_ptr<EnvScope>> m_scopes;
};

std::string config_error(const StoreLocation& location)
{
  try {
    resolve_settings(location);
  } catch (const syntask::ConfigError& error) {
    return error.what();
  }
  return "<no error>";
}

StoreLocation block_location(nlohmann::json credentials, std::string label = "aws-credentials/prod")
{
  StoreLocation location;
  location.bucket = "bucket";
  location.credentials = std::move(credentials);
  location.credentials_label = std::move(label);
  return location;
}

} // namespace

TEST_CASE("storage::aws_profiles parses credentials and config files")
{
  auto credentials =
      parse_profiles("# comment\n[default]\naws_access_key_id = AKID1\n"
                     "aws_secret_access_key=secret/1\r\n\n; other comment\n[dev]\n"
                     "AWS_ACCESS_KEY_ID = AKID2 \naws_secret_access_key = s2\naws_session_token = t2\n",
                     false, "creds");
  REQUIRE(credentials.size() == 2);
  CHECK(setting(credentials["default"], "aws_access_key_id") == "AKID1");
  CHECK(setting(credentials["default"], "aws_secret_access_key") == "secret/1");
  CHECK(setting(credentials["dev"], "aws_access_key_id") == "AKID2");
  CHECK(setting(credentials["dev"], "aws_session_token") == "t2");

  auto config = parse_profiles("[default]\nregion = eu-west-1\n[profile dev]\nregion=us-west-2\ns3 =\n"
                               "  endpoint_url = http://127.0.0.1:9000\n  addressing_style = path\n"
                               "output = json\n[sso-session corp]\nsso_region = x\n[services s]\ns3 =\n"
                               "  endpoint_url = http://elsewhere\n",
                               true, "config");
  REQUIRE(config.size() == 2);
  CHECK(setting(config["default"], "region") == "eu-west-1");
  CHECK(setting(config["dev"], "region") == "us-west-2");
  CHECK(setting(config["dev"], "s3.endpoint_url") == "http://127.0.0.1:9000");
  CHECK(setting(config["dev"], "s3.addressing_style") == "path");
  CHECK(setting(config["dev"], "output") == "json");
  CHECK(setting(config["dev"], "endpoint_url").empty());
}

TEST_CASE("storage::aws_profiles reports bad lines with file and line")
{
  auto error_of = [](std::string_view text) {
    try {
      parse_profiles(text, false, "~/.aws/credentials");
    } catch (const syntask::ConfigError& error) {
      return std::string(error.what());
    }
    return std::string("<no error>");
  };
  CHECK(error_of("[default]\naws_access_key_id\n") ==
        "~/.aws/credentials:2: expected 'name = value', a '[section]' or a comment");
  CHECK(error_of("key = value\n") == "~/.aws/credentials:1: a setting before the first '[section]'");
  CHECK(error_of("\n\n[default\n") == "~/.aws/credentials:3: a section header must end with ']'");
  CHECK(error_of("[ ]\n") == "~/.aws/credentials:1: a section needs a name");
}

TEST_CASE("storage::aws_credentials takes the block's keys first and registers the secrets")
{
  CleanAwsEnvironment environment;
  environment.set("AWS_ACCESS_KEY_ID", "ENVKEY");
  environment.set("AWS_SECRET_ACCESS_KEY", "env-secret-value");
  syntask::util::Redactor redactor;
  auto location = block_location({{"aws_access_key_id", "BLOCKKEY"},
                                  {"aws_secret_access_key", "block-secret-value"},
                                  {"aws_session_token", "block-token-value"},
                                  {"region_name", "eu-central-1"}});
  location.redactor = &redactor;
  auto settings = resolve_settings(location);
  CHECK(settings.keys.access_key_id == "BLOCKKEY");
  CHECK(settings.keys.secret_access_key == "block-secret-value");
  CHECK(settings.keys.session_token == "block-token-value");
  CHECK(settings.source == KeySource::block);
  CHECK(settings.credentials_hint == "in aws-credentials/prod");
  CHECK(settings.region == "eu-central-1");
  CHECK(settings.endpoint_url.empty());
  CHECK(redactor.scrub("x block-secret-value block-token-value") == "x ******** ********");

  // MinIO's field names are aliases.
  auto minio =
      resolve_settings(block_location({{"minio_root_user", "minio"}, {"minio_root_password", "minio-pw"}}));
  CHECK(minio.keys.access_key_id == "minio");
  CHECK(minio.keys.secret_access_key == "minio-pw");
}

TEST_CASE("storage::aws_credentials names half-given keys exactly")
{
  CleanAwsEnvironment environment;
  CHECK(config_error(block_location({{"aws_access_key_id", "AKID"}})) ==
        "aws-credentials/prod: aws_access_key_id is set but aws_secret_access_key is not");
  CHECK(config_error(block_location({{"aws_secret_access_key", "s"}}, "")) ==
        "the step's credentials: aws_secret_access_key is set but aws_access_key_id is not");
  CHECK(config_error(block_location({{"assume_role_arn", "arn:aws:iam::1:role/x"}})) ==
        "aws-credentials/prod: assume_role_arn: assuming a role is not supported; give the role's temporary "
        "keys "
        "(aws_session_token) or a profile with keys");
  environment.set("AWS_ACCESS_KEY_ID", "ENVKEY");
  CHECK(config_error(block_location(nullptr, "")) ==
        "the environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
}

TEST_CASE("storage::aws_credentials falls back to the environment, then to profiles")
{
  CleanAwsEnvironment environment;
  environment.write(".aws/credentials",
                    "[default]\naws_access_key_id = DEFKEY\naws_secret_access_key = def-secret\n"
                    "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = dev-secret\n");
  environment.write(".aws/config", "[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n"
                                   "s3 =\n  endpoint_url = http://127.0.0.1:9000/\n");

  // A block with only a region: the default profile gives keys, the block the region.
  auto from_default = resolve_settings(block_location({{"region_name", "us-west-1"}}, ""));
  CHECK(from_default.keys.access_key_id == "DEFKEY");
  CHECK(from_default.source == KeySource::profile);
  CHECK(from_default.credentials_hint == "from profile 'default' in ~/.aws/credentials");
  CHECK(from_default.region == "us-west-1");

  auto from_default_region = resolve_settings(block_location(nullptr, ""));
  CHECK(from_default_region.region == "eu-west-1");

  environment.set("AWS_PROFILE", "dev");
  auto from_dev = resolve_settings(block_location(nullptr, ""));
  CHECK(from_dev.keys.access_key_id == "DEVKEY");
  CHECK(from_dev.credentials_hint == "from profile 'dev' in ~/.aws/credentials");
  CHECK(from_dev.region == "ap-south-1");
  CHECK(from_dev.endpoint_url == "http://127.0.0.1:9000");

  // Keys in the environment beat AWS_PROFILE.
  environment.set("AWS_ACCESS_KEY_ID", "ENVKEY");
  environment.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  environment.set("AWS_SESSION_TOKEN", "env-token");
  auto from_env = resolve_settings(block_location(nullptr, ""));
  CHECK(from_env.keys.access_key_id == "ENVKEY");
  CHECK(from_env.keys.session_token == "env-token");
  CHECK(from_env.source == KeySource::environment);
  CHECK(from_env.credentials_hint == "from the AWS_ACCESS_KEY_ID environment variable");
  CHECK(from_env.region == "ap-south-1");

  // A profile named in the block is the only source, environment keys or not.
  auto named = resolve_settings(block_location({{"profile_name", "default"}}));
  CHECK(named.keys.access_key_id == "DEFKEY");
  CHECK(named.credentials_hint == "from profile 'default' in ~/.aws/credentials (the profile_name of "
                                  "aws-credentials/prod)");
  CHECK(named.region == "eu-west-1");
  CHECK(config_error(block_location({{"profile_name", "nope"}})) ==
        "AWS profile 'nope' not found in ~/.aws/credentials or ~/.aws/config");
}

TEST_CASE("storage::aws_credentials reads the files named by the environment")
{
  CleanAwsEnvironment environment;
  auto credentials = environment.home() / "creds.ini";
  auto config = environment.home() / "config.ini";
  environment.write("creds.ini", "[ci]\naws_access_key_id = CIKEY\naws_secret_access_key = ci-secret\n");
  environment.write("config.ini", "[profile ci]\nregion = sa-east-1\n[profile roles]\nrole_arn = arn:x\n");
  environment.set("AWS_SHARED_CREDENTIALS_FILE", credentials.string());
  environment.set("AWS_CONFIG_FILE", config.string());
  environment.set("AWS_PROFILE", "ci");
  auto settings = resolve_settings(block_location(nullptr, ""));
  CHECK(settings.keys.access_key_id == "CIKEY");
  CHECK(settings.credentials_hint == "from profile 'ci' in " + credentials.string());
  CHECK(settings.region == "sa-east-1");

  environment.set("AWS_PROFILE", "roles");
  CHECK(config_error(block_location(nullptr, "")) ==
        "profile 'roles' in " + config.string() +
            " has no aws_access_key_id (profiles with role_arn are not supported)");
  environment.set("AWS_PROFILE", "missing");
  CHECK(config_error(block_location(nullptr, "")) ==
        "AWS profile 'missing' not found in " + credentials.string() + " or " + config.string());
}

TEST_CASE("storage::aws_credentials says so when nothing gives credentials")
{
  CleanAwsEnvironment environment;
  environment.write(".aws/config", "[default]\nregion = eu-west-1\n");
  CHECK(config_error(block_location(nullptr, "")) ==
        "no AWS credentials found: give the step a credentials block (aws-credentials), set "
        "AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY, or add a profile to ~/.aws/credentials");
}

TEST_CASE("storage::aws_credentials resolves region, endpoint and TLS settings in order")
{
  CleanAwsEnvironment environment;
  environment.set("AWS_ACCESS_KEY_ID", "K");
  environment.set("AWS_SECRET_ACCESS_KEY", "secret");

  auto defaults = resolve_settings(block_location(nullptr, ""));
  CHECK(defaults.region == "us-east-1");
  CHECK(defaults.endpoint_url.empty());
  CHECK(defaults.ca_file.empty());
  CHECK(defaults.verify_tls);

  environment.set("AWS_DEFAULT_REGION", "eu-north-1");
  CHECK(resolve_settings(block_location(nullptr, "")).region == "eu-north-1");
  environment.set("AWS_REGION", "eu-south-1");
  CHECK(resolve_settings(block_location(nullptr, "")).region == "eu-south-1");

  environment.set("AWS_ENDPOINT_URL", "http://generic:1/");
  CHECK(resolve_settings(block_location(nullptr, "")).endpoint_url == "http://generic:1");
  environment.set("AWS_ENDPOINT_URL_S3", "http://s3-only:2");
  CHECK(resolve_settings(block_location(nullptr, "")).endpoint_url == "http://s3-only:2");

  environment.set("AWS_CA_BUNDLE", "/etc/ca-from-env.pem");
  CHECK(resolve_settings(block_location(nullptr, "")).ca_file == "/etc/ca-from-env.pem");

  // The step's client parameters, then the block's, which win key by key.
  auto location = block_location({{"aws_client_parameters",
                                   {{"endpoint_url", "minio.local:9000"},
                                    {"use_ssl", false},
                                    {"verify", "/etc/block-ca.pem"},
                                    {"config", {{"s3", {{"addressing_style", "virtual"}}}}}}}},
                                 "");
  location.client_parameters = {{"endpoint_url", "http://step:3"}, {"region_name", "ca-central-1"}};
  auto merged = resolve_settings(location);
  CHECK(merged.endpoint_url == "http://minio.local:9000");
  CHECK(merged.use_ssl == false);
  CHECK(merged.ca_file == "/etc/block-ca.pem");
  CHECK(merged.addressing_style == "virtual");
  CHECK(merged.region == "ca-central-1");

  location.credentials["aws_client_parameters"]["verify_cert_path"] = "/etc/cert-path.pem";
  CHECK(resolve_settings(location).ca_file == "/etc/cert-path.pem");
  location.credentials["aws_client_parameters"] = {{"verify", false}};
  auto insecure = resolve_settings(location);
  CHECK_FALSE(insecure.verify_tls);
  CHECK(insecure.endpoint_url == "http://step:3");

  location.client_parameters = {{"endpoint_url", "ftp://x"}};
  CHECK(config_error(location) == "endpoint_url: 'ftp://x' is not an http or https URL");
  location.client_parameters = {{"config", {{"s3", {{"addressing_style", "sideways"}}}}}};
  CHECK(config_error(location) == "addressing_style: 'sideways' is not one of 'auto', 'path', 'virtual'");
}

TEST_CASE("storage::aws_credentials builds the container endpoint URL from the environment")
{
  CleanAwsEnvironment environment;
  CHECK_FALSE(container_credentials_url().has_value());
  environment.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials");
  CHECK(container_credentials_url() == "http://169.254.170.23/v1/credentials");
  environment.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://metadata.example.com/creds");
  try {
    container_credentials_url();
    FAIL("no error");
  } catch (const syntask::ConfigError& error) {
    CHECK(std::string(error.what()) ==
          "AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://metadata.example.com/creds' "
          "must use https or a loopback or ECS/EKS container host");
  }
  environment.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://metadata.example.com/creds");
  CHECK(container_credentials_url() == "https://metadata.example.com/creds");
  environment.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
  CHECK(container_credentials_url() == "http://169.254.170.2/v2/credentials/abc");
}

TEST_CASE("storage::aws_credentials parses ISO 8601 expiry times")
{
  using std::chrono::seconds;
  using std::chrono::system_clock;
  CHECK(parse_iso8601("2013-05-24T00:00:00Z") == system_clock::time_point{seconds{1369353600}});
  CHECK(parse_iso8601("2013-05-24T00:00:00.123Z") == system_clock::time_point{seconds{1369353600}});
  CHECK(parse_iso8601("2013-05-24T02:00:00+02:00") == system_clock::time_point{seconds{1369353600}});
  CHECK_FALSE(parse_iso8601("tomorrow").has_value());
  CHECK_FALSE(parse_iso8601("").has_value());
}
