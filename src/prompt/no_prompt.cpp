// SPDX-License-Identifier: Apache-2.0
#include <syntask/prompt/prompter.hpp>

#include "prompt/wording.hpp"

namespace syntask::prompt {

namespace {

class NoPrompt final : public Prompter {
public:
  bool interactive() const override { return false; }

  std::string text(const std::string& question, const std::optional<std::string>& fallback,
                   const std::string& flag) override
  {
    if (fallback) {
      return *fallback;
    }
    throw detail::missing_answer(question, flag);
  }

  std::string secret(const std::string& question, const std::string& flag) override
  {
    throw detail::missing_answer(question, flag);
  }

  std::optional<std::string> optional_secret(const std::string& /*question*/) override
  {
    return std::nullopt;
  }

  bool confirm(const std::string& question, std::optional<bool> fallback, const std::string& flag) override
  {
    if (fallback) {
      return *fallback;
    }
    throw detail::missing_answer(question, flag);
  }

  std::size_t choose(const std::string& question, const std::vector<std::string>& options,
                     std::size_t fallback, const std::string& flag) override
  {
    if (fallback < options.size()) {
      return fallback;
    }
    throw detail::missing_answer(question, flag);
  }
};

} // namespace

std::unique_ptr<Prompter> make_no_prompt()
{
  return std::make_unique<NoPrompt>();
}

} // namespace syntask::prompt
