// SPDX-License-Identifier: Apache-2.0
// Private: the questions that decide where workers clone a project's code from, asked with the same
// words by `syntask init` (git recipes) and by an interactive `syntask deploy`.
#pragma once

#include <string>

namespace syntask::prompt {
class Prompter;
}
namespace syntask::store {
class Store;
}

namespace syntask::init {

/// Where workers clone the code from.
struct GitSource {
  std::string repository;  ///< the clone URL, without user-info
  std::string branch;      ///< the branch workers clone
  std::string token_block; ///< the secret block holding a private repository's token; "" for none
};

/// Confirms `remote_url` as the URL to pull from (else asks for one) and `branch` as the branch (else
/// asks, offering "main" when `branch` is empty); for a URL that is not SSH, asks whether the repository
/// is private, and then for a token (no echo), saved as the secret block `token_block` in `store`
/// (an existing block of that name may be kept instead). `flag` names what supplies the answers
/// without prompts.
GitSource ask_git_source(const std::string& remote_url, const std::string& branch,
                         const std::string& token_block, store::Store& store, prompt::Prompter& prompter,
                         const std::string& flag);

} // namespace syntask::init
