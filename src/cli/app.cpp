// SPDX-License-Identifier: Apache-2.0
// The root command: wires the subcommands, parses, and catches every error exactly once.
#include <syntask/cli/app.hpp>
#include <syntask/error.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/log_sink.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include <spdlog/spdlog.h>

#include "cli/context.hpp"
#include "cli/error_report.hpp"
#include <csignal>
#include <iostream>
#include <memory>

namespace syntask::cli {

namespace {

// 128 + the signal, as shells report a process the signal ended: 130 for Ctrl-C, 143 for SIGTERM, 129
// for SIGHUP. Ctrl-C at a prompt arrives as end of input, with no signal: 130.
Failure interrupted_failure(const Interrupted& error)
{
  const int signal_number = util::interrupt_signal();
  if (signal_number == SIGTERM || signal_number == SIGHUP) {
    return Failure::plain(std::string(error.what()) + " by " +
                              (signal_number == SIGTERM ? "SIGTERM" : "SIGHUP"),
                          128 + signal_number);
  }
  return Failure::of(error);
}

// Whether --json was given to the command being run, read from the parse itself: a parse error comes
// before the flags' variables are set.
bool json_requested(const CLI::App& command)
{
  for (const auto* sub : command.get_subcommands()) {
    const auto* flag = sub->get_option_no_throw("--json");
    if ((flag != nullptr && flag->count() > 0) || json_requested(*sub)) {
      return true;
    }
  }
  return false;
}

} // namespace

void add_commands(CLI::App& app, Context& context)
{
  set_init_command(app, context);
  set_deploy_command(app, context);
  set_deployment_command(app, context);
  set_pull_and_run_commands(app, context);
  set_block_command(app, context);
  set_variable_command(app, context);
  set_work_pool_command(app, context);
  set_steps_command(app, context);
  set_cache_command(app, context);
}

int run(int argc, char** argv)
{
  CLI::App app{"syntask: ship workflow code to where it runs", "syntask"};
  app.set_version_flag("-V,--version", std::string("syntask ") + SYNTASK_VERSION);
  app.require_subcommand(0, 1);
  app.fallthrough();
  std::string log_level = "off";
  app.add_option("--log-level", log_level,
                 "Developer log level on stderr (trace, debug, info, warn, error, off)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  Context context;
  add_commands(app, context);
  // The sealing key in the environment is a secret from the start, also for commands that never load
  // it (a build step could print it); the store masks a key it reads from a file when it reads it.
  if (const auto key = util::get_env(util::k_secret_key_variable)) {
    util::Redactor::global().add_secret(util::trim(*key));
  }
  app.parse_complete_callback([&] {
    auto logger = std::make_shared<spdlog::logger>(
        "syntask", std::make_shared<util::ScrubbingLogSink>(std::cerr, util::Redactor::global()));
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(log_level));
    ui::Output::global().set_json(context.json);
  });

  const auto report = [&](const Failure& failure) {
    return report_failure(failure, context.json || json_requested(app));
  };
  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      std::cout << app.help();
      return static_cast<int>(ExitCode::usage);
    }
    return context.exit_code;
  } catch (const CLI::Success& success) {
    // --help and --version.
    return app.exit(success);
  } catch (const CLI::ParseError& error) {
    return report(
        Failure::plain(std::string(error.what()) + " (see --help)", static_cast<int>(ExitCode::usage)));
  } catch (const Interrupted& error) {
    return report(interrupted_failure(error));
  } catch (const Error& error) {
    return report(Failure::of(error));
  } catch (const std::exception& error) {
    return report(
        Failure::plain(std::string("internal error: ") + error.what(), static_cast<int>(ExitCode::failure)));
  }
}

} // namespace syntask::cli
