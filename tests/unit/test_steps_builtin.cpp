// SPDX-License-Identifier: Apache-2.0
#include <syntask/steps/step.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <filesystem>
#include <sstream>
#include <unistd.h>

using namespace syntask;
using namespace syntask::steps;

namespace {

struct StepFixture {
  std::filesystem::path dir;
  std::ostringstream out;
  std::ostringstream err;
  syntask::ui::Output output{out, err, false, false, false};
  syntask::util::Redactor redactor;
  StepContext context{output, redactor};

  StepFixture()
  {
    dir = std::filesystem::temp_directory_path() / ("syntask-steps-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "sub");
    context.working_directory = dir;
  }
  ~StepFixture() { std::filesystem::remove_all(dir); }

  nlohmann::json run(std::string_view name, nlohmann::json args)
  {
    const auto* step = find_step(name);
    REQUIRE(step != nullptr);
    StepCall call{std::string(step->name), "", 0, "pull", std::move(args), {}, {}};
    return step->run(call, context);
  }
};

} // namespace

TEST_CASE("steps::StepContext: what a step writes reaches the Output's streams only scrubbed")
{
  StepFixture f;
  f.redactor.add_secret("hunter2-secret");
  f.context.output() << "token hunter2-"
                     << "secret done\n";
  f.context.diagnostics() << "hunter2-secret";
  CHECK(f.err.str().empty()); // held until its line ends or the stream is flushed
  f.context.diagnostics().flush();
  CHECK(f.out.str().find("hunter2") == std::string::npos);
  CHECK(f.out.str().find("done") != std::string::npos);
  CHECK(f.err.str().find("hunter2") == std::string::npos);
  CHECK_FALSE(f.err.str().empty());
  CHECK(&f.context.ui() == &f.output);
  CHECK(&f.context.redactor() == &f.redactor);
}

TEST_CASE("steps::find_step accepts the prefect aliases and the singular spelling")
{
  CHECK(find_step("prefect.deployments.steps.run_shell_script") ==
        find_step("syntask.deployments.steps.run_shell_script"));
  CHECK(canonical_step_name("prefect_gcp.deployment.steps.push_to_gcs") ==
        "syntask_gcp.deployments.steps.push_to_gcs");
  CHECK(find_step("syntask.deployments.steps.nope") == nullptr);
}

TEST_CASE("steps::check_requires knows the step packages")
{
  CHECK(check_requires("prefect-aws>=0.3.4").empty());
  CHECK(check_requires(nlohmann::json::array({"syntask-docker", "prefect-azure[blob_storage]>=0.2.8"}))
            .empty());
  CHECK(check_requires("requests") ==
        "unknown step package 'requests': every step is built in; known packages are syntask, syntask-aws, "
        "syntask-gcp, syntask-azure, syntask-docker (or their prefect-* names)");
  CHECK(check_requires(5) == "must be a string or a list of strings");
}

TEST_CASE("steps::set_working_directory returns the absolute directory and moves the context")
{
  StepFixture f;
  const auto output = f.run("prefect.deployments.steps.set_working_directory", {{"directory", "sub"}});
  CHECK(output["directory"] == (f.dir / "sub").string());
  CHECK(f.context.working_directory == f.dir / "sub");
  CHECK_THROWS_WITH(f.run("syntask.deployments.steps.set_working_directory", {{"directory", "missing"}}),
                    "directory '" + (f.dir / "sub/missing").string() + "' does not exist");
}

TEST_CASE("steps::run_shell_script runs each line without a shell")
{
  StepFixture f;
  const auto output = f.run(
      "syntask.deployments.steps.run_shell_script",
      {{"script", "# a comment\necho 'hello world'\necho $HOME\n\necho second"}, {"stream_output", false}});
  CHECK(output["stdout"] == "hello world\n$HOME\nsecond");
  CHECK(output["stderr"] == "");
}

TEST_CASE("steps::run_shell_script expands variables and runs a shell when asked")
{
  StepFixture f;
  auto output = f.run("syntask.deployments.steps.run_shell_script",
                      {{"script", "echo $GREETING ${GREETING}x $UNKNOWN_VAR_X"},
                       {"env", {{"GREETING", "hi"}}},
                       {"expand_env_vars", true},
                       {"stream_output", false}});
  CHECK(output["stdout"] == "hi hix $UNKNOWN_VAR_X");
  output =
      f.run("syntask.deployments.steps.run_shell_script",
            {{"script", "cd sub\nexport A=1\necho \"$A $(basename $(pwd))\" | tr a-z A-Z"}, {"shell", true}});
  CHECK(output["stdout"] == "1 SUB");
  CHECK(f.out.str() == "1 SUB\n");
}

TEST_CASE("steps::run_shell_script fails on the first failing line")
{
  StepFixture f;
  CHECK_THROWS_WITH(
      f.run("syntask.deployments.steps.run_shell_script",
            {{"script", "sh -c 'echo oops >&2; exit 3'\necho never"}, {"stream_output", false}}),
      "command 'sh -c echo oops >&2; exit 3' failed with exit code 3: oops");
  CHECK_THROWS_WITH(f.run("syntask.deployments.steps.run_shell_script", {{"script", "echo 'open"}}),
                    "unbalanced single quote in 'echo 'open'");
  CHECK_THROWS_WITH(f.run("syntask.deployments.steps.run_shell_script", {{"script", "no-such-program-xyz"}}),
                    "cannot run 'no-such-program-xyz': No such file or directory");
}
