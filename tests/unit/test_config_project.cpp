// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/project.hpp>

#include <catch2/catch_test_macros.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace syntask;
using namespace syntask::config;
using nlohmann::json;

namespace {

ProjectFile project_of(std::string_view text)
{
  return build_project(parse_yaml(text, "syntask.yaml"), "syntask.yaml");
}

// Every line reported for `text`; empty when the file is valid.
std::vector<std::string> problems_of(std::string_view text)
{
  try {
    project_of(text);
  } catch (const ConfigErrors& errors) {
    return errors.lines();
  } catch (const ConfigError& error) {
    return {error.what()};
  }
  return {};
}

using Lines = std::vector<std::string>;

constexpr const char* k_shell = "syntask.deployments.steps.run_shell_script";

// The file `prefect init` writes for the local recipe (layout of Prefect's generator, comments included).
constexpr std::string_view k_prefect_init_file = R"(---
# Welcome to your prefect.yaml file! You can use this file for storing and managing
# configuration for deploying your flows. We recommend committing this file to source
# control along with your flow code.

# Generic metadata about this project
name: flows
prefect-version: 3.1.0

# build section allows you to manage and build docker images
build:

# push section allows you to manage if and how this project
# is uploaded to remote locations
push:

# pull section allows you to provide instructions for cloning
# this project in remote locations
pull:
- prefect.deployments.steps.set_working_directory:
    directory: /home/user/flows

# the deployments section allows you to provide configuration
# for deploying flows
deployments:
- name:
  version:
  tags: []
  description:
  schedule: {}
  flow_name:
  entrypoint:
  parameters: {}
  work_pool:
    name:
    work_queue_name:
    job_variables: {}
)";

} // namespace

TEST_CASE("config::build_project loads the file prefect init writes")
{
  const auto project = project_of(k_prefect_init_file);
  CHECK(project.name == "flows");
  CHECK(project.build.empty());
  CHECK(project.push.empty());
  REQUIRE(project.pull);
  REQUIRE(project.pull->size() == 1);
  const auto& step = project.pull->front();
  CHECK(step.name == "syntask.deployments.steps.set_working_directory");
  CHECK(step.written_name == "prefect.deployments.steps.set_working_directory");
  CHECK(step.args == json{{"directory", "/home/user/flows"}});
  CHECK(step.pointer == "/pull/0");
  CHECK(step.where.str() == "syntask.yaml:20:3");
  REQUIRE(project.deployments.size() == 1);
  const auto& deployment = project.deployments.front();
  CHECK(deployment.name().empty());
  CHECK(deployment.entrypoint().empty());
  CHECK_FALSE(deployment.body.contains("schedule"));
  CHECK_FALSE(deployment.body.contains("schedules"));
  CHECK(deployment.body["work_pool"] ==
        json{{"name", nullptr}, {"work_queue_name", nullptr}, {"job_variables", json::object()}});
  CHECK_FALSE(deployment.build);
  CHECK_FALSE(deployment.pull);
}

TEST_CASE("config::build_project accepts a complete prefect.yaml")
{
  const auto project = project_of(R"(
name: shop
prefect-version: "3.1.0"
build:
  - prefect.deployments.steps.run_shell_script:
      id: get-commit
      requires: prefect-docker>=0.3.1
      script: git rev-parse --short HEAD
      stream_output: false
push: null
pull:
  - prefect.deployments.steps.set_working_directory:
      directory: /opt/prefect/shop
deployments:
  - name: nightly
    version: "1.2"
    version_type: vcs:git
    tags: [etl, "{{ get-commit.stdout }}"]
    description: null
    entrypoint: flows/etl.py:nightly
    flow_name: null
    parameters: {day: today}
    work_pool:
      name: local
      work_queue_name: null
      job_variables: {image: "{{ build_image.image }}"}
    schedules:
      - cron: "0 4 * * MON-FRI"
        timezone: Europe/Paris
        day_or: false
      - interval: PT10M
        anchor_date: "2025-01-01T00:00:00Z"
        active: false
      - rrule: "FREQ=WEEKLY;BYDAY=MO,WE"
        slug: weekly
    concurrency_limit: {limit: 2, collision_strategy: CANCEL_NEW, grace_period_seconds: 120}
    paused: false
    enforce_parameter_schema: true
    triggers: []
    sla: null
  - name: module-style
    entrypoint: shop.flows:nightly
    concurrency_limit: 3
  - name: dotted
    entrypoint: shop.flows.nightly
)");
  REQUIRE(project.build.size() == 1);
  const auto& step = project.build.front();
  CHECK(step.id == "get-commit");
  CHECK(step.requires_ == "prefect-docker>=0.3.1");
  CHECK(step.args == json{{"script", "git rev-parse --short HEAD"}, {"stream_output", false}});
  CHECK(project.deployments.size() == 3);
  CHECK(project.deployments[0].name() == "nightly");
  CHECK(project.deployments[0].entrypoint() == "flows/etl.py:nightly");
  CHECK(project.deployments[0].body["schedules"].size() == 3);
}

