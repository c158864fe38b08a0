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
}
