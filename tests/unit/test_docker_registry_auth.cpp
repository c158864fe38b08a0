// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/util/base64.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "docker/registry_auth.hpp"
#include "support/temp_dir.hpp"
#include <fstream>
#include <random>

using namespace syntask;
using namespace syntask::docker;

namespace {

using syntask::test::TempDir;

void write(const std::filesystem::path& file, const std::string& text)
{
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

nlohmann::json decode_header(const std::string& header)
{
  return nlohmann::json::parse(util::base64_decode(header).value());
}

Environment environment_for(const TempDir& home)
{
  return {{"HOME", home.path().string()}, {"PATH", (home.path() / "bin").string() + ":/usr/bin:/bin"}};
}

// A credential helper that knows one server and logs what it was asked.
void write_helper(const TempDir& home, const std::string& name)
{
  const auto file = home.path() / "bin" / ("docker-credential-" + name);
  write(file, "#!/bin/sh\n"
              "[ \"$1\" = get ] || exit 3\n"
              "read -r server\n"
              "echo \"$server\" >> \"$(dirname \"$0\")/asked\"\n"
              "case \"$server\" in\n"
              "  127.0.0.1:5000) echo '{\"ServerURL\":\"127.0.0.1:5000\",\"Username\":\"helperuser\","
              "\"Secret\":\"helper-secret\"}' ;;\n"
              "  token.example) echo '{\"Username\":\"<token>\",\"Secret\":\"identity-tok\"}' ;;\n"
              "  *) echo 'credentials not found in native keychain'; exit 1 ;;\n"
              "esac\n");
  std::filesystem::permissions(file, std::filesystem::perms::owner_all);
}

} // namespace

TEST_CASE("docker::base64 round trips in both alphabets")
{
  CHECK(util::base64_encode("{}") == "e30=");
  CHECK(util::base64_encode("user:pass") == "dXNlcjpwYXNz");
  CHECK(util::base64url_encode("\xfb\xff") == "-_8=");
  CHECK(util::base64_encode("\xfb\xff") == "+/8=");
  CHECK(util::base64_decode("-_8=").value() == "\xfb\xff");
  CHECK(util::base64_decode("dXNlcjpwYXNz").value() == "user:pass");
  CHECK_FALSE(util::base64_decode("not base64!").has_value());
}

TEST_CASE("docker::registry_host matches registries as docker does")
{
  CHECK(registry_host("https://index.docker.io/v1/") == "docker.io");
  CHECK(registry_host("index.docker.io") == "docker.io");
  CHECK(registry_host("registry-1.docker.io") == "docker.io");
  CHECK(registry_host("docker.io") == "docker.io");
  CHECK(registry_host("http://127.0.0.1:5000/") == "127.0.0.1:5000");
  CHECK(registry_host("GHCR.io") == "ghcr.io");
}

TEST_CASE("docker::registry_auth_header is e30= when anonymous and base64url JSON otherwise")
{
  CHECK(registry_auth_header(std::nullopt) == "e30=");
  RegistryCredentials credentials{"me", "pw", "", "127.0.0.1:5000"};
  CHECK(decode_header(registry_auth_header(credentials)) ==
        nlohmann::json{{"username", "me"}, {"password", "pw"}, {"serveraddress", "127.0.0.1:5000"}});
  RegistryCredentials token{"", "", "tok", "ghcr.io"};
  CHECK(decode_header(registry_auth_header(token)) ==
        nlohmann::json{{"identitytoken", "tok"}, {"serveraddress", "ghcr.io"}});
}

TEST_CASE("docker::credentials_from_block reads the block and registers the password")
{
  util::Redactor redactor;
  const auto credentials = credentials_from_block(
      {{"username", "me"}, {"password", "s3cret-pw"}, {"registry_url", "index.docker.io"}, {"reauth", true}},
      &redactor);
  CHECK(credentials.username == "me");
  CHECK(credentials.server_address == "https://index.docker.io/v1/");
  CHECK(redactor.scrub("pw is s3cret-pw") == "pw is ********");
  CHECK_THROWS_WITH(credentials_from_block({{"username", "me"}, {"registry_url", "x"}}, &redactor),
                    "the docker-registry-credentials block has no 'password'");
}

TEST_CASE("docker::credentials_from_config reads auths entries")
{
  TempDir home;
  write(home.path() / ".docker" / "config.json",
        nlohmann::json{{"auths",
                        {{"https://index.docker.io/v1/", {{"auth", util::base64_encode("hubuser:hubpass")}}},
                         {"127.0.0.1:5000", {{"username", "local"}, {"password", "localpass"}}},
                         {"empty.example", nlohmann::json::object()}}}}
            .dump());
  util::Redactor redactor;
  const auto environment = environment_for(home);
  const auto hub = credentials_from_config(environment, "docker.io", &redactor);
  REQUIRE(hub);
  CHECK(hub->username == "hubuser");
  CHECK(hub->password == "hubpass");
  CHECK(hub->server_address == "https://index.docker.io/v1/");
  CHECK(redactor.contains_secret("hubpass"));

  const auto local = credentials_from_config(environment, "http://127.0.0.1:5000", &redactor);
  REQUIRE(local);
  CHECK(local->username == "local");
  CHECK_FALSE(credentials_from_config(environment, "empty.example", &redactor));
  CHECK_FALSE(credentials_from_config(environment, "other.example", &redactor));

  const auto all = all_config_credentials(environment, &redactor);
  CHECK(all.size() == 2);
  const auto config = decode_header(registry_config_header(all));
  CHECK(config["https://index.docker.io/v1/"]["username"] == "hubuser");
  CHECK(config["127.0.0.1:5000"]["password"] == "localpass");
}

TEST_CASE("docker::credentials_from_config without a config knows nothing")
{
  TempDir home;
  util::Redactor redactor;
  CHECK_FALSE(credentials_from_config(environment_for(home), "127.0.0.1:5000", &redactor));
  CHECK(registry_config_header(all_config_credentials(environment_for(home), &redactor)) == "e30=");
}

TEST_CASE("docker::credentials_from_config asks credential helpers with the server on stdin")
{
  TempDir home;
  write_helper(home, "fake");
  util::Redactor redactor;
  const auto environment = environment_for(home);

  SECTION("credHelpers for one registry")
  {
    write(home.path() / ".docker" / "config.json",
          R"({"credHelpers": {"127.0.0.1:5000": "fake"}, "auths": {"127.0.0.1:5000": {"auth": "eDp5"}}})");
    const auto credentials = credentials_from_config(environment, "127.0.0.1:5000", &redactor);
    REQUIRE(credentials);
    CHECK(credentials->username == "helperuser");
    CHECK(credentials->password == "helper-secret");
    CHECK(redactor.contains_secret("helper-secret"));
    std::ifstream asked(home.path() / "bin" / "asked");
    std::string line;
    std::getline(asked, line);
    CHECK(line == "127.0.0.1:5000");
  }
  SECTION("credsStore for every registry; not found means none; <token> means an identity token")
  {
    write(home.path() / ".docker" / "config.json", R"({"credsStore": "fake"})");
    CHECK_FALSE(credentials_from_config(environment, "other.example", &redactor));
    const auto token = credentials_from_config(environment, "token.example", &redactor);
    REQUIRE(token);
    CHECK(token->identity_token == "identity-tok");
    CHECK(token->username.empty());
  }
  SECTION("a missing helper is an error naming it")
  {
    write(home.path() / ".docker" / "config.json", R"({"credsStore": "missing"})");
    CHECK_THROWS_WITH(credentials_from_config(environment, "127.0.0.1:5000", &redactor),
                      "credential helper 'docker-credential-missing' not found on PATH");
  }
}
