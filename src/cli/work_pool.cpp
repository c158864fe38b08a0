// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

#include "cli/context.hpp"

namespace syntask::cli {

void set_work_pool_command(CLI::App& app, Context& context)
{
  auto* group = app.add_subcommand("work-pool", "Manage work pools");
  group->require_subcommand(1);

  auto name = std::make_shared<std::string>();
  auto type = std::make_shared<std::string>();
  auto* create = group->add_subcommand("create", "Create a work pool");
  create->add_option("name", *name, "Work pool name")->required();
  create->add_option("--type", *type, "Infrastructure type")
      ->required()
      ->check(CLI::IsMember({"process", "docker", "kubernetes"}));
  context.add_common_flags(create, false);
  create->callback([name, type, &context] {
    if (context.store().get_work_pool(*name)) {
      throw UsageError("work pool " + util::quoted(*name) + " already exists");
    }
    context.store().create_work_pool(*name, *type);
    context.output().result("Created work pool '" + *name + "' (" + *type + ").");
    context.output().json_result({{"name", *name}, {"type", *type}});
  });

  auto* list = group->add_subcommand("ls", "List work pools");
  context.add_common_flags(list, false);
  list->callback([&context] {
    auto documents = nlohmann::json::array();
    for (const auto& pool : context.store().list_work_pools()) {
      documents.push_back({{"name", pool.name}, {"type", pool.type}, {"created", pool.created}});
      context.output().result(pool.name + "\t" + pool.type);
    }
    context.output().json_result({{"work_pools", documents}});
  });

  auto delete_name = std::make_shared<std::string>();
  auto* remove = group->add_subcommand("delete", "Delete a work pool");
  remove->add_option("name", *delete_name, "Work pool name")->required();
  context.add_common_flags(remove, false);
  remove->callback([delete_name, &context] {
    if (!context.store().remove_work_pool(*delete_name)) {
      throw UsageError("work pool " + util::quoted(*delete_name) + " does not exist");
    }
    context.output().result("Deleted work pool '" + *delete_name + "'.");
    context.output().json_result({{"deleted", *delete_name}});
  });
}

} // namespace syntask::cli
