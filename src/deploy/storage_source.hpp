// SPDX-License-Identifier: Apache-2.0
// Private: the interactive offer to ship a deployment's code through object storage (S3, GCS, Azure
// Blob), writing the same push and pull steps as the init recipes of the same names.
#pragma once

#include <syntask/config/project.hpp>

#include <filesystem>
#include <optional>

namespace syntask::prompt {
class Prompter;
}
namespace syntask::store {
class Store;
}
namespace syntask::ui {
class Output;
}

namespace syntask::deploy {

struct StorageSteps {
  config::StepList push;
  config::StepList pull;
};

/// Asks whether workers should pull the code from remote storage and, if so, which service, the
/// bucket or container, the folder (default: the project directory's name) and the credentials block
/// (one of the store's blocks of the service's type, or none: the service's environment credentials).
/// Returns the recipe's push and pull steps, or nullopt when the user declines. Only for an interactive
/// prompter.
std::optional<StorageSteps> ask_storage_steps(const std::filesystem::path& project_dir, store::Store& store,
                                              prompt::Prompter& prompter, ui::Output& output);

} // namespace syntask::deploy
