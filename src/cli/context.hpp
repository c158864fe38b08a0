// SPDX-License-Identifier: Apache-2.0
// Private: what every subcommand shares, and the helpers to parse its values.
#pragma once

#include <syntask/prompt/prompter.hpp>
#include <syntask/store/store.hpp>
#include <syntask/ui/output.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace syntask::cli {

class Context {
public:
  bool json = false;
  bool no_prompt = false;
  int exit_code = 0; ///< set by commands that return a status of their own (run)

  ui::Output& output() { return ui::Output::global(); }
  /// The store, opened on first use.
  store::Store& store();
  /// The prompter for this invocation (built on first use from --no-prompt).
  prompt::Prompter& prompter();

  /// Adds --json and --no-prompt to a subcommand.
  void add_common_flags(CLI::App* command, bool with_prompt);

private:
  std::unique_ptr<store::Store> m_store;
  std::unique_ptr<prompt::Prompter> m_prompter;
};

/// An option that takes one value each time it is given and may be repeated (`-t a -t b`). CLI11's
/// default for a vector takes every following word, which would swallow a positional argument written
/// after it (`deploy -n a flows/x.py:f`); every repeatable option of every command is made with this.
CLI::Option* add_repeatable_option(CLI::App* command, const std::string& names,
                                   std::vector<std::string>& values, const std::string& description);

/// "KEY=VALUE" -> key and value (split at the first '='); UsageError naming `flag` when malformed.
std::pair<std::string, std::string> split_assignment(const std::string& text, const std::string& flag);
/// "KEY=VALUE" -> key and value, the value parsed as JSON when it is valid JSON, else kept as a string.
std::pair<std::string, nlohmann::json> parse_assignment(const std::string& text, const std::string& flag);
/// The stored deployment at "FLOW/NAME"; UsageError (with a suggestion) when there is none.
store::Deployment require_deployment(Context& context, const std::string& address);
/// A value that is JSON when it parses as JSON, else the string itself.
nlohmann::json json_or_string(const std::string& text);

/// Adds every subcommand to the root command.
void add_commands(CLI::App& app, Context& context);
void set_init_command(CLI::App& app, Context& context);
void set_deploy_command(CLI::App& app, Context& context);
void set_deployment_command(CLI::App& app, Context& context);
void set_pull_and_run_commands(CLI::App& app, Context& context);
void set_block_command(CLI::App& app, Context& context);
void set_variable_command(CLI::App& app, Context& context);
void set_work_pool_command(CLI::App& app, Context& context);
void set_steps_command(CLI::App& app, Context& context);
void set_cache_command(CLI::App& app, Context& context);

} // namespace syntask::cli
