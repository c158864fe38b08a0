// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>

#include "deploy/container_run_plan.hpp"
#include "deploy/python_runner.hpp"
#include "support/temp_dir.hpp"
#include <fstream>
#include <sstream>

using syntask::steps::ContainerPlace;
using syntask::test::TempDir;
namespace fs = std::filesystem;

namespace {

syntask::config::StepList steps_of(const nlohmann::json& stored)
{
  return syntask::deploy::stored_pull_steps({{"pull_steps", stored}});
}

// Plans `stored` with a staging folder of its own; host steps are `host`.
struct Planner {
  TempDir staging;
  std::ostringstream program_output;
  std::ostringstream diagnostics;
  syntask::ui::Output output{program_output, diagnostics, false, false, false};
  syntask::steps::StepContext context{output, syntask::util::Redactor::global()};
  syntask::steps::StepScope scope{nlohmann::json::object(), nullptr};
  syntask::deploy::ContainerPullOptions options;

  explicit Planner(syntask::deploy::HostStepRunner host, std::string start = "")
  {
    context.working_directory = staging.path();
    options.start_directory = std::move(start);
    options.staging = staging.path();
    options.run_host_step = std::move(host);
  }

  syntask::deploy::ContainerPullPlan plan(const nlohmann::json& stored)
  {
    return syntask::deploy::plan_container_pull(steps_of(stored), options, context, scope);
  }

  std::string error(const nlohmann::json& stored)
  {
    try {
      plan(stored);
    } catch (const syntask::StepError& failure) {
      return failure.what();
    }
    return "no error";
  }
};

// A host step that writes `file` into a folder `folder` of its working directory and reports it.
syntask::deploy::HostStepRunner fetch_into(std::string folder, std::vector<fs::path>* seen = nullptr)
{
  return [folder, seen](const syntask::steps::StepInfo&, const syntask::steps::StepCall&,
                        syntask::steps::StepContext& context) {
    if (seen != nullptr) {
      seen->push_back(context.working_directory);
    }
    fs::create_directories(context.working_directory / folder);
    std::ofstream(context.working_directory / folder / "flow.py") << "x = 1\n";
    return nlohmann::json{{"directory", folder}, {"commit_sha", "abc"}};
  };
}

nlohmann::json step(const std::string& name, nlohmann::json args)
{
  return {{name, std::move(args)}};
}

} // namespace

TEST_CASE("steps: each step's row says where it runs in a container, for every spelling")
{
  const auto place = [](std::string_view name) {
    const auto* step = syntask::steps::find_step(name);
    REQUIRE(step != nullptr);
    return step->container_place;
  };
  CHECK(place("syntask.deployments.steps.set_working_directory") == ContainerPlace::directory);
  CHECK(place("prefect.deployments.steps.set_working_directory") == ContainerPlace::directory);
  CHECK(place("prefect.deployments.steps.git_clone") == ContainerPlace::host);
  CHECK(place("prefect_aws.deployments.steps.pull_from_s3") == ContainerPlace::host);
  CHECK(place("syntask_gcp.deployments.steps.pull_from_gcs") == ContainerPlace::host);
  CHECK(place("prefect_azure.deployment.steps.pull_from_azure_blob_storage") == ContainerPlace::host);
  CHECK(place("syntask.deployment.steps.run_shell_script") == ContainerPlace::container);
  CHECK(place("prefect.deployments.steps.pip_install_requirements") == ContainerPlace::container);
  CHECK(place("syntask_aws.deployments.steps.push_to_s3") == ContainerPlace::none);
  CHECK(place("syntask_docker.deployments.steps.build_docker_image") == ContainerPlace::none);
  // Every step the container runs says what its runner gets.
  for (const auto& step : syntask::steps::builtin_steps()) {
    INFO(step.name);
    CHECK((step.container_place == ContainerPlace::container) == (step.container_args != nullptr));
  }
}

