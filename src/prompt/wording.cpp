// SPDX-License-Identifier: Apache-2.0
#include "prompt/wording.hpp"

#include <syntask/util/redact.hpp>

namespace syntask::prompt::detail {

namespace {

std::string without_trailing_space(std::string text)
{
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.pop_back();
  }
  return text;
}

} // namespace

std::string label(const std::string& question)
{
  auto text = without_trailing_space(question);
  // The prompt adds its own ": ", so a question written as "Name:" would otherwise show "Name::".
  if (!text.empty() && text.back() == ':') {
    text = without_trailing_space(text.substr(0, text.size() - 1));
  }
  return util::Redactor::global().scrub(text);
}

std::string subject(const std::string& question)
{
  auto text = without_trailing_space(question);
  if (!text.empty() && (text.back() == '?' || text.back() == ':')) {
    text = without_trailing_space(text.substr(0, text.size() - 1));
  }
  return util::Redactor::global().scrub(text);
}

UsageError missing_answer(const std::string& question, const std::string& flag)
{
  std::string message = "missing answer for '" + subject(question) + "'";
  if (!flag.empty()) {
    message += ": pass " + flag;
  }
  return UsageError(message);
}

UsageError input_ended(const std::string& question, const std::string& flag)
{
  std::string message = "no answer for '" + subject(question) + "' (input ended)";
  if (!flag.empty()) {
    message += "; pass " + flag;
  }
  return UsageError(message);
}

} // namespace syntask::prompt::detail
