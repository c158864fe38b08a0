// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

#include "cli/context.hpp"

namespace syntask::cli {

namespace {

std::string display(const nlohmann::json& value)
{
  return value.is_string() ? value.get<std::string>() : value.dump();
}

} // namespace

void set_variable_command(CLI::App& app, Context& context)
{
  auto* group =
      app.add_subcommand("variable", "Manage variables, referenced as << syntask.variables.NAME >>");
  group->require_subcommand(1);

  auto name = std::make_shared<std::string>();
  auto value = std::make_shared<std::string>();
  auto* set =
      group->add_subcommand("set", "Set a variable (VALUE is JSON when it parses as JSON, else a string)");
  set->add_option("name", *name, "Variable name")->required();
  set->add_option("value", *value, "Value")->required();
  context.add_common_flags(set, false);
  set->callback([name, value, &context] {
    const auto parsed = json_or_string(*value);
    context.store().set_variable(*name, parsed);
    context.output().result("Set variable '" + *name + "'.");
    context.output().json_result({{"name", *name}, {"value", parsed}});
  });

  auto get_name = std::make_shared<std::string>();
  auto* get = group->add_subcommand("get", "Print a variable's value");
  get->add_option("name", *get_name, "Variable name")->required();
  context.add_common_flags(get, false);
  get->callback([get_name, &context] {
    const auto found = context.store().get_variable(*get_name);
    if (!found) {
      throw UsageError("variable " + util::quoted(*get_name) + " does not exist");
    }
    context.output().result(display(*found));
    context.output().json_result({{"name", *get_name}, {"value", *found}});
  });

  auto* list = group->add_subcommand("ls", "List variables");
  context.add_common_flags(list, false);
  list->callback([&context] {
    auto documents = nlohmann::json::array();
    for (const auto& variable : context.store().list_variables()) {
      documents.push_back({{"name", variable.name}, {"value", variable.value}});
      context.output().result(variable.name + "\t" + display(variable.value));
    }
    context.output().json_result({{"variables", documents}});
  });

  auto unset_name = std::make_shared<std::string>();
  auto* unset = group->add_subcommand("unset", "Remove a variable");
  unset->add_option("name", *unset_name, "Variable name")->required();
  context.add_common_flags(unset, false);
  unset->callback([unset_name, &context] {
    if (!context.store().remove_variable(*unset_name)) {
      throw UsageError("variable " + util::quoted(*unset_name) + " does not exist");
    }
    context.output().result("Removed variable '" + *unset_name + "'.");
    context.output().json_result({{"removed", *unset_name}});
  });
}

} // namespace syntask::cli
