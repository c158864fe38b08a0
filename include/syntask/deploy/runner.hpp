// SPDX-License-Identifier: Apache-2.0
// What a worker does with a stored deployment: run its pull steps, then call the flow function.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace syntask::store {
class Store;
}
namespace syntask::ui {
class Output;
}

namespace syntask::deploy {

struct PullResult {
  std::filesystem::path working_directory; ///< where the flow runs after the pull steps
  std::string entrypoint;                  ///< as stored
  std::filesystem::path entrypoint_path;   ///< absolute flow file; empty for a module entrypoint
};

/// Runs the deployment's pull steps starting in `directory`, resolving their references (earlier pull
/// step outputs, this process's environment, blocks, variables) as they run.
PullResult pull_deployment(const nlohmann::json& record, const std::filesystem::path& directory,
                           store::Store& store, ui::Output& output);

/// Calls the entrypoint's function with `parameters` as keyword arguments in python3 (or
/// SYNTASK_PYTHON), streaming its output (secrets masked) to `output`; returns the process exit status.
int run_flow(const PullResult& pulled, const nlohmann::json& parameters, ui::Output& output);

/// The deployment's parameters merged with `overrides`, with every remaining reference (secrets kept
/// out of the record) resolved now.
nlohmann::json resolve_run_parameters(const nlohmann::json& record, const nlohmann::json& overrides,
                                      store::Store& store);

} // namespace syntask::deploy
