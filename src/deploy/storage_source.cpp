// SPDX-License-Identifier: Apache-2.0
#include "deploy/storage_source.hpp"

#include <syntask/config/yaml_source.hpp>
#include <syntask/init/init.hpp>
#include <syntask/prompt/prompter.hpp>
#include <syntask/store/store.hpp>
#include <syntask/ui/output.hpp>

#include "init/recipe_values.hpp"

namespace syntask::deploy {

namespace {

constexpr const char* k_storage_recipes[] = {"s3", "gcs", "azure"};

std::string flag_for(const init::Recipe& recipe)
{
  return "syntask init --recipe " + std::string(recipe.name);
}

// One of the store's blocks of `type`, or "" for the service's environment credentials.
std::string ask_credentials_block(std::string_view type, store::Store& store, prompt::Prompter& prompter,
                                  ui::Output& output, const std::string& flag)
{
  std::vector<std::string> names;
  for (const auto& block : store.list_blocks()) {
    if (block.type == type) {
      names.push_back(block.name);
    }
  }
  if (names.empty()) {
    output.info("No " + std::string(type) +
                " block exists: push and pull use the environment's credentials (create one "
                "with `syntask block create " +
                std::string(type) + " NAME` and deploy again to use it)");
    return "";
  }
  auto options = names;
  options.emplace_back("None: use the environment's credentials");
  const auto choice =
      prompter.choose("Which " + std::string(type) + " block should push and pull use?", options, 0, flag);
  return choice < names.size() ? names[choice] : "";
}

config::StepList steps_of(const std::string& section, const std::string& text)
{
  const auto document = config::parse_yaml(text, "syntask.yaml");
  config::StepList steps;
  const auto& list = document.root[section];
  for (std::size_t i = 0; i < list.size(); ++i) {
    steps.push_back(
        config::StepSpec::from_json(list[i], config::pointer_child("/" + section, i), SourceRef{}));
  }
  return steps;
}

} // namespace

std::optional<StorageSteps> ask_storage_steps(const std::filesystem::path& project_dir, store::Store& store,
                                              prompt::Prompter& prompter, ui::Output& output)
{
  if (!prompter.confirm("Your Syntask workers will need access to this flow's code in order to run it. Would "
                        "you like your workers to pull your flow code from a remote storage location when "
                        "running this flow?",
                        false, "syntask init --recipe s3, gcs or azure")) {
    return std::nullopt;
  }
  std::vector<const init::Recipe*> choices;
  std::vector<std::string> options;
  for (const char* name : k_storage_recipes) {
    choices.push_back(&init::require_recipe(name));
    options.emplace_back(choices.back()->description);
  }
  const auto& recipe =
      *choices[prompter.choose("Please select a remote code storage option.", options, 0, "--recipe")];
  const auto flag = flag_for(recipe);

  // The recipe's own fields and wording, so that deploy and init write the same steps.
  const auto defaults = init::field_defaults(recipe, project_dir);
  std::map<std::string, std::string> values;
  for (const auto& field : recipe.fields) {
    const std::string name(field.name);
    if (const auto type = init::block_type_of(recipe, name); !type.empty()) {
      if (auto block = ask_credentials_block(type, store, prompter, output, flag); !block.empty()) {
        values[name] = block;
      }
      continue;
    }
    std::optional<std::string> fallback;
    if (const auto found = defaults.find(name); found != defaults.end()) {
      fallback = found->second;
    } else if (!field.required) {
      fallback = std::string();
    }
    auto answer = prompter.text(std::string(field.description), fallback, flag);
    if (!answer.empty()) {
      values[name] = answer;
    }
  }
  for (const auto& [key, value] : init::derived_values(recipe, values)) {
    values[key] = value;
  }
  StorageSteps steps;
  steps.push = steps_of("push", init::render_recipe_text(recipe.push, values));
  steps.pull = steps_of("pull", init::render_recipe_text(recipe.text, values));
  return steps;
}

} // namespace syntask::deploy