TEST_CASE("config::build_project reports an unknown top-level key with a suggestion")
{
  CHECK(problems_of("name: x\ndeploymnts: []\n") ==
        Lines{"syntask.yaml:2:1: deploymnts: unknown key 'deploymnts'; did you mean 'deployments'?"});
  CHECK(problems_of("colour: blue\n") == Lines{"syntask.yaml:1:1: colour: unknown key 'colour'"});
}

TEST_CASE("config::build_project reports an unknown deployment key")
{
  CHECK(problems_of("deployments:\n  - name: a\n    work_pol: {name: x}\n    work_pool:\n      nme: y\n") ==
        Lines{"syntask.yaml:3:5: deployments[0].work_pol: unknown key 'work_pol'; did you mean 'work_pool'?",
              "syntask.yaml:5:7: deployments[0].work_pool.nme: unknown key 'nme'; did you mean 'name'?"});
}

TEST_CASE("config::build_project allows x- keys and definitions")
{
  const auto project = project_of(R"(
x-owner: data-team
definitions:
  anything: [goes, {here: 1}]
  tags: &common_tags [a, b]
  pool: &pool
    name: local
    x-note: shared
  shell: &shell
    syntask.deployments.steps.run_shell_script:
      script: echo hi
deployments:
  - name: a
    x-ticket: 42
    tags: *common_tags
    work_pool:
      <<: *pool
      work_queue_name: fast
    build:
      - *shell
)");
  const auto& deployment = project.deployments.at(0);
  CHECK(deployment.body["x-ticket"] == 42);
  CHECK(deployment.body["tags"] == json{"a", "b"});
  CHECK(deployment.body["work_pool"] ==
        json{{"name", "local"}, {"x-note", "shared"}, {"work_queue_name", "fast"}});
  REQUIRE(deployment.build);
  REQUIRE(deployment.build->size() == 1);
  // A step that comes in through an alias is placed at the alias; its arguments where they are written.
  CHECK(deployment.build->front().where.str() == "syntask.yaml:20:9");
  CHECK(
      project.document.sources.at("/deployments/0/build/0/syntask.deployments.steps.run_shell_script/script")
          .str() == "syntask.yaml:11:15");
}

TEST_CASE("config::build_project reports wrong types")
{
  CHECK(problems_of(R"(name: [x]
prefect-version: 3.0
deployments:
  - name: 12
    version: 1.0
    tags: a
    description: 5
    parameters: [1]
    work_pool: local
    paused: "yes"
    enforce_parameter_schema: 1
    concurrency_limit: -1
    triggers: {}
)") == Lines{
           "syntask.yaml:1:7: name: must be a string, not a list",
           "syntask.yaml:2:18: prefect-version: must be a string; quote it",
           "syntask.yaml:4:11: deployments[0].name: must be a string; quote it",
           "syntask.yaml:5:14: deployments[0].version: must be a string; quote it",
           "syntask.yaml:6:11: deployments[0].tags: must be a list of strings, not a string",
           "syntask.yaml:7:18: deployments[0].description: must be a string; quote it",
           "syntask.yaml:8:17: deployments[0].parameters: must be a mapping, not a list",
           "syntask.yaml:9:16: deployments[0].work_pool: must be a mapping, not a string",
           "syntask.yaml:10:13: deployments[0].paused: must be true or false, not a string",
           "syntask.yaml:11:31: deployments[0].enforce_parameter_schema: must be true or false, not a number",
           "syntask.yaml:12:24: deployments[0].concurrency_limit: must be a non-negative integer, not '-1'",
           "syntask.yaml:13:15: deployments[0].triggers: must be a list, not a mapping",
       });
  CHECK(problems_of("deployments:\n  name: a\n") ==
        Lines{"syntask.yaml:2:3: deployments: must be a list of deployments, not a mapping"});
  CHECK(problems_of("deployments:\n  - tags: [a, 1]\n") ==
        Lines{"syntask.yaml:2:15: deployments[0].tags[1]: must be a string; quote it"});
}

