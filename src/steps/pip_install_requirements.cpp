// SPDX-License-Identifier: Apache-2.0
// pip_install_requirements: `python -m pip install -r FILE` with the Python flows run with.
#include <syntask/util/fs.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/strings.hpp>

#include "steps/builtin.hpp"

namespace syntask::steps {

namespace {

std::string requirements_file(const StepCall& call)
{
  return optional_string(call, "requirements_file").value_or("requirements.txt");
}

} // namespace

nlohmann::json run_pip_install_requirements(const StepCall& call, StepContext& context)
{
  const auto requirements = requirements_file(call);
  util::ProcessOptions options;
  options.environment = util::current_environment();
  options.working_directory = context.working_directory;
  if (const auto directory = optional_string(call, "directory")) {
    options.working_directory = resolve_path(context, *directory);
  }
  if (!std::filesystem::exists(options.working_directory / requirements)) {
    throw StepError("requirements file " + util::quoted((options.working_directory / requirements).string()) +
                    " does not exist");
  }
  if (optional_bool(call, "stream_output", true)) {
    options.stream_stdout = &context.output();
    options.stream_stderr = &context.diagnostics();
    options.redactor = &context.redactor();
  }
  const auto python = util::get_env("SYNTASK_PYTHON").value_or("python3");
  const auto result = util::run_process({python, "-m", "pip", "install", "-r", requirements}, options);
  if (result.exit_code != 0) {
    throw StepError("pip install -r " + requirements + " failed with exit code " +
                    std::to_string(result.exit_code) + ": " + util::trim(result.stderr_text));
  }
  return {{"stdout", util::trim(result.stdout_text)}, {"stderr", util::trim(result.stderr_text)}};
}

// The same in a container, by the Python runner (deploy/python_runner.cpp has the helpers it uses).
const std::string_view k_pip_install_requirements_python = R"PY(
def _step_pip_install_requirements(args, directory):
    requirements = args["requirements_file"]
    if not os.path.exists(os.path.join(directory, requirements)):
        raise _StepFailure("requirements file '%s' does not exist" % os.path.join(directory, requirements))
    code, detail = _run([sys.executable, "-m", "pip", "install", "-r", requirements], directory,
                        dict(os.environ), args["stream_output"])
    if code != 0:
        raise _StepFailure("pip install -r %s failed with exit code %d%s"
                           % (requirements, code, ": " + detail if detail else ""))
)PY";

nlohmann::json container_args_pip_install_requirements(const StepCall& call)
{
  return {{"directory", optional_string(call, "directory").value_or(".")},
          {"stream_output", optional_bool(call, "stream_output", true)},
          {"requirements_file", requirements_file(call)}};
}

} // namespace syntask::steps
