// SPDX-License-Identifier: Apache-2.0
// Private: filling in what a deployment lacks, from prompts or (under --no-prompt) errors naming flags.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

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

/// "path/file.py:function" chosen among the flows found in the project, or typed; problems reading the
/// project are warnings on `output`.
std::string ask_entrypoint(const std::filesystem::path& project_dir, prompt::Prompter& prompter,
                           ui::Output& output);

/// The deployment name (default "default").
std::string ask_deployment_name(prompt::Prompter& prompter);

/// A work pool name, picked among the store's pools or created now; "default" when not interactive.
std::string ask_work_pool(store::Store& store, prompt::Prompter& prompter);

/// A list of schedules (possibly empty) asked interactively; an answer that is not valid is a warning on
/// `output` and asked again.
nlohmann::json ask_schedules(prompt::Prompter& prompter, ui::Output& output);

} // namespace syntask::deploy