TEST_CASE("config::build_project lets whole placeholders pass type checks")
{
  const auto project = project_of(R"(
deployments:
  - name: "<< $NAME >>-nightly"
    version: "<< build.version >>"
    tags: "{{ get-tags.stdout }}"
    parameters: "<< prefect.variables.params >>"
    paused: "<< $PAUSED >>"
    concurrency_limit: "{{ $LIMIT }}"
    entrypoint: "<< $FLOW_FILE >>:main"
    schedules:
      - cron: "0 << $HOUR >> * * *"
        timezone: "<< $TZ >>"
        active: "{{ get-flag.stdout }}"
      - "<< prefect.variables.schedule >>"
)");
  CHECK(project.deployments.at(0).body["tags"] == "{{ get-tags.stdout }}");
  // Text around a placeholder still fails the checks of the type it cannot change.
  CHECK(problems_of("deployments:\n  - paused: \"<< $PAUSED >> x\"\n") ==
        Lines{"syntask.yaml:2:13: deployments[0].paused: must be true or false, not a string"});
}

TEST_CASE("config::build_project reports an unknown step with a suggestion")
{
  CHECK(
      problems_of("pull:\n  - syntask.deployments.steps.set_working_dir:\n      directory: .\n") ==
      Lines{
          "syntask.yaml:2:5: pull[0]: unknown step 'syntask.deployments.steps.set_working_dir'; did you mean "
          "'syntask.deployments.steps.set_working_directory'?"});
  CHECK(problems_of("build:\n  - my_pkg.steps.build_it: {}\n") ==
        Lines{"syntask.yaml:2:5: build[0]: unknown step 'my_pkg.steps.build_it'"});
}

TEST_CASE("config::build_project reports steps that are not one mapping key")
{
  CHECK(problems_of(std::string("build:\n  - ") + k_shell + ":\n      script: a\n    id: x\n") ==
        Lines{std::string(
                  "syntask.yaml:2:5: build[0]: a step must name exactly one step, found 2 keys: 'id', '") +
              k_shell + "'; 'id' and 'requires' belong inside the step's arguments"});
  CHECK(problems_of("push:\n  - a.b: {}\n    c.d: {}\n") ==
        Lines{"syntask.yaml:2:5: push[0]: a step must name exactly one step, found 2 keys: 'a.b', 'c.d'"});
  CHECK(problems_of("pull:\n  - {}\n  - just text\n") ==
        Lines{"syntask.yaml:2:5: pull[0]: a step must name one step, found an empty mapping",
              "syntask.yaml:3:5: pull[1]: a step must be a mapping of a step name to its arguments, not a "
              "string"});
  CHECK(problems_of(std::string("build:\n  - ") + k_shell + ": echo hi\n") ==
        Lines{std::string("syntask.yaml:2:49: build[0].") + k_shell +
              ": the arguments of a step must be a mapping, not a string"});
  CHECK(problems_of("build: echo\n") ==
        Lines{"syntask.yaml:1:8: build: must be a list of steps, not a string"});
}

