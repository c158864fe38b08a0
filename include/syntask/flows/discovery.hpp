// SPDX-License-Identifier: Apache-2.0
// Finding flows in a project's Python files without running them.
#pragma once

#include <syntask/util/ignore.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace syntask::flows {

struct FlowInfo {
  std::string file;      ///< path relative to the project root, '/'-separated
  std::string function;  ///< the decorated function's name
  std::string flow_name; ///< @flow(name="...") when given as a literal, else function with '_' -> '-'
  std::string entrypoint() const { return file + ":" + function; }
};

/// Scans the .py files below `root` for functions decorated with @flow, @flow(...), @syntask.flow,
/// @prefect.flow (and @X where `from syntask import flow as X`). Honours `ignore`, skips virtualenvs
/// (directories holding pyvenv.cfg), site-packages, node_modules and hidden directories. Sorted by
/// file then function.
std::vector<FlowInfo> discover_flows(const std::filesystem::path& root, const util::IgnoreRules& ignore);

/// The flow in `file` (absolute or relative to the caller) whose function is `function`; nullopt when the
/// file has no such function. A function without a @flow decorator still yields a FlowInfo (name from
/// the function).
std::optional<FlowInfo> find_flow(const std::filesystem::path& file, const std::string& function);

/// The flow name for an entrypoint: "path/file.py:function" reads the file; a module path
/// ("pkg.mod:function" or "pkg.mod.function") uses the function name with '_' -> '-'.
/// Throws UsageError naming the entrypoint when the file or function does not exist.
std::string flow_name_for_entrypoint(const std::filesystem::path& project_dir, const std::string& entrypoint);

} // namespace syntask::flows
