// SPDX-License-Identifier: Apache-2.0
// The root command: wires the subcommands, parses, and catches every error exactly once.
#include <syntask/cli/app.hpp>
#include <syntask/error.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/redact.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/context.hpp"
#include <csignal>
#include <iostream>

namespace syntask::cli {

namespace {

int print_error(const std::string& message, ExitCode code)
{
  // Every line of a multi-problem report gets the prefix, so each stands alone in CI logs.
  const auto scrubbed = util::Redactor::global().scrub(message);
  std::size_t start = 0;
  while (start <= scrubbed.size()) {
    auto end = scrubbed.find('\n', start);
    if (end == std::string::npos) {
      end = scrubbed.size();
    }
    ui::Output::global().error(scrubbed.substr(start, end - start));
    start = end + 1;
  }
  return static_cast<int>(code);
}

// 128 + the signal, as shells report a process the signal ended: 130 for Ctrl-C, 143 for SIGTERM, 129
// for SIGHUP. Ctrl-C at a prompt arrives as end of input, with no signal: 130.
int print_interrupted(const Interrupted& error)
{
  const int signal_number = util::interrupt_signal();
  if (signal_number == SIGTERM || signal_number == SIGHUP) {
    print_error(std::string(error.what()) + " by " + (signal_number == SIGTERM ? "SIGTERM" : "SIGHUP"),
                ExitCode::interrupted);
    return 128 + signal_number;
  }
  return print_error(error.what(), ExitCode::interrupted);
}

} // namespace

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
  set_init_command(app, context);
  set_deploy_command(app, context);
  set_deployment_command(app, context);
  set_pull_and_run_commands(app, context);
  set_block_command(app, context);
  set_variable_command(app, context);
  set_work_pool_command(app, context);
  set_steps_command(app, context);
  set_cache_command(app, context);
  app.parse_complete_callback([&] {
    auto logger = spdlog::stderr_color_mt("syntask");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(log_level));
    ui::Output::global().set_json(context.json);
  });

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
    return print_error(std::string(error.what()) + " (see --help)", ExitCode::usage);
  } catch (const Interrupted& error) {
    return print_interrupted(error);
  } catch (const Error& error) {
    return print_error(error.what(), error.exit_code());
  } catch (const std::exception& error) {
    return print_error(std::string("internal error: ") + error.what(), ExitCode::failure);
  }
}

} // namespace syntask::cli
