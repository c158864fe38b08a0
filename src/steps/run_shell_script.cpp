// SPDX-License-Identifier: Apache-2.0
// run_shell_script: each non-blank line is its own process with no shell (as users of the reference
// expect), or, with shell: true, the whole script runs in one `/bin/sh -e` so cd, export and pipes work.
#include <syntask/util/process.hpp>
#include <syntask/util/strings.hpp>

#include "steps/builtin.hpp"

namespace syntask::steps {

namespace {

// The `env` argument as text values (numbers and the like written as JSON).
std::map<std::string, std::string> extra_environment(const StepCall& call)
{
  std::map<std::string, std::string> extra;
  const auto env = call.args.find("env");
  if (env == call.args.end() || env->is_null()) {
    return extra;
  }
  if (!env->is_object()) {
    throw StepError("argument 'env' of step 'run_shell_script' must be a mapping");
  }
  for (const auto& [key, value] : env->items()) {
    extra[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return extra;
}

std::map<std::string, std::string> child_environment(const StepCall& call)
{
  auto environment = util::current_environment();
  for (auto& [key, value] : extra_environment(call)) {
    environment[key] = std::move(value);
  }
  return environment;
}

std::string stripped(const std::string& text)
{
  return util::trim(text);
}

} // namespace

nlohmann::json run_run_shell_script(const StepCall& call, StepContext& context)
{
  const auto script = required_string(call, "script");
  const bool stream = optional_bool(call, "stream_output", true);
  const bool expand = optional_bool(call, "expand_env_vars", false);
  const bool shell = optional_bool(call, "shell", false);

  util::ProcessOptions options;
  options.environment = child_environment(call);
  options.working_directory = context.working_directory;
  if (const auto directory = optional_string(call, "directory")) {
    options.working_directory = resolve_path(context, *directory);
  }
  if (stream) {
    options.stream_stdout = &context.output();
    options.stream_stderr = &context.diagnostics();
    options.redactor = &context.redactor();
  }

  std::vector<std::vector<std::string>> commands;
  if (shell) {
    commands.push_back(
        {"/bin/sh", "-e", "-c", expand ? util::expand_variables(script, options.environment) : script});
  } else {
    for (const auto& raw_line : util::split(script, '\n')) {
      const auto line = util::trim(raw_line);
      // A comment line would otherwise run a program named '#'.
      if (line.empty() || line[0] == '#') {
        continue;
      }
      try {
        commands.push_back(
            util::split_command_line(expand ? util::expand_variables(line, options.environment) : line));
      } catch (const Error& error) {
        throw StepError(error.what());
      }
    }
  }

  std::string all_stdout;
  std::string all_stderr;
  for (const auto& command : commands) {
    const auto result = util::run_process(command, options);
    all_stdout += result.stdout_text;
    all_stderr += result.stderr_text;
    if (result.exit_code != 0) {
      const auto detail = stripped(result.stderr_text);
      throw StepError("command '" + util::join(command, " ") + "' failed with exit code " +
                      std::to_string(result.exit_code) + (detail.empty() ? "" : ": " + detail));
    }
  }
  return {{"stdout", stripped(all_stdout)}, {"stderr", stripped(all_stderr)}};
}

// The same in a container, by the Python runner (deploy/python_runner.cpp has the helpers it uses).
const std::string_view k_run_shell_script_python = R"PY(
def _step_run_shell_script(args, directory):
    env = dict(os.environ)
    env.update(args["env"])
    script = args["script"]
    if args["shell"]:
        commands = [["/bin/sh", "-e", "-c", _expand(script, env) if args["expand_env_vars"] else script]]
    else:
        commands = []
        for line in (line.strip() for line in script.split("\n")):
            if line and not line.startswith("#"):
                try:
                    commands.append(shlex.split(_expand(line, env) if args["expand_env_vars"] else line))
                except ValueError as error:
                    raise _StepFailure("cannot split '%s': %s" % (line, error))
    for command in commands:
        code, detail = _run(command, directory, env, args["stream_output"])
        if code != 0:
            raise _StepFailure("command '%s' failed with exit code %d%s"
                               % (" ".join(command), code, ": " + detail if detail else ""))
)PY";

nlohmann::json container_args_run_shell_script(const StepCall& call)
{
  return {{"directory", optional_string(call, "directory").value_or(".")},
          {"stream_output", optional_bool(call, "stream_output", true)},
          {"script", required_string(call, "script")},
          {"expand_env_vars", optional_bool(call, "expand_env_vars", false)},
          {"shell", optional_bool(call, "shell", false)},
          {"env", extra_environment(call)}};
}

} // namespace syntask::steps
