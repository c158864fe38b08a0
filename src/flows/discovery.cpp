// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/flows/discovery.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include "flows/python_scanner.hpp"
#include <algorithm>
#include <system_error>

namespace syntask::flows {

namespace {

std::string default_flow_name(std::string function)
{
  std::replace(function.begin(), function.end(), '_', '-');
  return function;
}

FlowInfo make_info(std::string file, const ModuleFunction& function)
{
  return FlowInfo{std::move(file), function.name,
                  function.flow_name.value_or(default_flow_name(function.name))};
}

// Directories that hold installed or generated code rather than the project's own flows.
bool is_skipped_directory(const util::TreeEntry& entry)
{
  const std::string name = entry.path.filename().string();
  std::error_code error;
  return name.front() == '.' || name == "site-packages" || name == "node_modules" || name == "__pycache__" ||
         std::filesystem::exists(entry.path / "pyvenv.cfg", error);
}

bool is_python_file(const util::TreeEntry& entry)
{
  std::error_code error;
  return util::ends_with(entry.relative_path, ".py") && std::filesystem::is_regular_file(entry.path, error);
}

} // namespace

std::vector<FlowInfo> discover_flows(const std::filesystem::path& root, const util::IgnoreRules& ignore)
{
  std::vector<FlowInfo> flows;
  util::walk_included(root, ignore, [&flows](const util::TreeEntry& entry) {
    if (entry.is_directory) {
      return !is_skipped_directory(entry);
    }
    if (!is_python_file(entry)) {
      return true;
    }
    std::string source;
    try {
      source = util::read_file(entry.path);
    } catch (const Error&) {
      return true; // an unreadable file cannot be deployed either; the scan shows what can
    }
    for (const auto& function : scan_module_functions(source)) {
      if (function.is_flow) {
        flows.push_back(make_info(entry.relative_path, function));
      }
    }
    return true;
  });
  std::sort(flows.begin(), flows.end(), [](const FlowInfo& a, const FlowInfo& b) {
    return a.file != b.file ? a.file < b.file : a.function < b.function;
  });
  return flows;
}

std::optional<FlowInfo> find_flow(const std::filesystem::path& file, const std::string& function)
{
  const auto functions = scan_module_functions(util::read_file(file));
  // A later definition rebinds the name, as it would when Python runs the module.
  const auto found =
      std::find_if(functions.rbegin(), functions.rend(),
                   [&function](const ModuleFunction& candidate) { return candidate.name == function; });
  if (found == functions.rend()) {
    return std::nullopt;
  }
  return make_info(file.generic_string(), *found);
}

std::string flow_name_for_entrypoint(const std::filesystem::path& project_dir, const std::string& entrypoint)
{
  const auto fail = [&entrypoint](const std::string& problem) {
    return UsageError("entrypoint " + util::quoted(entrypoint) + ": " + problem);
  };
  const auto colon = entrypoint.rfind(':');
  if (colon == std::string::npos) {
    const auto dot = entrypoint.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == entrypoint.size()) {
      throw fail("expected 'path/to/file.py:function' or 'module.function'");
    }
    return default_flow_name(entrypoint.substr(dot + 1));
  }
  const std::string location = entrypoint.substr(0, colon);
  const std::string function = entrypoint.substr(colon + 1);
  if (location.empty() || function.empty()) {
    throw fail("expected 'path/to/file.py:function' or 'module:function'");
  }
  const auto path = project_dir / location;
  std::error_code error;
  const bool is_file_path = util::ends_with(location, ".py") || location.find('/') != std::string::npos ||
                            std::filesystem::is_regular_file(path, error);
  if (!is_file_path) {
    return default_flow_name(function); // a module path such as "pkg.mod:function"
  }
  if (!std::filesystem::exists(path, error)) {
    throw fail("file " + util::quoted(location) + " does not exist");
  }
  if (!std::filesystem::is_regular_file(path, error)) {
    throw fail(util::quoted(location) + " is not a file");
  }
  const auto flow = find_flow(path, function);
  if (!flow) {
    throw fail("no function " + util::quoted(function) + " in " + util::quoted(location));
  }
  return flow->flow_name;
}

std::optional<std::string> entrypoint_file(const std::string& entrypoint)
{
  const auto colon = entrypoint.rfind(':');
  if (colon == std::string::npos || !util::ends_with(entrypoint.substr(0, colon), ".py")) {
    return std::nullopt;
  }
  return entrypoint.substr(0, colon);
}

} // namespace syntask::flows