TEST_CASE("config::build_project checks step arguments, ids and requires")
{
  CHECK(problems_of(std::string("build:\n  - ") + k_shell +
                    ":\n      id: bad id!\n      scrpt: x\n      requires: [numpy]\n") ==
        Lines{
            "syntask.yaml:2:5: build[0]: missing required argument 'script' for step "
            "'syntask.deployments.steps.run_shell_script'",
            "syntask.yaml:3:11: build[0].syntask.deployments.steps.run_shell_script.id: invalid step id 'bad "
            "id!': "
            "use letters, digits, '_' and '-'",
            "syntask.yaml:4:7: build[0].syntask.deployments.steps.run_shell_script.scrpt: unknown argument "
            "'scrpt' "
            "for step 'syntask.deployments.steps.run_shell_script'; did you mean 'script'?",
            "syntask.yaml:5:17: build[0].syntask.deployments.steps.run_shell_script.requires: unknown step "
            "package "
            "'numpy': every step is built in; known packages are syntask, syntask-aws, syntask-gcp, "
            "syntask-azure, "
            "syntask-docker (or their prefect-* names)",
        });
}

TEST_CASE("config::build_project runs the argument checks of the step's row on written values")
{
  CHECK(problems_of("build:\n  - prefect_docker.deployments.steps.build_docker_image:\n"
                    "      image_name: my image\n"
                    "push:\n  - syntask_docker.deployments.steps.push_docker_image:\n"
                    "      image_name: \"{{ build.image_name }} x\"\n"
                    "  - syntask.deployments.steps.run_shell_script:\n"
                    "      script: my image\n") ==
        Lines{"syntask.yaml:3:19: build[0].prefect_docker.deployments.steps.build_docker_image.image_name: "
              "invalid image name 'my image': must not contain whitespace"});
}

TEST_CASE("config::build_project keeps step ids unique per namespace")
{
  const auto step = [](const std::string& id) {
    return std::string("  - ") + k_shell + ": {id: " + id + ", script: x}\n";
  };
  // build and push share ids; pull has its own.
  CHECK(problems_of("build:\n" + step("a") + "push:\n" + step("a") + "pull:\n" + step("a")) ==
        Lines{std::string("syntask.yaml:4:54: push[0].") + k_shell +
              ".id: duplicate step id 'a'; already used by build[0]"});
  // A deployment's push runs with the top-level build; a duplicate in the top level is reported once.
  CHECK(problems_of("build:\n" + step("a") + step("a") + "deployments:\n  - name: d\n    push:\n  " +
                    step("a") + "    pull:\n  " + step("p") + "  " + step("p")) ==
        Lines{
            std::string("syntask.yaml:3:54: build[1].") + k_shell +
                ".id: duplicate step id 'a'; already used by build[0]",
            std::string("syntask.yaml:7:56: deployments[0].push[0].") + k_shell +
                ".id: duplicate step id 'a'; already used by build[0]",
            std::string("syntask.yaml:10:56: deployments[0].pull[1].") + k_shell +
                ".id: duplicate step id 'p'; already used by deployments[0].pull[0]",
        });
}

TEST_CASE("config::build_project reports every problem at once, in document order")
{
  const auto text = std::string(R"(name: demo
colour: blue
build:
  - syntask.deployments.steps.run_shel_script:
      script: x
deployments:
  - name: a
    version: 2
    shedules: []
  - name: a
    entrypoint: flows
)");
  try {
    project_of(text);
    FAIL("no error");
  } catch (const ConfigErrors& errors) {
    CHECK(
        std::string(errors.what()) ==
        "syntask.yaml:2:1: colour: unknown key 'colour'\n"
        "syntask.yaml:4:5: build[0]: unknown step 'syntask.deployments.steps.run_shel_script'; did you mean "
        "'syntask.deployments.steps.run_shell_script'?\n"
        "syntask.yaml:8:14: deployments[0].version: must be a string; quote it\n"
        "syntask.yaml:9:5: deployments[0].shedules: unknown key 'shedules'; did you mean 'schedules'?\n"
        "syntask.yaml:10:11: deployments[1].name: duplicate deployment name 'a'; already used by "
        "deployments[0]\n"
        "syntask.yaml:11:17: deployments[1].entrypoint: invalid entrypoint 'flows': expected "
        "'path/to/file.py:function' or 'package.module:function'");
    CHECK(errors.exit_code() == ExitCode::usage);
  }
}

