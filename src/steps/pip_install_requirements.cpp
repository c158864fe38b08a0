// SPDX-License-Identifier: Apache-2.0
// pip_install_requirements: `python -m pip install -r FILE` with the Python flows run with.
#include <syntask/util/fs.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/strings.hpp>

#include "steps/builtin.hpp"

namespace syntask::steps {

nlohmann::json run_pip_install_requirements(const StepCall& call, StepContext& context)
{
  const auto requirements = optional_string(call, "requirements_file").value_or("requirements.txt");
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
    options.stream_stdout = context.output;
    options.stream_stderr = context.diagnostics;
    options.redactor = context.redactor;
  }
  const auto python = util::get_env("SYNTASK_PYTHON").value_or("python3");
  const auto result = util::run_process({python, "-m", "pip", "install", "-r", requirements}, options);
  if (result.exit_code != 0) {
    throw StepError("pip install -r " + requirements + " failed with exit code " +
                    std::to_string(result.exit_code) + ": " + util::trim(result.stderr_text));
  }
  return {{"stdout", util::trim(result.stdout_text)}, {"stderr", util::trim(result.stderr_text)}};
}

} // namespace syntask::steps
