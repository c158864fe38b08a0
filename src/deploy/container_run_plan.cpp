// SPDX-License-Identifier: Apache-2.0
#include "deploy/container_run_plan.hpp"

#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <array>
#include <ostream>

namespace syntask::deploy {

namespace {

struct PlaceRow {
  std::string_view step; // canonical name
  ContainerPlace place;
};

// THE list of pull steps a docker work pool's deployment may have, and where each runs.
constexpr std::array k_places{
    PlaceRow{"syntask.deployments.steps.set_working_directory", ContainerPlace::directory},
    PlaceRow{"syntask.deployments.steps.git_clone", ContainerPlace::host},
    PlaceRow{"syntask_aws.deployments.steps.pull_from_s3", ContainerPlace::host},
    PlaceRow{"syntask_gcp.deployments.steps.pull_from_gcs", ContainerPlace::host},
    PlaceRow{"syntask_azure.deployments.steps.pull_from_azure_blob_storage", ContainerPlace::host},
    PlaceRow{"syntask.deployments.steps.run_shell_script", ContainerPlace::container},
    PlaceRow{"syntask.deployments.steps.pip_install_requirements", ContainerPlace::container},
};

std::string short_name(std::string_view name)
{
  return std::string(name.substr(name.rfind('.') + 1));
}

std::string allowed_steps()
{
  std::vector<std::string> names;
  for (const auto& row : k_places) {
    names.push_back(short_name(row.step));
  }
  return util::join(names, ", ");
}

// Container paths are POSIX paths whatever this machine is; no trailing '/' except for the root.
std::string container_join(const std::string& current, const std::string& path)
{
  auto joined = (std::filesystem::path(current) / path).lexically_normal().generic_string();
  while (joined.size() > 1 && joined.back() == '/') {
    joined.pop_back();
  }
  return joined;
}

std::string step_label(const config::StepSpec& step, std::size_t index)
{
  return "pull[" + std::to_string(index) + "]" + (step.id.empty() ? "" : " " + util::quoted(step.id)) + " (" +
         step.written_name + "): ";
}

// Everything the Python runner reads, with the defaults of the steps that run on this machine.
nlohmann::json container_args(const std::string& step, const steps::StepCall& call)
{
  nlohmann::json args{{"directory", steps::optional_string(call, "directory").value_or(".")},
                      {"stream_output", steps::optional_bool(call, "stream_output", true)}};
  if (step == "pip_install_requirements") {
    args["requirements_file"] =
        steps::optional_string(call, "requirements_file").value_or("requirements.txt");
    return args;
  }
  args["script"] = steps::required_string(call, "script");
  args["expand_env_vars"] = steps::optional_bool(call, "expand_env_vars", false);
  args["shell"] = steps::optional_bool(call, "shell", false);
  args["env"] = nlohmann::json::object();
  const auto env = call.args.find("env");
  if (env != call.args.end() && !env->is_null()) {
    if (!env->is_object()) {
      throw StepError("argument 'env' of step 'run_shell_script' must be a mapping");
    }
    for (const auto& [key, value] : env->items()) {
      args["env"][key] = value.is_string() ? value.get<std::string>() : value.dump();
    }
  }
  return args;
}

// Makes the staging folder standing for `container_directory`. The folders it makes stand for image folders
// (staged) until the path enters a folder a host step fetched: nothing below that is in the image.
std::filesystem::path stage(const std::filesystem::path& staging, const std::string& container_directory,
                            std::vector<std::string>& staged)
{
  bool in_image = true;
  std::string relative;
  for (const auto& part : std::filesystem::path(container_directory).relative_path()) {
    relative += (relative.empty() ? "" : "/") + part.generic_string();
    const bool made_here = std::find(staged.begin(), staged.end(), relative) != staged.end();
    if (std::filesystem::exists(staging / relative)) {
      in_image = in_image && made_here;
    } else if (in_image) {
      staged.push_back(relative);
    }
  }
  const auto folder = staging / std::filesystem::path(container_directory).relative_path();
  std::filesystem::create_directories(folder);
  return folder.lexically_normal();
}

// The container folder a host folder below the staging folder stands for.
std::string container_path(const std::filesystem::path& staging, const std::filesystem::path& host)
{
  const auto relative = host.lexically_normal().lexically_relative(staging.lexically_normal());
  const auto text = relative.generic_string();
  if (relative.empty() || text == ".." || util::starts_with(text, "../")) {
    throw StepError("it fetched into " + util::quoted(host.string()) +
                    ", outside the folder standing for the container");
  }
  return container_join("/", text);
}

} // namespace

std::optional<ContainerPlace> container_place(std::string_view step_name)
{
  const auto* info = steps::find_step(step_name);
  if (info == nullptr) {
    return std::nullopt;
  }
  const auto row = std::find_if(k_places.begin(), k_places.end(),
                                [info](const PlaceRow& candidate) { return candidate.step == info->name; });
  return row == k_places.end() ? std::nullopt : std::optional(row->place);
}

config::StepList stored_pull_steps(const nlohmann::json& record)
{
  config::StepList steps;
  const auto& stored = record.value("pull_steps", nlohmann::json::array());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    steps.push_back(config::StepSpec::from_json(stored[i], "/pull_steps/" + std::to_string(i), SourceRef{}));
  }
  return steps;
}