TEST_CASE("config::build_project rejects an empty file and a non-mapping top level")
{
  CHECK(problems_of("") == Lines{"syntask.yaml: the file is empty; expected a mapping with 'deployments'"});
  CHECK(problems_of("# nothing\n") ==
        Lines{"syntask.yaml: the file is empty; expected a mapping with 'deployments'"});
  CHECK(problems_of("- a\n- b\n") == Lines{"syntask.yaml:1:1: the top level must be a mapping, not a list"});
  CHECK(problems_of("hello\n") == Lines{"syntask.yaml:1:1: the top level must be a mapping, not a string"});
}

TEST_CASE("config::build_project passes YAML errors through")
{
  CHECK(problems_of("name: a\nname: b\n") == Lines{"syntask.yaml:2:1: name: duplicate key 'name'"});
  CHECK(problems_of("name: [a\n") == Lines{"syntask.yaml:2:1: end of sequence flow not found\n\n^"});
}

TEST_CASE("config::build_project reads step lists in every accepted shape")
{
  const auto project =
      project_of(std::string("build:\n  ") + k_shell + ":\n    script: one\npush: {}\npull: []\n");
  REQUIRE(project.build.size() == 1);
  CHECK(project.build.front().pointer == "/build");
  CHECK(project.build.front().args == json{{"script", "one"}});
  CHECK(project.push.empty());
  REQUIRE(project.pull);
  CHECK(project.pull->empty());

  CHECK_FALSE(project_of("pull: null\n").pull);
  CHECK_FALSE(project_of("name: x\n").pull);
  REQUIRE(project_of("pull: {}\n").pull);
}

