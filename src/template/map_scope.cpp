// SPDX-License-Identifier: Apache-2.0
#include <syntask/template/resolver.hpp>

namespace syntask::tmpl {

std::optional<nlohmann::json> MapScope::step_output(const std::string& path) const
{
  return lookup_path(outputs, path);
}

std::optional<std::string> MapScope::env(const std::string& name) const
{
  const auto found = environment.find(name);
  return found == environment.end() ? std::nullopt : std::optional<std::string>(found->second);
}

std::optional<BlockValue> MapScope::block(const std::string& type, const std::string& name) const
{
  const auto found = blocks.find(type + "/" + name);
  return found == blocks.end() ? std::nullopt : std::optional<BlockValue>(found->second);
}

std::optional<nlohmann::json> MapScope::variable(const std::string& name) const
{
  const auto found = variables.find(name);
  return found == variables.end() ? std::nullopt : std::optional<nlohmann::json>(found->second);
}

} // namespace syntask::tmpl
