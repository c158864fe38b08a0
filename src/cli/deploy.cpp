// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/project.hpp>
#include <syntask/deploy/deployer.hpp>
#include <syntask/error.hpp>

#include "cli/context.hpp"

namespace syntask::cli {

namespace {

struct DeployOptions {
  std::string entrypoint;
  std::vector<std::string> names;
  bool all = false;
  std::string pool;
  std::string work_queue;
  std::vector<std::string> params;
  std::string params_json;
  std::vector<std::string> tags;
  std::string version;
  std::string description;
  std::string cron;
  std::string interval;
  std::string rrule;
  std::string timezone;
  std::vector<std::string> job_variables;
  std::string project_file;
  bool dry_run = false;
  bool no_pin = false;
  bool require_pushed = false;
  bool no_verify = false;
};

deploy::DeployRequest to_request(const DeployOptions& options, const CLI::App& command)
{
  deploy::DeployRequest request;
  request.project_file = options.project_file;
  if (!options.entrypoint.empty()) {
    request.entrypoint = options.entrypoint;
  }
  request.names = options.names;
  request.all = options.all;
  if (!options.pool.empty()) {
    request.pool = options.pool;
  }
  if (!options.work_queue.empty()) {
    request.work_queue = options.work_queue;
  }
  if (!options.params_json.empty()) {
    if (!options.params.empty()) {
      throw UsageError("--param and --params cannot be used together");
    }
    request.parameters = nlohmann::json::parse(options.params_json, nullptr, false);
    if (!request.parameters.is_object()) {
      throw UsageError("--params must be a JSON object, e.g. --params '{\"name\": \"x\"}'");
    }
  }
  for (const auto& param : options.params) {
    const auto [key, value] = parse_assignment(param, "--param");
    request.parameters[key] = value;
  }
  if (command.count("--tag") > 0) {
    request.tags = options.tags;
  }
  if (!options.version.empty()) {
    request.version = options.version;
  }
  if (!options.description.empty()) {
    request.description = options.description;
  }
  if (!options.cron.empty()) {
    if (const auto problem = config::check_cron(options.cron); !problem.empty()) {
      throw UsageError("--cron: " + problem);
    }
    request.schedules.push_back({{"cron", options.cron}});
  }
  if (!options.interval.empty()) {
    const auto seconds = config::parse_interval(nlohmann::json(options.interval));
    if (!seconds) {
      throw UsageError("--interval '" + options.interval + "': expected a positive number of seconds");
    }
    request.schedules.push_back({{"interval", *seconds}});
  }
  if (!options.rrule.empty()) {
    if (const auto problem = config::check_rrule(options.rrule); !problem.empty()) {
      throw UsageError("--rrule: " + problem);
    }
    request.schedules.push_back({{"rrule", options.rrule}});
  }
  if (!options.timezone.empty()) {
    if (const auto problem = config::check_timezone(options.timezone); !problem.empty()) {
      throw UsageError("--timezone: " + problem);
    }
    request.timezone = options.timezone;
  }
  for (const auto& variable : options.job_variables) {
    const auto [key, value] = parse_assignment(variable, "--job-variable");
    request.job_variables[key] = value;
  }
  request.dry_run = options.dry_run;
  request.no_pin = options.no_pin;
  request.require_pushed = options.require_pushed;
  request.no_verify = options.no_verify;
  return request;
}

} // namespace

void set_deploy_command(CLI::App& app, Context& context)
{
  auto options = std::make_shared<DeployOptions>();
  auto* command =
      app.add_subcommand("deploy", "Run build and push steps and register deployments of this project");
  command->add_option("entrypoint", options->entrypoint,
                      "Flow entrypoint: path/to/file.py:function or package.module:function");
  add_repeatable_option(
      command, "-n,--name", options->names,
      "Deployment to deploy: NAME, FLOW/NAME or a * pattern (repeatable); a new name creates a deployment");
  command->add_flag("--all", options->all, "Deploy every deployment in the project file");
  command->add_option("-p,--pool", options->pool, "Work pool (default: the 'default' process pool)");
  command->add_option("-q,--work-queue", options->work_queue, "Work queue of the pool");
  add_repeatable_option(command, "--param", options->params,
                        "Flow parameter KEY=VALUE, VALUE as JSON when it parses (repeatable)");
  command->add_option("--params", options->params_json, "Flow parameters as a JSON object");
  add_repeatable_option(command, "-t,--tag", options->tags, "Tag (repeatable; replaces the file's tags)");
  command->add_option("-v,--version", options->version, "Deployment version");
  command->add_option("-d,--description", options->description, "Deployment description");
  auto* cron = command->add_option("--cron", options->cron, "Cron schedule, e.g. '0 6 * * *'");
  auto* interval = command->add_option("--interval", options->interval, "Interval schedule in seconds");
  auto* rrule =
      command->add_option("--rrule", options->rrule, "RRule schedule, e.g. 'FREQ=DAILY;INTERVAL=1'");
  cron->excludes(interval)->excludes(rrule);
  interval->excludes(rrule);
  command->add_option("--timezone", options->timezone, "IANA time zone of the schedules, e.g. Europe/Paris");
  add_repeatable_option(command, "--job-variable", options->job_variables,
                        "Work pool job variable KEY=VALUE, VALUE as JSON when it parses (repeatable)");
  command->add_option("--syntask-file,--prefect-file", options->project_file,
                      "Project file to use (default: ./syntask.yaml, else ./prefect.yaml)");
  command->add_flag(
      "--dry-run", options->dry_run,
      "Validate and resolve everything, print the plan with secrets masked; run and register nothing");
  command->add_flag("--no-pin", options->no_pin,
                    "git_clone pull steps follow their branch instead of the commit of HEAD at deploy time");
  command->add_flag("--require-pushed", options->require_pushed,
                    "Fail when the git working tree has uncommitted or unpushed changes (default: warn)");
  command->add_flag("--no-verify", options->no_verify,
                    "Do not ask the remote of git_clone pull steps whether their branch exists");
  context.add_common_flags(command, true);
  command->callback([options, command, &context] {
    const auto request = to_request(*options, *command);
    deploy::deploy(request, context.store(), context.prompter(), context.output());
  });
}

} // namespace syntask::cli
