// SPDX-License-Identifier: Apache-2.0
// Private: the checks deploy makes before the first build or push step runs, so that a mistake found
// without running anything fails the deploy before anything is uploaded or registered.
#pragma once

#include <syntask/config/project.hpp>
#include <syntask/config/yaml_source.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace syntask::store {
class Store;
}

namespace syntask::deploy {

/// What the build and push steps will output, by the names references use: each step's id and each
/// output key its step declares.
std::vector<std::string> build_push_output_names(const config::StepList& build, const config::StepList& push);

/// Every step output reference, judged before any step runs: in a build or push step it must name an
/// earlier build or push step's id or output; in a pull step a build or push output or an earlier pull
/// step's id; in the deployment's body (at `body_pointer`) a build or push output. Throws ConfigError at
/// the field holding the first one that does not.
void check_output_references(const nlohmann::json& body, const std::string& body_pointer,
                             const config::StepList& build, const config::StepList& push,
                             const std::optional<config::StepList>& pull, const config::SourceMap* sources);

/// For each git_clone pull step whose repository, branch and credentials need neither a step output nor
/// the worker's environment, asks the remote once (with those credentials) whether the branch is there.
/// Throws ConfigError at the branch (or repository) field when it is not or the remote refuses, and
/// RemoteError when the remote cannot be reached; both say that --no-verify skips the check.
void check_git_branches(const std::optional<config::StepList>& pull, store::Store& store,
                        const config::SourceMap* sources);

} // namespace syntask::deploy
