// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include <catch2/catch_test_macros.hpp>

using namespace syntask::util;

TEST_CASE("util::did_you_mean suggests close names only")
{
  const std::vector<std::string> keys{"name", "version", "work_pool", "entrypoint"};
  CHECK(did_you_mean("work_pol", keys) == "; did you mean 'work_pool'?");
  CHECK(did_you_mean("entrypiont", keys) == "; did you mean 'entrypoint'?");
  CHECK(did_you_mean("zzzzzz", keys).empty());
}

TEST_CASE("util::did_you_mean: a typo of a name gets it suggested")
{
  const std::vector<std::string> slugs{"secret", "github-credentials", "gcp-credentials", "aws-credentials"};
  CHECK(did_you_mean("secrett", slugs) == "; did you mean 'secret'?");
  CHECK(did_you_mean("githb-credentials", slugs) == "; did you mean 'github-credentials'?");
  CHECK(did_you_mean("aws-credential", slugs) == "; did you mean 'aws-credentials'?");
  // Two neighbouring characters swapped are one edit.
  CHECK(did_you_mean("entrypiont", {"entrypoint"}) == "; did you mean 'entrypoint'?");
  CHECK(did_you_mean("tokn", {"token", "url"}) == "; did you mean 'token'?");
  // The pull step that names the push step's id with one word mistaken.
  CHECK(did_you_mean("pull_code", {"push_code", "build"}) == "; did you mean 'push_code'?");
  CHECK(did_you_mean("Secret", slugs) == "; did you mean 'secret'?");
  CHECK(did_you_mean("syntask.deployments.steps.set_working_dir",
                     {"syntask.deployments.steps.set_working_directory"}) ==
        "; did you mean 'syntask.deployments.steps.set_working_directory'?");
  CHECK(did_you_mean("name", {"namespace_of_the_pool"}).empty());
}

TEST_CASE("util::did_you_mean: an unrelated name gets no suggestion")
{
  // What the names share at either end does not make the rest close.
  const std::vector<std::string> steps{"syntask.deployments.steps.git_clone",
                                       "syntask.deployments.steps.run_shell_script",
                                       "syntask.deployments.steps.pull_from_s3"};
  CHECK(did_you_mean("syntask.deployments.steps.foo", steps).empty());
  CHECK(did_you_mean("syntask.deployments.steps.run_python", steps).empty());
  CHECK(did_you_mean("syntask.deployments.steps.git_clon", steps) ==
        "; did you mean 'syntask.deployments.steps.git_clone'?");
  const std::vector<std::string> slugs{"gcp-credentials", "aws-credentials"};
  CHECK(did_you_mean("foo-credentials", slugs).empty());
  CHECK(did_you_mean("hello/staging", {"hello/prod", "hello/dev"}).empty());
  // A one-character name replaced by another is not a typo of it.
  CHECK(did_you_mean("x", {"y", "s3"}).empty());
  CHECK(did_you_mean("ab", {"cd"}).empty());
  CHECK(did_you_mean("anything", {}).empty());
}

TEST_CASE("util::edit_distance")
{
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("ab", "ba") == 1);
  CHECK(edit_distance("abcd", "acbd") == 1);
  CHECK(edit_distance("work_pol", "work_pool") == 1);
}

TEST_CASE("util::slugify")
{
  CHECK(slugify("An important name") == "an-important-name");
  CHECK(slugify("my_flow") == "my-flow");
  CHECK(slugify("--x--") == "x");
}

TEST_CASE("util::glob_match")
{
  CHECK(glob_match("hello/*", "hello/prod"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("a*c*e", "abcde"));
  CHECK_FALSE(glob_match("hello/*", "other/prod"));
  CHECK_FALSE(glob_match("abc", "abcd"));
}

TEST_CASE("util::split and trim")
{
  CHECK(split("a,b,,c", ',') == std::vector<std::string>{"a", "b", "", "c"});
  CHECK(trim("  x y \n") == "x y");
}

TEST_CASE("util::Redactor scrubs secrets and URL user-info")
{
  Redactor redactor;
  redactor.add_secret("s3cr3t-token");
  CHECK(redactor.scrub("token is s3cr3t-token!") == "token is ********!");
  CHECK(redactor.scrub("clone https://user:pass@example.com/r.git failed") ==
        "clone https://********@example.com/r.git failed");
  CHECK(redact_url("https://example.com/x@y") == "https://example.com/x@y");
  CHECK(redact_url("ssh://git@127.0.0.1:2222/r.git and https://tok@h/r") ==
        "ssh://git@127.0.0.1:2222/r.git and https://********@h/r");
  CHECK(redact_url("ssh://git:pw@h/r") == "ssh://********@h/r");
  CHECK(redact_url("GIT+SSH://git@h/r") == "GIT+SSH://git@h/r");
  CHECK(redact_url("1x+y://tok@h") == "1x+y://********@h");
  CHECK(redact_url("'https://tok@h' \"http://a:b@h\"") == "'https://********@h' \"http://********@h\"");
  CHECK(redact_url("https://a b@h ://x@y https://@h https://tok@") ==
        "https://a b@h ://x@y https://@h https://********@");
  CHECK(redact_url("https://t@k@h") == "https://********@k@h");
}

TEST_CASE("util::Redactor masks each line of a multi-line secret and never a short one")
{
  Redactor redactor;
  redactor.add_secret("-----BEGIN KEY-----\r\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\nab\n-----END KEY-----\n");
  CHECK(redactor.scrub("line MIIEvQIBADANBgkq") == "line ********");
  CHECK(redactor.scrub("hkiG9w0BAQEFAASC!") == "********!");
  CHECK(redactor.scrub("-----BEGIN KEY-----") == "********");
  // "ab" is too short to mask without masking ordinary text.
  CHECK(redactor.scrub("table") == "table");
  redactor.add_secret("xyz");
  CHECK(redactor.scrub("xyz") == "xyz");
}

TEST_CASE("util::redact_url and Redactor::scrub take time linear in the text, whatever it holds")
{
  // A printed line of URL-like text of any length (a step printing a long token, a long stored name)
  // must neither exhaust the stack nor take quadratic time.
  std::string long_userinfo = "https://" + std::string(1 << 20, 'a') + "@h";
  CHECK(redact_url(long_userinfo) == "https://********@h");
  std::string many;
  for (int i = 0; i < 100000; ++i) {
    many += "a://t@";
  }
  const auto redacted = redact_url(many);
  CHECK(redacted.size() == 100000 * std::string("a://********@").size());
  std::string colons(1 << 20, ':');
  CHECK(redact_url(colons) == colons);
  Redactor redactor;
  redactor.add_secret("s3cr3t-token");
  std::string repeated;
  for (int i = 0; i < 200000; ++i) {
    repeated += "s3cr3t-token ";
  }
  const auto scrubbed = redactor.scrub(repeated);
  CHECK(scrubbed.find("s3cr3t") == std::string::npos);
  CHECK(scrubbed.size() == 200000 * std::string("******** ").size());
}
