// SPDX-License-Identifier: Apache-2.0
// Private: writing a deployment entry into syntask.yaml without disturbing the rest of the file.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>

namespace syntask::deploy {

/// Adds `entry` to the file's `deployments:` list. An existing file keeps its text, comments and anchors:
/// the entry is inserted at the end of the top-level `deployments:` block (which is created when absent).
/// A missing file is created with a commented header.
void save_deployment_entry(const std::filesystem::path& file, const nlohmann::json& entry);

} // namespace syntask::deploy
