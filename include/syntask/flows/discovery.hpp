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

/// Scans the .py files below `root` for module-level functions (`def` or `async def` in column 0)
/// decorated with @flow, @syntask.flow or @prefect.flow, called or not, and with the aliases bound by
/// `from syntask import flow as X` / `from prefect import flow as X` and `import syntask as X` /
/// `import prefect as X`. Python is not run: string literals and comments never count. Honours `ignore`,
/// and skips virtualenvs (directories holding pyvenv.cfg), site-packages, node_modules, __pycache__ and
/// hidden directories. Unreadable files are skipped. Sorted by file then function. Throws syntask::Error
/// when a directory cannot be listed.
std::vector<FlowInfo> discover_flows(const std::filesystem::path& root, const util::IgnoreRules& ignore);

/// The module-level function `function` in `file` (absolute or relative to the caller; FlowInfo::file is
/// `file` as given, '/'-separated); nullopt when the file has no such function. A function without a
/// @flow decorator still yields a FlowInfo (name from the function). When the name is defined twice the
/// later definition counts. Throws syntask::Error when the file cannot be read.
std::optional<FlowInfo> find_flow(const std::filesystem::path& file, const std::string& function);

/// The flow name for an entrypoint. "path/file.py:function" (the part before the last ':' ends in .py,
/// holds a '/' or names an existing file) reads the file, relative to `project_dir`; a module path
/// ("pkg.mod:function" or "pkg.mod.function") uses the function name with '_' -> '-'.
/// Throws UsageError naming the entrypoint when the file or function does not exist or the entrypoint
/// has neither form, e.g. "entrypoint 'x.py:f': file 'x.py' does not exist" or
/// "entrypoint 'x.py:f': no function 'f' in 'x.py'".
std::string flow_name_for_entrypoint(const std::filesystem::path& project_dir, const std::string& entrypoint);

/// The flow file of a "path/file.py:function" entrypoint ("path/file.py"); nullopt for a module path.
std::optional<std::string> entrypoint_file(const std::string& entrypoint);

} // namespace syntask::flows
