// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/project.hpp>
#include <syntask/deploy/runner.hpp>
#include <syntask/flows/discovery.hpp>
#include <syntask/steps/runner.hpp>
#include <syntask/store/store.hpp>
#include <syntask/template/resolver.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "deploy/container_run_plan.hpp"
#include "deploy/python_runner.hpp"

namespace syntask::deploy {

PullResult pull_deployment(const nlohmann::json& record, const std::filesystem::path& directory,
                           store::Store& store, ui::Output& output)
{
  const auto steps = stored_pull_steps(record);
  steps::StepContext context(output, util::Redactor::global());
  context.working_directory = std::filesystem::absolute(directory).lexically_normal();
  context.store = &store;
  steps::StepScope scope(nlohmann::json::object(), &store);
  PullResult result;
  result.working_directory = steps::run_steps(steps, "pull", context, scope, nullptr).flow_directory;
  result.entrypoint = record.value("entrypoint", std::string());
  if (const auto file = flows::entrypoint_file(result.entrypoint)) {
    result.entrypoint_path = (result.working_directory / *file).lexically_normal();
    if (!std::filesystem::exists(result.entrypoint_path)) {
      throw StepError("after the pull steps there is no flow file " +
                      util::quoted(result.entrypoint_path.string()) + " for entrypoint " +
                      util::quoted(result.entrypoint));
    }
  }
  return result;
}

nlohmann::json resolve_run_parameters(const nlohmann::json& record, const nlohmann::json& overrides,
                                      store::Store& store)
{
  auto parameters = record.value("parameters", nlohmann::json::object());
  parameters.update(overrides);
  steps::StepScope scope(nlohmann::json::object(), &store);
  tmpl::ResolveOptions options;
  options.pointer = "/parameters";
  options.redactor = &util::Redactor::global();
  return tmpl::resolve(parameters, scope, options);
}

int run_flow(const PullResult& pulled, const nlohmann::json& parameters, ui::Output& output)
{
  if (pulled.entrypoint.empty()) {
    throw UsageError("the deployment has no entrypoint");
  }
  util::ProcessOptions options;
  options.environment = util::current_environment();
  options.environment["SYNTASK_ENTRYPOINT"] = pulled.entrypoint;
  options.environment["SYNTASK_PARAMETERS"] = parameters.dump();
  options.working_directory = pulled.working_directory;
  // The flow's output passes through the redactor: a secret parameter printed by the flow stays masked.
  options.capture = false;
  options.inherit_stdin = true;
  options.stream_stdout = &output.program_output();
  options.stream_stderr = &output.diagnostics();
  options.redactor = &util::Redactor::global();
  const auto python = util::get_env("SYNTASK_PYTHON").value_or("python3");
  return util::run_process({python, "-c", python_runner()}, options).exit_code;
}

} // namespace syntask::deploy
