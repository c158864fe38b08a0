// SPDX-License-Identifier: Apache-2.0
#include <syntask/git/clone.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using namespace syntask;
using namespace syntask::git;

namespace {

std::string pair(const HttpCredentials& credentials)
{
  return credentials.username + ":" + credentials.password;
}

} // namespace

TEST_CASE("git::provider comes from the block type, else from the host")
{
  CHECK(provider_from_block_type("github-credentials") == Provider::github);
  CHECK(provider_from_block_type("gitlab-credentials") == Provider::gitlab);
  CHECK(provider_from_block_type("bitbucket-credentials") == Provider::bitbucket);
  CHECK_FALSE(provider_from_block_type("secret").has_value());
  CHECK(provider_from_host("gitlab.example.com") == Provider::gitlab);
  CHECK(provider_from_host("bitbucket.org") == Provider::bitbucket);
  CHECK(provider_from_host("GitHub.com") == Provider::github);
  CHECK(provider_from_host("dev.azure.com") == Provider::generic);
}

TEST_CASE("git::token_credentials presents a token the way each provider wants")
{
  CHECK(pair(token_credentials(Provider::github, "ghp_abc")) == "x-access-token:ghp_abc");
  CHECK(pair(token_credentials(Provider::generic, "tok")) == "x-access-token:tok");
  CHECK(pair(token_credentials(Provider::gitlab, "glpat")) == "oauth2:glpat");
  CHECK(pair(token_credentials(Provider::gitlab, "deploy-user:dtok")) == "deploy-user:dtok");
  CHECK(pair(token_credentials(Provider::gitlab, "oauth2:glpat")) == "oauth2:glpat");
  CHECK(pair(token_credentials(Provider::bitbucket, "bbtok")) == "x-token-auth:bbtok");
  CHECK(pair(token_credentials(Provider::bitbucket, "x-token-auth:bbtok")) == "x-token-auth:bbtok");
  CHECK(pair(token_credentials(Provider::bitbucket, "me:app-password")) == "me:app-password");
  CHECK(pair(token_credentials(Provider::gitlab, "dtok", "deploy-user")) == "deploy-user:dtok");
}

TEST_CASE("git::block_credentials reads token, password and username fields")
{
  CHECK(pair(block_credentials(Provider::github, {{"token", "ghp"}})) == "x-access-token:ghp");
  CHECK(pair(block_credentials(Provider::gitlab, {{"token", "glpat"}, {"url", "https://gl.example"}})) ==
        "oauth2:glpat");
  CHECK(pair(block_credentials(Provider::bitbucket, {{"username", "me"}, {"password", "pw"}})) == "me:pw");
  CHECK(pair(block_credentials(Provider::bitbucket, {{"token", "t"}, {"password", "pw"}})) ==
        "x-token-auth:t");
  CHECK_THROWS_WITH(block_credentials(Provider::github, nlohmann::json::object()),
                    "the credentials hold no 'token' or 'password'");
}

TEST_CASE("git::parse_repository_url separates user-info from what is stored")
{
  const auto https = parse_repository_url("https://user:p%40ss@example.com:8443/org/repo.git");
  CHECK(https.scheme == "https");
  CHECK(https.username == "user");
  CHECK(https.password == "p@ss");
  CHECK(https.host == "example.com");
  CHECK(https.port == 8443);
  CHECK(https.path == "/org/repo.git");
  CHECK(https.without_userinfo == "https://example.com:8443/org/repo.git");

  const auto scp = parse_repository_url("git@github.com:org/repo.git");
  CHECK(scp.scheme == "ssh");
  CHECK(scp.username == "git");
  CHECK(scp.host == "github.com");
  CHECK(scp.path == "org/repo.git");
  CHECK(scp.without_userinfo == "git@github.com:org/repo.git");

  const auto ssh = parse_repository_url("ssh://git@127.0.0.1:2222/srv/repos/flows.git");
  CHECK(ssh.host == "127.0.0.1");
  CHECK(ssh.port == 2222);
  CHECK(ssh.without_userinfo == "ssh://git@127.0.0.1:2222/srv/repos/flows.git");

  const auto local = parse_repository_url("/srv/repos/flows.git");
  CHECK(local.scheme.empty());
  CHECK(local.without_userinfo == "/srv/repos/flows.git");
}

TEST_CASE("git::repository_name strips .git and trailing slashes")
{
  CHECK(repository_name("https://github.com/org/flows.git") == "flows");
  CHECK(repository_name("https://github.com/org/flows/") == "flows");
  CHECK(repository_name("git@github.com:org/my.github-tools.git") == "my.github-tools");
  CHECK(repository_name("git@host:repo") == "repo");
  CHECK(repository_name("/srv/repos/sub.git") == "sub");
}

TEST_CASE("git::cache_key ignores user-info")
{
  CHECK(cache_key("https://tok@example.com/r.git") == cache_key("https://example.com/r.git"));
  CHECK(cache_key("https://example.com/r.git") != cache_key("https://example.com/s.git"));
  CHECK(cache_key("https://example.com/r.git").size() == 64);
}
