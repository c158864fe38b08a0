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

std::string located(const SourceRef& where, const std::string& detail)
{
  return where.empty() ? detail : where.str() + ": " + detail;
}

std::string join_lines(const std::vector<ConfigError>& problems)
{
  std::string text;
  for (const auto& problem : problems) {
    if (!text.empty()) {
      text += '\n';
    }
    text += problem.what();
  }
  return text;
}

} // namespace

Error::Error(const std::string& message) : std::runtime_error(message), m_detail(message) {}

Error::Error(SourceRef where, const std::string& detail)
    : std::runtime_error(located(where, detail)), m_where(std::move(where)), m_detail(detail)
{
}

ConfigError::ConfigError(SourceRef where, std::string field, const std::string& message)
    : Error(std::move(where), field.empty() ? message : field + ": " + message), m_field(std::move(field))
{
}

ConfigError::ConfigError(const std::string& message) : Error(message) {}

ConfigErrors::ConfigErrors(std::vector<ConfigError> problems)
    : Error(join_lines(problems)), m_problems(std::move(problems))
{
}

std::vector<std::string> ConfigErrors::lines() const
{
  std::vector<std::string> lines;
  for (const auto& problem : m_problems) {
    lines.emplace_back(problem.what());
  }
  return lines;
}

} // namespace syntask
