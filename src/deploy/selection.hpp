// SPDX-License-Identifier: Apache-2.0
// Private: which deployments of syntask.yaml a `deploy` invocation means.
#pragma once

#include <syntask/config/project.hpp>
#include <syntask/deploy/deployer.hpp>

#include <vector>

namespace syntask::prompt {
class Prompter;
}

namespace syntask::deploy {

/// A deployment to prepare: an entry of the file, or a new one (spec == nullptr).
struct Selected {
  const config::DeploymentSpec* spec = nullptr;
  std::string requested_name; ///< a plain --name that matched nothing: the new deployment's name
};

/// Applies the selection rules: --all; names, FLOW/NAME forms and * patterns (flow names from the
/// entrypoints' @flow decorators, or function names with '_' -> '-'); a single entry; a question when the
/// file has several; else a new deployment.
std::vector<Selected> select_deployments(const config::ProjectFile* project, const DeployRequest& request,
                                         const std::filesystem::path& project_dir,
                                         prompt::Prompter& prompter);

} // namespace syntask::deploy
