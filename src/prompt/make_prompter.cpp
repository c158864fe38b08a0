// SPDX-License-Identifier: Apache-2.0
#include <syntask/prompt/prompter.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include <iostream>

namespace syntask::prompt {

bool running_in_ci()
{
  const auto value = util::get_env("CI");
  if (!value) {
    return false;
  }
  const auto normalised = util::to_lower(util::trim(*value));
  return !normalised.empty() && normalised != "false" && normalised != "0";
}

std::unique_ptr<Prompter> make_prompter(bool no_prompt)
{
  if (no_prompt || !util::stdin_is_tty() || running_in_ci()) {
    return make_no_prompt();
  }
  // Questions go to stderr so that stdout carries only results, even while asking.
  return make_terminal_prompter(std::cin, std::cerr);
}

} // namespace syntask::prompt
