// SPDX-License-Identifier: Apache-2.0
#include "cli/context.hpp"
#include <functional>

namespace {

// "deploy", "block create", ...: where an option lives, for the failure message.
std::string command_path(const CLI::App* command)
{
  std::string path;
  for (const auto* app = command; app != nullptr && app->get_parent() != nullptr; app = app->get_parent()) {
    path = app->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

} // namespace

TEST_CASE("every option of every command takes at most one value per occurrence")
{
  // A flag that takes several words would swallow a positional argument written after it, so the order
  // of the arguments would change their meaning.
  CLI::App app{"syntask", "syntask"};
  syntask::cli::Context context;
  syntask::cli::add_commands(app, context);
  std::vector<std::string> greedy;
  std::size_t options_seen = 0;
  const std::function<void(const CLI::App*)> visit = [&](const CLI::App* command) {
    for (const auto* option : command->get_options()) {
      if (option->get_positional()) {
        continue;
      }
      ++options_seen;
      if (option->get_allow_extra_args() || option->get_items_expected_max() > 1) {
        greedy.push_back(command_path(command) + " " + option->get_name());
      }
    }
    for (const auto* sub : command->get_subcommands([](const CLI::App*) { return true; })) {
      visit(sub);
    }
  };
  visit(&app);
  CHECK(options_seen > 40);
  CHECK(greedy == std::vector<std::string>{});
}

TEST_CASE("a repeatable option collects one value per occurrence and leaves positionals alone")
{
  CLI::App app{"test"};
  std::string entrypoint;
  std::vector<std::string> names;
  app.add_option("entrypoint", entrypoint);
  syntask::cli::add_repeatable_option(&app, "-n,--name", names, "a name");
  const char* argv[] = {"test", "-n", "a", "flows/x.py:f", "--name=b", "-n", "c"};
  app.parse(static_cast<int>(std::size(argv)), argv);
  CHECK(entrypoint == "flows/x.py:f");
  CHECK(names == std::vector<std::string>{"a", "b", "c"});
}