TEST_CASE("deploy::plan_container_pull tracks the container folder and records container steps in order")
{
  std::vector<fs::path> seen;
  Planner planner(fetch_into("repo", &seen), "/opt/image/");
  const auto plan = planner.plan(nlohmann::json::array({
      step("prefect.deployments.steps.set_working_directory", {{"directory", "/srv/app"}}),
      step("syntask.deployments.steps.run_shell_script",
           {{"id", "first"}, {"script", "echo one"}, {"env", {{"N", 3}, {"S", "x"}}}, {"shell", "yes"}}),
      step("syntask.deployments.steps.set_working_directory", {{"directory", "src/../code/"}}),
      step("syntask.deployments.steps.git_clone", {{"id", "clone"}, {"repository", "https://h/r.git"}}),
      step("syntask.deployments.steps.pip_install_requirements",
           {{"directory", "{{ clone.directory }}"}, {"requirements_file", "reqs.txt"}}),
  }));
  CHECK(plan.working_directory == "/srv/app/code/repo");
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == planner.staging.path() / "srv/app/code");
  CHECK(fs::exists(planner.staging.path() / "srv/app/code/repo/flow.py"));
  CHECK(plan.staged_directories == std::vector<std::string>{"srv", "srv/app", "srv/app/code"});
  REQUIRE(plan.container_steps.size() == 2);
  const auto& shell = plan.container_steps[0];
  CHECK(shell.label == "pull[1] 'first' (syntask.deployments.steps.run_shell_script): ");
  CHECK(shell.step == "run_shell_script");
  CHECK(shell.directory == "/srv/app");
  CHECK(shell.args == nlohmann::json{{"directory", "."},
                                     {"stream_output", true},
                                     {"script", "echo one"},
                                     {"expand_env_vars", false},
                                     {"shell", true},
                                     {"env", {{"N", "3"}, {"S", "x"}}}});
  const auto& pip = plan.container_steps[1];
  CHECK(pip.label == "pull[4] (syntask.deployments.steps.pip_install_requirements): ");
  CHECK(pip.step == "pip_install_requirements");
  // The clone did not move the steps' folder, and its directory output is relative to it.
  CHECK(pip.directory == "/srv/app/code");
  CHECK(pip.args ==
        nlohmann::json{{"directory", "repo"}, {"stream_output", true}, {"requirements_file", "reqs.txt"}});
  // Only the steps that run here are announced here; the container announces its own.
  CHECK(planner.diagnostics.str() == " > Running set_working_directory step...\n"
                                     " > Running set_working_directory step...\n"
                                     " > Running git_clone step...\n");
}

TEST_CASE("deploy::plan_container_pull starts in the image's folder, '/' when it has none")
{
  Planner none(fetch_into("repo"));
  auto plan =
      none.plan(nlohmann::json::array({step("syntask.deployments.steps.git_clone", {{"repository", "r"}})}));
  CHECK(plan.working_directory == "/repo");
  CHECK(plan.staged_directories.empty());
  CHECK(fs::exists(none.staging.path() / "repo/flow.py"));

  Planner image(fetch_into("repo"), "/opt/syntask/project");
  plan = image.plan(nlohmann::json::array(
      {step("syntask.deployments.steps.set_working_directory", {{"directory", "../other"}})}));
  CHECK(plan.working_directory == "/opt/syntask/other");
  CHECK(plan.staged_directories.empty());
  CHECK(plan.container_steps.empty());
}

TEST_CASE("deploy::plan_container_pull stages no folder inside one a host step fetched")
{
  Planner planner(fetch_into("repo"), "/work");
  const auto plan = planner.plan(nlohmann::json::array({
      step("syntask.deployments.steps.git_clone", {{"id", "clone"}, {"repository", "r"}}),
      step("syntask.deployments.steps.set_working_directory",
           {{"directory", "{{ clone.directory }}/sub/deeper"}}),
      step("syntask_aws.deployments.steps.pull_from_s3", {{"bucket", "b"}, {"folder", "f"}}),
  }));
  // /work stands for the image's folder; repo came from the clone, and sub/deeper inside it cannot be
  // in the image.
  CHECK(plan.staged_directories == std::vector<std::string>{"work"});
  CHECK(plan.working_directory == "/work/repo/sub/deeper/repo");
}

namespace {

// A host step that fetches into its working directory itself and reports it, as the pull_from_* steps do.
syntask::deploy::HostStepRunner fetch_here(std::string folder)
{
  return [folder](const syntask::steps::StepInfo&, const syntask::steps::StepCall&,
                  syntask::steps::StepContext& context) {
    fs::create_directories(context.working_directory / folder);
    std::ofstream(context.working_directory / folder / "flow.py") << "x = 1\n";
    return nlohmann::json{{"directory", context.working_directory.string()}};
  };
}

} // namespace

