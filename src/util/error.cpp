// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>

namespace syntask {

std::string SourceRef::str() const
{
  if (file.empty()) {
    return "";
  }
  if (line <= 0) {
    return file;
  }
  if (column <= 0) {
    return file + ":" + std::to_string(line);
  }
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

namespace {

std::string config_message(const SourceRef& where, const std::string& field, const std::string& message)
{
  std::string text;
  if (!where.empty()) {
    text += where.str() + ": ";
  }
  if (!field.empty()) {
    text += field + ": ";
  }
  return text + message;
}

std::string join_lines(const std::vector<std::string>& lines)
{
  std::string text;
  for (const auto& line : lines) {
    if (!text.empty()) {
      text += '\n';
    }
    text += line;
  }
  return text;
}

} // namespace

ConfigError::ConfigError(SourceRef where, std::string field, const std::string& message)
    : Error(config_message(where, field, message)), m_where(std::move(where)), m_field(std::move(field))
{
}

ConfigError::ConfigError(const std::string& message) : Error(message) {}

ConfigErrors::ConfigErrors(std::vector<std::string> lines)
    : Error(join_lines(lines)), m_lines(std::move(lines))
{
}

} // namespace syntask
