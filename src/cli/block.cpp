// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/yaml_source.hpp>
#include <syntask/error.hpp>
#include <syntask/store/block_types.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "cli/block_input.hpp"
#include "cli/block_modules.hpp"
#include "cli/context.hpp"
#include <iostream>

namespace syntask::cli {

namespace {

std::pair<std::string, std::string> parse_block_address(const std::string& address)
{
  const auto slash = address.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == address.size()) {
    throw UsageError("block " + util::quoted(address) + " must be written TYPE/NAME, e.g. secret/my-token");
  }
  return {address.substr(0, slash), address.substr(slash + 1)};
}

store::Block require_block(Context& context, const std::string& address)
{
  const auto [type, name] = parse_block_address(address);
  store::require_block_type(type);
  auto block = context.store().get_block(type, name);
  if (!block) {
    throw UsageError("block " + util::quoted(address) + " does not exist");
  }
  return *block;
}

struct CreateOptions {
  BlockInput input;
  bool overwrite = false;
};

} // namespace

void set_block_command(CLI::App& app, Context& context)
{
  auto* group = app.add_subcommand("block", "Manage blocks: credentials and secrets, sealed at rest");
  group->require_subcommand(1);

  auto* types = group->add_subcommand("type", "Block types")->require_subcommand(1);
  auto* types_list = types->add_subcommand("ls", "List block types and their fields");
  context.add_common_flags(types_list, false);
  types_list->callback([&context] {
    auto documents = nlohmann::json::array();
    for (const auto& type : store::block_types()) {
      auto fields = nlohmann::json::array();
      std::string summary;
      for (const auto& field : type.fields) {
        fields.push_back({{"name", field.name},
                          {"sensitive", field.sensitive},
                          {"required", field.required},
                          {"description", field.description}});
        summary += " " + std::string(field.name) + (field.sensitive ? "*" : "");
      }
      documents.push_back({{"slug", type.slug},
                           {"title", type.title},
                           {"description", type.description},
                           {"fields", fields}});
      context.output().result(std::string(type.slug) + "\t" + std::string(type.description) +
                              "\n   fields:" + summary);
    }
    context.output().info("(* marks secret fields)");
    context.output().json_result({{"block_types", documents}});
  });

  struct RegisterOptions {
    std::string module;
    std::string file;
  };
  auto register_options = std::make_shared<RegisterOptions>();
  auto* register_command = group->add_subcommand(
      "register",
      "Accept `block register -m MODULE`: the block types of Prefect's integrations are built in");
  register_command->add_option("-m,--module", register_options->module,
                               "Integration module, e.g. syntask_aws (prefect_aws is accepted too)");
  register_command->add_option("-f,--file", register_options->file,
                               "A Python file of custom block types (not supported)");
  context.add_common_flags(register_command, false);
  register_command->callback([register_options, &context] {
    if (!register_options->file.empty()) {
      throw UsageError(
          "custom block types from " + util::quoted(register_options->file) +
          " are not supported: syntask's block types are built in (see `syntask block type ls`)");
    }
    if (register_options->module.empty()) {
      throw UsageError("pass -m MODULE, e.g. `syntask block register -m syntask_aws`");
    }
    const auto& module = require_block_module(register_options->module);
    auto& out = context.output();
    out.result("The block types of " + util::quoted(module.name) +
               " are built into syntask; nothing needed registering:");
    auto documents = nlohmann::json::array();
    for (const auto slug : module.slugs) {
      const auto& type = store::require_block_type(slug);
      out.result("  " + std::string(type.slug) + "\t" + std::string(type.description));
      documents.push_back({{"slug", type.slug}, {"title", type.title}, {"description", type.description}});
    }
    out.info("Create a block with `syntask block create TYPE NAME` (fields: `syntask block type ls`)");
    out.json_result(
        {{"module", module.name}, {"registered", nlohmann::json::array()}, {"block_types", documents}});
  });

  auto create_options = std::make_shared<CreateOptions>();
  auto* create = group->add_subcommand(
      "create", "Create a block; secret fields come from the environment, stdin or a no-echo prompt");
  create->add_option("type", create_options->input.type, "Block type slug (see `syntask block type ls`)")
      ->required();
  create->add_option("name", create_options->input.name, "Block name")->required();
  add_repeatable_option(create, "--field", create_options->input.fields,
                        "Non-secret field KEY=VALUE (repeatable)");
  add_repeatable_option(create, "--secret-from-env", create_options->input.secrets_from_env,
                        "Secret field FIELD=VAR: the value of environment variable VAR (repeatable)");
  create->add_flag("--value-stdin", create_options->input.value_stdin,
                   "Read a secret field's value from stdin: the first one not given otherwise");
  create->add_option("--stdin-field", create_options->input.stdin_field,
                     "The secret field stdin fills when a type has several (implies --value-stdin)");
  create->add_flag("--overwrite", create_options->overwrite, "Replace an existing block of the same name");
  create->footer("A secret field given no other way is asked without echo on a terminal (Enter leaves an "
                 "optional one\nout); without a terminal, a required one is an error.");
  context.add_common_flags(create, true);
  create->callback([create_options, &context] {
    const auto block = collect_block(create_options->input, context.prompter(), std::cin);
    context.store().save_block(block, create_options->overwrite);
    const auto address = block.type + "/" + block.name;
    context.output().result("Created block '" + address + "'. Reference it as << syntask.blocks." +
                            block.type + "." + block.name + " >>");
    context.output().json_result({{"created", address}, {"type", block.type}, {"name", block.name}});
  });

  auto* list = group->add_subcommand("ls", "List blocks");
  context.add_common_flags(list, false);
  list->callback([&context] {
    auto documents = nlohmann::json::array();
    for (const auto& block : context.store().list_blocks()) {
      documents.push_back({{"type", block.type}, {"name", block.name}});
      context.output().result(block.type + "/" + block.name);
    }
    context.output().json_result({{"blocks", documents}});
  });

  auto inspect_address = std::make_shared<std::string>();
  auto* inspect = group->add_subcommand("inspect", "Show a block with its secret fields masked");
  inspect->add_option("block", *inspect_address, "TYPE/NAME")->required();
  context.add_common_flags(inspect, false);
  inspect->callback([inspect_address, &context] {
    const auto block = require_block(context, *inspect_address);
    nlohmann::json document{{"type", block.type}, {"name", block.name}, {"data", block.masked()}};
    // Scrubbed as values: YAML may spell a secret with escapes (a newline, a quote) that a line scrub misses.
    context.output().result(config::to_yaml(util::Redactor::global().scrub_document(document)));
    context.output().json_result(document);
  });

  auto delete_address = std::make_shared<std::string>();
  auto* remove = group->add_subcommand("delete", "Delete a block");
  remove->add_option("block", *delete_address, "TYPE/NAME")->required();
  context.add_common_flags(remove, false);
  remove->callback([delete_address, &context] {
    const auto block = require_block(context, *delete_address);
    context.store().remove_block(block.type, block.name);
    context.output().result("Deleted block '" + *delete_address + "'.");
    context.output().json_result({{"deleted", *delete_address}});
  });
}

} // namespace syntask::cli