TEST_CASE(
    "deploy::plan_container_pull: only set_working_directory moves the steps; the flow runs from the last "
    "directory")
{
  // git_clone + set_working_directory to its folder: that folder once (the repository has a folder of
  // its own name inside, which joining twice would reach).
  Planner twice(fetch_into("flows/flows"), "/opt/app");
  auto plan = twice.plan(nlohmann::json::array({
      step("syntask.deployments.steps.git_clone", {{"id", "clone-step"}, {"repository", "r"}}),
      step("syntask.deployments.steps.set_working_directory", {{"directory", "{{ clone-step.directory }}"}}),
  }));
  CHECK(plan.working_directory == "/opt/app/flows/flows");
  Planner once(fetch_into("flows"), "/opt/app");
  plan = once.plan(nlohmann::json::array({
      step("syntask.deployments.steps.git_clone", {{"id", "clone-step"}, {"repository", "r"}}),
      step("syntask.deployments.steps.pip_install_requirements",
           {{"directory", "{{ clone-step.directory }}"}}),
      step("syntask.deployments.steps.set_working_directory", {{"directory", "{{ clone-step.directory }}"}}),
      step("syntask.deployments.steps.run_shell_script", {{"script", "ls"}}),
  }));
  CHECK(plan.working_directory == "/opt/app/flows");
  REQUIRE(plan.container_steps.size() == 2);
  CHECK(plan.container_steps[0].directory == "/opt/app");
  CHECK(plan.container_steps[0].args["directory"] == "flows");
  CHECK(plan.container_steps[1].directory == "/opt/app/flows");

  // A clone alone: later steps stay where they were, the flow runs in the clone.
  Planner alone(fetch_into("repo"), "/opt/app");
  plan = alone.plan(nlohmann::json::array({
      step("syntask.deployments.steps.git_clone", {{"repository", "r"}}),
      step("syntask.deployments.steps.run_shell_script", {{"script", "ls"}}),
  }));
  CHECK(plan.working_directory == "/opt/app/repo");
  REQUIRE(plan.container_steps.size() == 1);
  CHECK(plan.container_steps[0].directory == "/opt/app");
}

TEST_CASE("deploy::plan_container_pull gives a pull's absolute directory as the container's path")
{
  Planner planner(fetch_here("flows"), "/opt/app");
  const auto plan = planner.plan(nlohmann::json::array({
      step("syntask_aws.deployments.steps.pull_from_s3", {{"id", "pull"}, {"bucket", "b"}, {"folder", "f"}}),
      step("syntask.deployments.steps.run_shell_script", {{"script", "ls {{ pull.directory }}"}}),
      step("syntask.deployments.steps.set_working_directory", {{"directory", "{{ pull.directory }}/flows"}}),
  }));
  CHECK(fs::exists(planner.staging.path() / "opt/app/flows/flow.py"));
  CHECK(plan.working_directory == "/opt/app/flows");
  REQUIRE(plan.container_steps.size() == 1);
  CHECK(plan.container_steps[0].args["script"] == "ls /opt/app");
  // Without set_working_directory the flow runs where the pull put the files.
  Planner bare(fetch_here("flows"), "/opt/app");
  CHECK(bare.plan(nlohmann::json::array({step("syntask_aws.deployments.steps.pull_from_s3",
                                              {{"bucket", "b"}, {"folder", "f"}})}))
            .working_directory == "/opt/app");
}

