// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/ui/output.hpp>

#include <catch2/catch_test_macros.hpp>

#include "deploy/git_source.hpp"
#include <sstream>

namespace {

using nlohmann::json;
using namespace syntask::deploy;

const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";

syntask::git::RepositoryState clean_state()
{
  syntask::git::RepositoryState state;
  state.root = "/work/project";
  state.remote_name = "origin";
  state.remote_url = "https://example.com/org/flows.git";
  state.branch = "main";
  state.head_commit = k_sha;
  state.tracking_branch = "origin/main";
  state.head_pushed = true;
  return state;
}

} // namespace

TEST_CASE("deploy::repository_token_block slugifies both names")
{
  CHECK(repository_token_block("My Deployment", "hello_flow") ==
        "deployment-my-deployment-hello-flow-repo-token");
}

TEST_CASE("deploy::pin_clone_args")
{
  SECTION("adds HEAD")
  {
    json args = {{"repository", "https://example.com/r.git"}};
    CHECK(pin_clone_args(args, k_sha));
    CHECK(args["commit_sha"] == k_sha);
  }
  SECTION("pin: false, as a boolean or a string, keeps the branch")
  {
    json args = {{"repository", "r"}, {"pin", false}};
    CHECK_FALSE(pin_clone_args(args, k_sha));
    CHECK_FALSE(args.contains("commit_sha"));
    json text = {{"repository", "r"}, {"pin", "False"}};
    CHECK_FALSE(pin_clone_args(text, k_sha));
  }
  SECTION("pin: true pins")
  {
    json args = {{"repository", "r"}, {"pin", true}};
    CHECK(pin_clone_args(args, k_sha));
  }
  SECTION("a written commit_sha wins")
  {
    json args = {{"repository", "r"}, {"commit_sha", "abc123"}};
    CHECK_FALSE(pin_clone_args(args, k_sha));
    CHECK(args["commit_sha"] == "abc123");
  }
  SECTION("an empty or null commit_sha is replaced")
  {
    json args = {{"repository", "r"}, {"commit_sha", nullptr}};
    CHECK(pin_clone_args(args, k_sha));
    CHECK(args["commit_sha"] == k_sha);
  }
  SECTION("no HEAD commit, nothing to pin")
  {
    json args = {{"repository", "r"}};
    CHECK_FALSE(pin_clone_args(args, ""));
  }
}

TEST_CASE("deploy::same_repository")
{
  CHECK(same_repository("https://github.com/org/repo.git", "https://github.com/org/repo"));
  CHECK(same_repository("https://tok@GitHub.com/org/repo.git/", "https://github.com/org/repo"));
  CHECK(same_repository("git@github.com:org/repo.git", "git@github.com:org/repo"));
  CHECK_FALSE(same_repository("https://github.com/org/Repo.git", "https://github.com/org/repo.git"));
  CHECK_FALSE(same_repository("https://github.com/org/repo.git", "git@github.com:org/repo.git"));
}

TEST_CASE("deploy::describe_clone and clone_sentence")
{
  const auto pinned = describe_clone(
      {{"repository", "https://user:pw@example.com/r.git"}, {"branch", "main"}, {"commit_sha", k_sha}});
  CHECK(pinned == json{{"repository", "https://********@example.com/r.git"},
                       {"branch", "main"},
                       {"commit_sha", k_sha}});
  CHECK(clone_sentence(pinned) ==
        "Your Syntask workers will clone 'https://********@example.com/r.git' (branch "
        "'main') at commit " +
            k_sha + ".");
  const auto floating = describe_clone({{"repository", "git@example.com:org/r.git"}});
  CHECK(floating["branch"].is_null());
  CHECK(clone_sentence(floating) ==
        "Your Syntask workers will clone 'git@example.com:org/r.git' (default branch) "
        "at the branch's latest commit when each run starts.");
}

TEST_CASE("deploy::check_pushed warns or fails")
{
  std::ostringstream out;
  std::ostringstream err;
  syntask::ui::Output output(out, err, false, false, false);
  const std::string tail = "workers would not see these changes: push them first";

  SECTION("a clean, pushed tree says nothing")
  {
    check_pushed(clean_state(), true, output);
    CHECK(err.str().empty());
  }
  SECTION("uncommitted changes and an unpushed commit are both reported")
  {
    auto state = clean_state();
    state.dirty = true;
    state.head_pushed = false;
    check_pushed(state, false, output);
    CHECK(err.str() == "syntask: warning: the working tree at '/work/project' has uncommitted changes; " +
                           tail + "\nsyntask: warning: commit 0123456789ab is not on 'origin/main'; " + tail +
                           "\n");
  }
  SECTION("a branch without remote branch")
  {
    auto state = clean_state();
    state.branch = "feature";
    state.tracking_branch.clear();
    state.head_pushed = false;
    check_pushed(state, false, output);
    CHECK(err.str() == "syntask: warning: branch 'feature' has no remote branch on 'origin'; " + tail + "\n");
  }
  SECTION("--require-pushed turns the first problem into an error")
  {
    auto state = clean_state();
    state.head_pushed = false;
    try {
      check_pushed(state, true, output);
      FAIL("expected a UsageError");
    } catch (const syntask::UsageError& error) {
      CHECK(std::string(error.what()) ==
            "commit 0123456789ab is not on 'origin/main'; " + tail + " (--require-pushed)");
    }
    CHECK(err.str().empty());
  }
}
