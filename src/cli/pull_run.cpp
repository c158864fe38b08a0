// SPDX-License-Identifier: Apache-2.0
#include <syntask/deploy/deployer.hpp>
#include <syntask/deploy/runner.hpp>
#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

#include "cli/context.hpp"
#include <cstdlib>

namespace syntask::cli {

namespace {

struct PullOptions {
  std::string address;
  std::string directory;
  std::vector<std::string> params;
  bool no_cache = false;
};

// The clone cache is read by the git_clone step from the environment, so --no-cache reaches every pull
// step of the deployment the same way.
void apply_cache_choice(const PullOptions& options)
{
  if (options.no_cache) {
    ::setenv("SYNTASK_GIT_NO_CACHE", "1", 1);
  }
}

std::filesystem::path start_directory(const PullOptions& options)
{
  if (options.directory.empty()) {
    return std::filesystem::current_path();
  }
  const std::filesystem::path directory = options.directory;
  std::error_code error;
  if (std::filesystem::exists(directory, error) && !std::filesystem::is_directory(directory, error)) {
    throw UsageError("--dir " + util::quoted(options.directory) + " is not a folder");
  }
  std::filesystem::create_directories(directory, error);
  if (error) {
    throw UsageError("--dir " + util::quoted(options.directory) +
                     ": cannot create the folder: " + error.message());
  }
  return std::filesystem::absolute(directory);
}

nlohmann::json pull_document(const deploy::PullResult& pulled)
{
  return {{"working_directory", pulled.working_directory.string()},
          {"entrypoint", pulled.entrypoint},
          {"entrypoint_path", pulled.entrypoint_path.empty()
                                  ? nlohmann::json(nullptr)
                                  : nlohmann::json(pulled.entrypoint_path.string())}};
}

} // namespace

void set_pull_and_run_commands(CLI::App& app, Context& context)
{
  auto pull_options = std::make_shared<PullOptions>();
  auto* pull = app.add_subcommand(
      "pull", "Run a deployment's pull steps as a worker would, and show where the flow is");
  pull->add_option("deployment", pull_options->address, "FLOW_NAME/DEPLOYMENT_NAME")->required();
  pull->add_option("--dir", pull_options->directory,
                   "Directory to start in (created if missing; default: current)");
  pull->add_flag("--no-cache", pull_options->no_cache,
                 "Clone without the git clone cache under SYNTASK_HOME");
  context.add_common_flags(pull, false);
  pull->callback([pull_options, &context] {
    apply_cache_choice(*pull_options);
    const auto record = require_deployment(context, pull_options->address).record;
    const auto pulled =
        deploy::pull_deployment(record, start_directory(*pull_options), context.store(), context.output());
    auto& out = context.output();
    out.result("Working directory: " + pulled.working_directory.string());
    out.result("Entrypoint: " + (pulled.entrypoint_path.empty()
                                     ? pulled.entrypoint
                                     : pulled.entrypoint_path.string() +
                                           pulled.entrypoint.substr(pulled.entrypoint.rfind(':'))));
    out.json_result(pull_document(pulled));
  });

  auto run_options = std::make_shared<PullOptions>();
  auto* run = app.add_subcommand(
      "run", "Pull a deployment's code and run its flow here (in a container for docker work pools), "
             "returning the flow's exit status");
  run->footer(
      "Docker work pools: the flow runs in a container of the `image` job variable (pulled by digest\n"
      "when the daemon lacks it, with the login of the push's credentials block, else\n"
      "~/.docker/config.json), with the job variables env, volumes and network_mode.\n"
      "set_working_directory moves the container's folder (from the image's WorkingDir); git_clone\n"
      "and pull_from_* run here and what they fetch is copied into the container; run_shell_script\n"
      "and pip_install_requirements run in the container before the flow. Parameters reach the\n"
      "container in a file, never in its environment. The container is removed afterwards, also on\n"
      "Ctrl-C. --dir does not apply. See docs/docker.md.");
  run->add_option("deployment", run_options->address, "FLOW_NAME/DEPLOYMENT_NAME")->required();
  add_repeatable_option(run, "--param", run_options->params,
                        "Flow parameter KEY=VALUE, VALUE as JSON when it parses (repeatable)");
  run->add_option("--dir", run_options->directory,
                  "Directory to start in (created if missing; default: current; not for docker work pools)");
  run->add_flag("--no-cache", run_options->no_cache, "Clone without the git clone cache under SYNTASK_HOME");
  run->callback([run_options, &context] {
    apply_cache_choice(*run_options);
    const auto record = require_deployment(context, run_options->address).record;
    auto overrides = nlohmann::json::object();
    for (const auto& param : run_options->params) {
      const auto [key, value] = parse_assignment(param, "--param");
      overrides[key] = value;
    }
    // Parameters are resolved before any code is fetched, so a missing secret fails fast.
    const auto parameters = deploy::resolve_run_parameters(record, overrides, context.store());
    if (deploy::runs_in_container(record, context.store())) {
      if (!run_options->directory.empty()) {
        throw UsageError("--dir does not apply to deployments of docker work pools: their code goes into "
                         "the container");
      }
      context.exit_code = deploy::run_in_container(record, parameters, context.store(), context.output());
      return;
    }
    const auto pulled =
        deploy::pull_deployment(record, start_directory(*run_options), context.store(), context.output());
    context.output().info("Running flow " + util::quoted(run_options->address) + " from " +
                          pulled.working_directory.string());
    context.exit_code = deploy::run_flow(pulled, parameters, context.output());
  });
}

} // namespace syntask::cli