ContainerPullPlan plan_container_pull(const config::StepList& steps, const ContainerPullOptions& options,
                                      steps::StepContext& context, steps::StepScope& scope)
{
  ContainerPullPlan plan;
  plan.working_directory = container_join("/", options.start_directory);
  for (std::size_t index = 0; index < steps.size(); ++index) {
    const auto& step = steps[index];
    const auto label = step_label(step, index);
    const auto* info = steps::find_step(step.name);
    if (info == nullptr) {
      throw StepError(label + "unknown step" + util::did_you_mean(step.name, steps::step_names()));
    }
    const auto place = container_place(info->name);
    if (!place) {
      throw StepError(label + "cannot run in a docker work pool; its pull steps may be " + allowed_steps());
    }
    const auto name = short_name(info->name);
    if (*place != ContainerPlace::container && context.diagnostics != nullptr) {
      *context.diagnostics << " > Running " << name << " step..." << std::endl;
    }
    steps::StepCall call{std::string(info->name),
                         step.id,
                         index,
                         "pull",
                         nlohmann::json::object(),
                         step.where,
                         step.args.is_null() ? nlohmann::json::object() : step.args};
    try {
      tmpl::ResolveOptions resolve;
      resolve.pointer = config::pointer_child(step.pointer, step.written_name);
      resolve.redactor = context.redactor;
      call.args = tmpl::resolve(call.raw_args, scope, resolve);
      nlohmann::json output = nlohmann::json::object();
      if (*place == ContainerPlace::directory) {
        plan.working_directory =
            container_join(plan.working_directory, steps::required_string(call, "directory"));
        output["directory"] = plan.working_directory;
      } else if (*place == ContainerPlace::container) {
        plan.container_steps.push_back({label, name, container_args(name, call), plan.working_directory});
      } else {
        context.working_directory = stage(options.staging, plan.working_directory, plan.staged_directories);
        output =
            options.run_host_step ? options.run_host_step(*info, call, context) : info->run(call, context);
        if (output.is_object() && output.contains("directory") && output["directory"].is_string()) {
          plan.working_directory = container_path(
              options.staging, steps::resolve_path(context, output["directory"].get<std::string>()));
          output["directory"] = plan.working_directory;
        }
      }
      scope.add_output(step.id, output);
    } catch (const Interrupted&) {
      throw;
    } catch (const Error& error) {
      throw StepError(label + error.what());
    } catch (const std::exception& error) {
      throw StepError(label + error.what());
    }
  }
  return plan;
}

} // namespace syntask::deploy
