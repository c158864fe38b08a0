// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/yaml_source.hpp>
#include <syntask/deploy/deployer.hpp>
#include <syntask/error.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "cli/context.hpp"

namespace syntask::cli {

store::Deployment require_deployment(Context& context, const std::string& address)
{
  const auto [flow, name] = deploy::parse_address(address);
  auto found = context.store().get_deployment(flow, name);
  if (!found) {
    std::vector<std::string> known;
    for (const auto& deployment : context.store().list_deployments()) {
      known.push_back(deployment.flow_name + "/" + deployment.name);
    }
    throw UsageError("deployment " + util::quoted(address) + " does not exist" +
                     util::did_you_mean(address, known));
  }
  return *found;
}

void set_deployment_command(CLI::App& app, Context& context)
{
  auto* group = app.add_subcommand("deployment", "List, inspect and delete registered deployments");
  group->require_subcommand(1);

  auto* list = group->add_subcommand("ls", "List deployments");
  context.add_common_flags(list, false);
  list->callback([&context] {
    auto documents = nlohmann::json::array();
    auto& out = context.output();
    for (const auto& deployment : context.store().list_deployments()) {
      const auto& record = deployment.record;
      documents.push_back({{"address", deployment.flow_name + "/" + deployment.name},
                           {"flow_name", deployment.flow_name},
                           {"name", deployment.name},
                           {"entrypoint", record.value("entrypoint", "")},
                           {"work_pool", record["work_pool"].value("name", "")},
                           {"updated", deployment.updated}});
      out.result(deployment.flow_name + "/" + deployment.name + "\t" + record.value("entrypoint", "") + "\t" +
                 record["work_pool"].value("name", ""));
    }
    if (documents.empty()) {
      out.info("no deployments yet: run `syntask deploy` in a project");
    }
    out.json_result({{"deployments", documents}});
  });

  auto address = std::make_shared<std::string>();
  auto* inspect = group->add_subcommand("inspect", "Show a deployment as stored");
  inspect->add_option("deployment", *address, "FLOW_NAME/DEPLOYMENT_NAME")->required();
  context.add_common_flags(inspect, false);
  inspect->callback([&context, address] {
    const auto deployment = require_deployment(context, *address);
    auto document = deployment.record;
    document["created"] = deployment.created;
    document["updated"] = deployment.updated;
    // Scrubbed as values: YAML may spell a secret with escapes (a newline, a quote) that a line scrub misses.
    context.output().result(config::to_yaml(util::Redactor::global().scrub_document(document)));
    context.output().json_result(document);
  });

  auto delete_address = std::make_shared<std::string>();
  auto* remove = group->add_subcommand("delete", "Delete a deployment");
  remove->add_option("deployment", *delete_address, "FLOW_NAME/DEPLOYMENT_NAME")->required();
  context.add_common_flags(remove, false);
  remove->callback([&context, delete_address] {
    require_deployment(context, *delete_address);
    const auto [flow, name] = deploy::parse_address(*delete_address);
    context.store().remove_deployment(flow, name);
    context.output().result("Deleted deployment '" + *delete_address + "'.");
    context.output().json_result({{"deleted", *delete_address}});
  });
}

} // namespace syntask::cli
