// SPDX-License-Identifier: Apache-2.0
#include "deploy/questions.hpp"

#include <syntask/config/project.hpp>
#include <syntask/flows/discovery.hpp>
#include <syntask/prompt/prompter.hpp>
#include <syntask/store/store.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/ignore.hpp>

namespace syntask::deploy {

namespace {

constexpr const char* k_pool_types[] = {"process", "docker", "kubernetes"};

} // namespace

std::string ask_entrypoint(const std::filesystem::path& project_dir, prompt::Prompter& prompter,
                           ui::Output& output)
{
  const std::string flag = "an ENTRYPOINT argument (path/to/file.py:function)";
  if (!prompter.interactive()) {
    throw UsageError("missing the flow entrypoint: pass " + flag + " or set entrypoint in the project file");
  }
  const auto flows = flows::discover_flows(project_dir, util::project_ignore_rules(project_dir).rules);
  if (!flows.empty()) {
    std::vector<std::string> options;
    for (const auto& flow : flows) {
      options.push_back(flow.flow_name + "  " + flow.entrypoint());
    }
    options.emplace_back("Enter a flow entrypoint manually");
    const auto choice = prompter.choose("Select a flow to deploy", options, 0, flag);
    if (choice < flows.size()) {
      return flows[choice].entrypoint();
    }
  }
  while (true) {
    auto entrypoint =
        prompter.text("Flow entrypoint (expected format path/to/file.py:function_name)", std::nullopt, flag);
    try {
      flows::flow_name_for_entrypoint(project_dir, entrypoint);
      return entrypoint;
    } catch (const Error& error) {
      output.warn(error.what());
    }
  }
}

std::string ask_deployment_name(prompt::Prompter& prompter)
{
  if (!prompter.interactive()) {
    throw UsageError("missing the deployment name: pass --name NAME or set name in the project file");
  }
  return prompter.text("Deployment name", std::string("default"), "--name");
}

std::string ask_work_pool(store::Store& store, prompt::Prompter& prompter)
{
  if (!prompter.interactive()) {
    return "default";
  }
  const auto pools = store.list_work_pools();
  std::vector<std::string> options;
  bool has_default = false;
  for (const auto& pool : pools) {
    options.push_back(pool.name + " (" + pool.type + ")");
    has_default = has_default || pool.name == "default";
  }
  if (!has_default) {
    options.emplace_back("default (process, created now)");
  }
  options.emplace_back("Create a new work pool");
  const auto choice =
      prompter.choose("Which work pool would you like to deploy this flow to?", options, 0, "--pool");
  if (choice < pools.size()) {
    return pools[choice].name;
  }
  if (!has_default && choice == pools.size()) {
    return "default";
  }
  const auto name = prompter.text("Work pool name", std::nullopt, "--pool");
  const std::vector<std::string> types(std::begin(k_pool_types), std::end(k_pool_types));
  const auto type = prompter.choose("What infrastructure type would you like to use for your new work pool?",
                                    types, 0, "--pool");
  if (!store.get_work_pool(name)) {
    store.create_work_pool(name, types[type]);
  }
  return name;
}

nlohmann::json ask_schedules(prompt::Prompter& prompter, ui::Output& output)
{
  auto schedules = nlohmann::json::array();
  if (!prompter.interactive() ||
      !prompter.confirm("Would you like to configure a schedule for this deployment?", false,
                        "--cron or --interval")) {
    return schedules;
  }
  const std::vector<std::string> kinds{"Interval", "Cron"};
  const auto kind =
      prompter.choose("What type of schedule would you like to use?", kinds, 0, "--cron or --interval");
  if (kind == 0) {
    while (true) {
      const auto text = prompter.text("Seconds between scheduled runs", std::string("3600"), "--interval");
      if (const auto seconds = config::parse_interval(nlohmann::json(text))) {
        schedules.push_back({{"interval", *seconds}});
        break;
      }
      output.warn("please enter a positive number of seconds");
    }
  } else {
    while (true) {
      const auto cron = prompter.text("Cron string", std::string("0 0 * * *"), "--cron");
      const auto problem = config::check_cron(cron);
      if (problem.empty()) {
        schedules.push_back({{"cron", cron}});
        break;
      }
      output.warn(problem);
    }
    while (true) {
      const auto timezone = prompter.text("Timezone", std::string("UTC"), "--timezone");
      if (config::check_timezone(timezone).empty()) {
        schedules.back()["timezone"] = timezone;
        break;
      }
      output.warn("unknown time zone '" + timezone + "'");
    }
  }
  schedules.back()["active"] = prompter.confirm("Would you like to activate this schedule?", true, "--cron");
  return schedules;
}

} // namespace syntask::deploy
