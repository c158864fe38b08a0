// SPDX-License-Identifier: Apache-2.0
// set_working_directory: later steps and the flow run in this directory.
#include <syntask/util/strings.hpp>

#include "steps/builtin.hpp"

namespace syntask::steps {

nlohmann::json run_set_working_directory(const StepCall& call, StepContext& context)
{
  const auto directory = required_string(call, "directory");
  auto path = resolve_path(context, directory);
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) {
    throw StepError("directory " + util::quoted(path.string()) + " does not exist");
  }
  // Trailing separators from lexically_normal ("a/b/") would leak into outputs and messages.
  if (path.has_relative_path() && !path.has_filename()) {
    path = path.parent_path();
  }
  context.working_directory = path;
  return {{"directory", path.string()}};
}

} // namespace syntask::steps