TEST_CASE("deploy::plan_container_pull names the step that cannot be placed or fails")
{
  Planner planner(fetch_into("repo"));
  const auto refused = planner.error(nlohmann::json::array({
      step("syntask.deployments.steps.set_working_directory", {{"directory", "/a"}}),
      step("syntask_aws.deployments.steps.push_to_s3", {{"bucket", "b"}, {"folder", "f"}}),
  }));
  CHECK(refused ==
        "pull[1] (syntask_aws.deployments.steps.push_to_s3): cannot run in a docker work pool; its "
        "pull steps may be set_working_directory, run_shell_script, git_clone, pip_install_requirements, "
        "pull_from_s3, pull_from_gcs, pull_from_azure_blob_storage");

  const auto no_script = planner.error(
      nlohmann::json::array({step("syntask.deployments.steps.run_shell_script", {{"id", "sh"}})}));
  CHECK(no_script == "pull[0] 'sh' (syntask.deployments.steps.run_shell_script): step "
                     "'syntask.deployments.steps.run_shell_script' needs the argument 'script'");

  const auto bad_env = planner.error(nlohmann::json::array(
      {step("syntask.deployments.steps.run_shell_script", {{"script", "true"}, {"env", "A=1"}})}));
  CHECK(bad_env == "pull[0] (syntask.deployments.steps.run_shell_script): argument 'env' of step "
                   "'run_shell_script' must be a mapping");

  const auto unresolved = planner.error(nlohmann::json::array(
      {step("syntask.deployments.steps.pip_install_requirements", {{"directory", "{{ nothing.here }}"}})}));
  CHECK(unresolved.find("pull[0] (syntask.deployments.steps.pip_install_requirements): ") == 0);

  Planner failing(
      [](const syntask::steps::StepInfo&, const syntask::steps::StepCall&,
         syntask::steps::StepContext&) -> nlohmann::json { throw syntask::StepError("no such repo"); });
  const auto failed = failing.error(
      nlohmann::json::array({step("prefect.deployments.steps.git_clone", {{"repository", "r"}})}));
  CHECK(failed == "pull[0] (prefect.deployments.steps.git_clone): no such repo");

  Planner escaping(fetch_into("../../outside"), "/a");
  const auto escaped = escaping.error(
      nlohmann::json::array({step("syntask.deployments.steps.git_clone", {{"repository", "r"}})}));
  const auto outside = escaping.staging.path().parent_path() / "outside";
  fs::remove_all(outside);
  CHECK(escaped == "pull[0] (syntask.deployments.steps.git_clone): it fetched into '" + outside.string() +
                       "', outside the folder standing for the container");
}

TEST_CASE("deploy::python_runner carries out the container steps of the rows, then the flow")
{
  // What a container run hands the runner: the plan's container steps, in the run file.
  TempDir folder;
  fs::create_directories(folder.path() / "app");
  std::ofstream(folder.path() / "app/requirements.txt") << "# nothing to install\n";
  std::ofstream(folder.path() / "app/flow.py")
      << "import os\nfrom syntask import flow\n\n@flow\ndef where(greeting):\n"
         "    print(greeting, os.getcwd(), open('made.txt').read().strip())\n";
  Planner planner(fetch_into("unused"), folder.path().string());
  const auto plan = planner.plan(nlohmann::json::array({
      step("syntask.deployments.steps.run_shell_script",
           {{"directory", "app"}, {"script", "sh -c 'echo $WORD > made.txt'"}, {"env", {{"WORD", "shell"}}}}),
      step("syntask.deployments.steps.pip_install_requirements",
           {{"directory", "app"}, {"stream_output", false}}),
      step("syntask.deployments.steps.set_working_directory", {{"directory", "app"}}),
  }));
  REQUIRE(plan.container_steps.size() == 2);
  auto steps = nlohmann::json::array();
  for (const auto& container_step : plan.container_steps) {
    steps.push_back({{"label", container_step.label},
                     {"step", container_step.step},
                     {"args", container_step.args},
                     {"directory", container_step.directory}});
  }
  const auto run_file = folder.path() / "run/run.json";
  fs::create_directories(run_file.parent_path());
  std::ofstream(run_file) << nlohmann::json{
      {"entrypoint", "flow.py:where"},
      {"parameters", {{"greeting", "hello from"}}},
      {"steps", steps}}.dump();
  syntask::util::ProcessOptions options;
  options.environment = syntask::util::current_environment();
  options.environment["SYNTASK_RUN_FILE"] = run_file.string();
  options.working_directory = plan.working_directory;
  const auto result =
      syntask::util::run_process({"python3", "-c", syntask::deploy::python_runner()}, options);
  INFO(result.stderr_text);
  CHECK(result.exit_code == 0);
  CHECK(result.stdout_text == "hello from " + (folder.path() / "app").string() + " shell\n");
  CHECK(result.stderr_text.find(
            " > Running run_shell_script step...\n > Running pip_install_requirements step...\n") == 0);
  CHECK_FALSE(fs::exists(run_file));
}
