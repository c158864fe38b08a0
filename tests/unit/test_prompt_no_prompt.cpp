// SPDX-License-Identifier: Apache-2.0
#include <syntask/prompt/prompter.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "support/env_scope.hpp"

using namespace syntask;
using namespace syntask::prompt;
using syntask::test::EnvScope;

TEST_CASE("prompt::NoPrompt answers with the fallback")
{
  const auto prompter = make_no_prompt();
  CHECK_FALSE(prompter->interactive());
  CHECK(prompter->confirm("Continue?", true, "--yes"));
  CHECK_FALSE(prompter->confirm("Continue?", false, "--yes"));
  CHECK(prompter->text("Name", std::string("default"), "--name") == "default");
  CHECK(prompter->text("Name", std::string(), "--name").empty());
  CHECK(prompter->choose("Work pool", {"a", "b", "c"}, 2, "--pool") == 2);
}

TEST_CASE("prompt::NoPrompt names the flag when there is no fallback")
{
  const auto prompter = make_no_prompt();
  CHECK_THROWS_WITH(prompter->confirm("Build a Docker image?", std::nullopt, "--build"),
                    "missing answer for 'Build a Docker image': pass --build");
  CHECK_THROWS_WITH(prompter->text("Deployment name:", std::nullopt, "--name"),
                    "missing answer for 'Deployment name': pass --name");
  CHECK_THROWS_WITH(prompter->choose("Work pool", {"a", "b"}, k_no_fallback, "--pool"),
                    "missing answer for 'Work pool': pass --pool");
  CHECK_THROWS_WITH(prompter->choose("Work pool", {"a", "b"}, 2, "--pool"),
                    "missing answer for 'Work pool': pass --pool");
  CHECK_THROWS_WITH(prompter->secret("Access token", "--token"),
                    "missing answer for 'Access token': pass --token");
  CHECK_THROWS_WITH(prompter->secret("Access token ?  ", "--token"),
                    "missing answer for 'Access token': pass --token");
  CHECK_THROWS_WITH(prompter->secret("Access token", ""), "missing answer for 'Access token'");
  CHECK_THROWS_AS(prompter->secret("Access token", "--token"), UsageError);
}

TEST_CASE("prompt::running_in_ci reads CI")
{
  {
    const EnvScope ci("CI", std::nullopt);
    CHECK_FALSE(running_in_ci());
  }
  for (const char* off : {"", "false", "FALSE", "0"}) {
    const EnvScope ci("CI", std::string(off));
    CHECK_FALSE(running_in_ci());
  }
  for (const char* on : {"1", "true", "yes"}) {
    const EnvScope ci("CI", std::string(on));
    CHECK(running_in_ci());
  }
}

TEST_CASE("prompt::make_prompter never asks under --no-prompt or CI")
{
  CHECK_FALSE(make_prompter(true)->interactive());
  const EnvScope ci("CI", std::string("1"));
  CHECK_FALSE(make_prompter(false)->interactive());
}
