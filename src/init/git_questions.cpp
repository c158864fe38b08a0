// SPDX-License-Identifier: Apache-2.0
#include "init/git_questions.hpp"

#include <syntask/git/repository.hpp>
#include <syntask/prompt/prompter.hpp>
#include <syntask/store/store.hpp>
#include <syntask/util/redact.hpp>

#include <optional>

namespace syntask::init {

namespace {

std::string ask_token(const std::string& block_name, store::Store& store, prompt::Prompter& prompter,
                      const std::string& flag)
{
  if (store.get_block("secret", block_name) &&
      prompter.confirm("We found an existing token saved for this deployment. Would you like use the "
                       "existing token?",
                       true, flag)) {
    return block_name;
  }
  const auto token = prompter.secret(
      "Please enter a token that can be used to access your private repository. This token will be saved "
      "as a secret block named '" +
          block_name + "'",
      flag);
  util::Redactor::global().add_secret(token);
  store::Block block;
  block.type = "secret";
  block.name = block_name;
  block.data = {{"value", token}};
  store.save_block(block, true);
  return block_name;
}

} // namespace

GitSource ask_git_source(const std::string& remote_url, const std::string& branch,
                         const std::string& token_block, store::Store& store, prompt::Prompter& prompter,
                         const std::string& flag)
{
  GitSource source;
  source.repository = git::strip_user_info(remote_url);
  if (!prompter.confirm("Is " + util::redact_url(remote_url) +
                            " the correct URL to pull your flow code from?",
                        true, flag)) {
    source.repository = git::strip_user_info(
        prompter.text("Please enter the URL to pull your flow code from", std::nullopt, flag));
  }
  source.branch = branch;
  if (branch.empty() ||
      !prompter.confirm("Is " + branch + " the correct branch to pull your flow code from?", true, flag)) {
    source.branch = prompter.text("Please enter the branch to pull your flow code from",
                                  branch.empty() ? std::optional<std::string>("main") : std::nullopt, flag);
  }
  if (!git::is_ssh_url(source.repository) &&
      prompter.confirm("Is this a private repository?", std::nullopt, flag)) {
    source.token_block = ask_token(token_block, store, prompter, flag);
  }
  return source;
}

} // namespace syntask::init
