// SPDX-License-Identifier: Apache-2.0
#include <syntask/steps/step.hpp>

#include "cli/context.hpp"

namespace syntask::cli {

namespace {

std::vector<std::string> phase_names(unsigned phases)
{
  std::vector<std::string> names;
  for (const auto& [bit, name] : {std::pair{steps::Phase::build, "build"},
                                  {steps::Phase::push, "push"},
                                  {steps::Phase::pull, "pull"}}) {
    if ((phases & bit) != 0) {
      names.emplace_back(name);
    }
  }
  return names;
}

} // namespace

void set_steps_command(CLI::App& app, Context& context)
{
  auto* group = app.add_subcommand("steps", "Built-in steps for build, push and pull lists");
  group->require_subcommand(1);
  auto* list = group->add_subcommand("ls", "List every step with a one-line summary");
  context.add_common_flags(list, false);
  list->callback([&context] {
    auto documents = nlohmann::json::array();
    for (const auto& step : steps::builtin_steps()) {
      auto args = nlohmann::json::array();
      for (const auto& arg : step.args) {
        args.push_back({{"name", arg.name}, {"required", arg.required}, {"description", arg.description}});
      }
      documents.push_back({{"name", step.name},
                           {"summary", step.summary},
                           {"phases", phase_names(step.phases)},
                           {"arguments", args},
                           {"outputs", step.outputs}});
      context.output().result(std::string(step.name) + "\n    " + std::string(step.summary));
    }
    context.output().json_result({{"steps", documents}});
  });
}

} // namespace syntask::cli