TEST_CASE("config::ProjectFile gives each deployment its lists")
{
  const auto project = project_of(std::string(R"(
build:
  - )") + k_shell + R"(: {script: top-build}
push:
  - )" + k_shell + R"(: {script: top-push}
pull:
  - )" + k_shell + R"(: {script: top-pull}
deployments:
  - name: inherits
  - name: replaces
    build:
      - )" + k_shell + R"(: {script: own-build}
    push: null
    pull:
      - )" + k_shell + R"(: {script: own-pull}
  - name: empties
    build: []
    push: {}
    pull: []
  - name: null-pull
    pull: null
)");
  const auto script = [](const StepList& list) {
    std::vector<std::string> scripts;
    for (const auto& step : list) {
      scripts.push_back(step.args["script"].get<std::string>());
    }
    return scripts;
  };
  using Scripts = std::vector<std::string>;
  const auto& d = project.deployments;
  REQUIRE(d.size() == 4);
  CHECK(script(project.build_for(d[0])) == Scripts{"top-build"});
  CHECK(script(project.push_for(d[0])) == Scripts{"top-push"});
  CHECK(script(*project.pull_for(d[0])) == Scripts{"top-pull"});

  CHECK(script(project.build_for(d[1])) == Scripts{"own-build"});
  CHECK(project.push_for(d[1]).empty());
  CHECK(script(*project.pull_for(d[1])) == Scripts{"own-pull"});

  CHECK(project.build_for(d[2]).empty());
  CHECK(project.push_for(d[2]).empty());
  REQUIRE(project.pull_for(d[2]));
  CHECK(project.pull_for(d[2])->empty());

  // `pull: null` in a deployment falls back to the top-level pull.
  CHECK(d[3].pull);
  CHECK(d[3].pull_null);
  CHECK(script(*project.pull_for(d[3])) == Scripts{"top-pull"});

  // Without a top-level pull, a null deployment pull means the default pull.
  const auto bare = project_of("deployments:\n  - name: a\n    pull: null\n  - name: b\n");
  CHECK_FALSE(bare.pull_for(bare.deployments[0]));
  CHECK_FALSE(bare.pull_for(bare.deployments[1]));
}

TEST_CASE("config::DeploymentSpec body keeps every field but the step lists")
{
  const auto project = project_of(std::string(R"(
deployments:
  - name: a
    schedule:
      cron: "0 4 * * *"
    pull:
      - )") + k_shell + R"(: {script: x}
    x-extra: 1
  - name: b
    schedule: {}
  - name: c
    schedule: null
    schedules: []
)");
  const auto& d = project.deployments;
  CHECK(d[0].body ==
        json{{"name", "a"}, {"schedules", json::array({{{"cron", "0 4 * * *"}}})}, {"x-extra", 1}});
  CHECK(d[0].pointer == "/deployments/0");
  CHECK(d[0].where.str() == "syntask.yaml:3:5");
  CHECK(d[1].body == json{{"name", "b"}});
  CHECK(d[2].body == json{{"name", "c"}, {"schedules", json::array()}});
  CHECK(d[1].index == 1);
}

TEST_CASE("config::StepSpec round-trips through JSON")
{
  const auto project =
      project_of(std::string("pull:\n  - prefect.deployments.steps.run_shell_script:\n"
                             "      id: run\n      requires: [prefect>=3]\n      script: ls\n"
                             "  - syntask.deployments.steps.pip_install_requirements:\n"));
  const auto& steps = *project.pull;
  CHECK(steps[0].to_json() == json{{"prefect.deployments.steps.run_shell_script",
                                    {{"id", "run"}, {"requires", {"prefect>=3"}}, {"script", "ls"}}}});
  CHECK(steps[1].args == json::object());
  for (const auto& step : steps) {
    const auto back = StepSpec::from_json(step.to_json(), step.pointer, step.where);
    CHECK(back.name == step.name);
    CHECK(back.written_name == step.written_name);
    CHECK(back.id == step.id);
    CHECK(back.requires_ == step.requires_);
    CHECK(back.args == step.args);
    CHECK(back.pointer == step.pointer);
    CHECK(back.where.str() == step.where.str());
  }
  try {
    StepSpec::from_json(json{{"a", 1}, {"b", 2}}, "/pull/3", SourceRef{"deployment", 0, 0});
    FAIL("no error");
  } catch (const ConfigError& error) {
    CHECK(std::string(error.what()) ==
          "deployment: pull[3]: a step must name exactly one step, found 2 keys: 'a', 'b'");
  }
}

TEST_CASE("config::load_project and default_project_file")
{
  const auto dir = std::filesystem::temp_directory_path() / ("syntask-project-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  CHECK(default_project_file(dir) == dir / "syntask.yaml");
  {
    std::ofstream(dir / "prefect.yaml") << k_prefect_init_file;
  }
  CHECK(default_project_file(dir) == dir / "prefect.yaml");
  const auto project = load_project(dir / "prefect.yaml");
  CHECK(project.path == dir / "prefect.yaml");
  CHECK(project.directory == dir);
  CHECK(project.document.sources.file() == (dir / "prefect.yaml").string());
  {
    std::ofstream(dir / "syntask.yaml") << "deployments:\n  - name: a\n    version: 1.0\n";
  }
  CHECK(default_project_file(dir) == dir / "syntask.yaml");
  try {
    load_project(dir / "syntask.yaml");
    FAIL("no error");
  } catch (const ConfigErrors& errors) {
    CHECK(errors.lines() == Lines{(dir / "syntask.yaml").string() +
                                  ":3:14: deployments[0].version: must be a string; quote it"});
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("config::build_project checks concurrency limits and version types")
{
  CHECK(problems_of(R"(deployments:
  - concurrency_limit: {collision_strategy: WAIT, grace_period_seconds: 5, burst: 1}
    version_type: vcs:gitub
  - concurrency_limit: 1.5
)") == Lines{
           "syntask.yaml:2:24: deployments[0].concurrency_limit: missing 'limit'",
           "syntask.yaml:2:45: deployments[0].concurrency_limit.collision_strategy: must be 'ENQUEUE' or "
           "'CANCEL_NEW', not 'WAIT'",
           "syntask.yaml:2:73: deployments[0].concurrency_limit.grace_period_seconds: must be a whole number "
           "of "
           "seconds from 60 to 86400",
           "syntask.yaml:2:76: deployments[0].concurrency_limit.burst: unknown key 'burst'",
           "syntask.yaml:3:19: deployments[0].version_type: unknown version type 'vcs:gitub'; did you mean "
           "'vcs:github'?",
           "syntask.yaml:4:24: deployments[1].concurrency_limit: must be a non-negative integer, not '1.5'",
       });
}
