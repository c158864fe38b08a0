// SPDX-License-Identifier: Apache-2.0
#include "deploy/container_run_plan.hpp"

#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <ostream>

namespace syntask::deploy {

namespace {

std::string short_name(std::string_view name)
{
  return std::string(name.substr(name.rfind('.') + 1));
}

// The steps whose rows give them a place in a container run.
std::string allowed_steps()
{
  std::vector<std::string> names;
  for (const auto& step : steps::builtin_steps()) {
    if (step.container_place != steps::ContainerPlace::none) {
      names.push_back(short_name(step.name));
    }
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
  // The container folder the next step runs in; only set_working_directory moves it.
  auto steps_folder = container_join("/", options.start_directory);
  steps::FlowDirectory flow;
  for (std::size_t index = 0; index < steps.size(); ++index) {
    const auto& step = steps[index];
    const auto label = step_label(step, index);
    const auto* info = steps::find_step(step.name);
    if (info == nullptr) {
      throw StepError(label + "unknown step" + util::did_you_mean(step.name, steps::step_names()));
    }
    const auto place = info->container_place;
    if (place == steps::ContainerPlace::none ||
        (place == steps::ContainerPlace::container && info->container_args == nullptr)) {
      throw StepError(label + "cannot run in a docker work pool; its pull steps may be " + allowed_steps());
    }
    const auto name = short_name(info->name);
    if (place != steps::ContainerPlace::container) {
      context.diagnostics() << " > Running " << name << " step..." << std::endl;
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
      resolve.redactor = &context.redactor();
      call.args = tmpl::resolve(call.raw_args, scope, resolve);
      nlohmann::json output = nlohmann::json::object();
      if (place == steps::ContainerPlace::directory) {
        steps_folder = container_join(steps_folder, steps::required_string(call, "directory"));
        output["directory"] = steps_folder;
      } else if (place == steps::ContainerPlace::container) {
        plan.container_steps.push_back({label, name, info->container_args(call), steps_folder});
      } else {
        context.working_directory = stage(options.staging, steps_folder, plan.staged_directories);
        output =
            options.run_host_step ? options.run_host_step(*info, call, context) : info->run(call, context);
        if (output.is_object() && output.contains("directory") && output["directory"].is_string()) {
          // A relative directory (git_clone's) means the same in the container; an absolute one names
          // the staging folder, which later steps know as the container's path.
          const auto fetched = container_path(
              options.staging, steps::resolve_path(context, output["directory"].get<std::string>()));
          if (std::filesystem::path(output["directory"].get<std::string>()).is_absolute()) {
            output["directory"] = fetched;
          }
        }
      }
      flow.after_step(output, steps_folder);
      scope.add_output(step.id, output);
    } catch (const Interrupted&) {
      throw;
    } catch (const Error& error) {
      throw StepError(label + error.what());
    } catch (const std::exception& error) {
      throw StepError(label + error.what());
    }
  }
  plan.working_directory = container_join("/", flow.flow_directory(steps_folder).generic_string());
  return plan;
}

} // namespace syntask::deploy
