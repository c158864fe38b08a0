// SPDX-License-Identifier: Apache-2.0
#include "cli/context.hpp"

#include <syntask/error.hpp>

namespace syntask::cli {

store::Store& Context::store()
{
  if (!m_store) {
    m_store = store::Store::open(store::Store::default_home());
  }
  return *m_store;
}

prompt::Prompter& Context::prompter()
{
  if (!m_prompter) {
    m_prompter = prompt::make_prompter(no_prompt || json);
  }
  return *m_prompter;
}

void Context::add_common_flags(CLI::App* command, bool with_prompt)
{
  command->add_flag("--json", json, "Print the result as one JSON document on stdout");
  if (with_prompt) {
    command->add_flag("--no-prompt", no_prompt,
                      "Never ask questions; a missing answer is an error naming the flag that supplies it");
  }
}

CLI::Option* add_repeatable_option(CLI::App* command, const std::string& names,
                                   std::vector<std::string>& values, const std::string& description)
{
  return command->add_option(names, values, description)
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

nlohmann::json json_or_string(const std::string& text)
{
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json(text) : parsed;
}

std::pair<std::string, std::string> split_assignment(const std::string& text, const std::string& flag)
{
  // Split at the first '=' only: values may contain '=' (base64, URLs with queries).
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw UsageError(flag + " '" + text + "': expected KEY=VALUE");
  }
  return {text.substr(0, equals), text.substr(equals + 1)};
}

std::pair<std::string, nlohmann::json> parse_assignment(const std::string& text, const std::string& flag)
{
  auto [key, value] = split_assignment(text, flag);
  return {std::move(key), json_or_string(value)};
}

} // namespace syntask::cli
