// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/init/init.hpp>

#include "cli/context.hpp"
#include <algorithm>

namespace syntask::cli {

void set_init_command(CLI::App& app, Context& context)
{
  struct Options {
    std::string recipe;
    std::vector<std::string> fields;
    bool force = false;
  };
  auto options = std::make_shared<Options>();
  // One recipe a line, names aligned, as `prefect init` lists them.
  std::size_t width = 0;
  for (const auto& recipe : init::recipes()) {
    width = std::max(width, recipe.name.size());
  }
  std::string recipe_list = "Recipes:";
  for (const auto& recipe : init::recipes()) {
    recipe_list += "\n  " + std::string(recipe.name) + std::string(width + 2 - recipe.name.size(), ' ') +
                   std::string(recipe.description);
  }
  auto* command =
      app.add_subcommand("init", "Write syntask.yaml and .syntaskignore for this project from a recipe");
  command->footer(recipe_list);
  command->add_option("--recipe", options->recipe,
                      "Recipe to start from (listed below; default: inferred from the project)");
  add_repeatable_option(command, "--field", options->fields, "Recipe field KEY=VALUE (repeatable)");
  command->add_flag("--force", options->force,
                    "Overwrite an existing syntask.yaml (an existing .syntaskignore is always kept)");
  context.add_common_flags(command, true);
  command->callback([options, &context] {
    init::InitRequest request;
    request.directory = std::filesystem::current_path();
    request.recipe = options->recipe;
    request.force = options->force;
    request.open_store = [&context]() -> store::Store& { return context.store(); };
    for (const auto& field : options->fields) {
      auto [key, value] = split_assignment(field, "--field");
      request.fields[key] = value;
    }
    const auto result = init::initialize_project(request, context.prompter());
    auto& out = context.output();
    out.result("Created project in " + request.directory.string() + " with the following new files:");
    for (const auto& file : result.created) {
      out.result("  " + file);
    }
    out.json_result(
        {{"directory", request.directory.string()}, {"recipe", result.recipe}, {"files", result.created}});
  });
}

} // namespace syntask::cli
