// SPDX-License-Identifier: Apache-2.0
// Private: where a new block's fields come from. Non-secret fields from --field; secret fields from
// --secret-from-env FIELD=VAR, from stdin (--value-stdin / --stdin-field) or from a no-echo prompt, never
// from the command line.
#pragma once

#include <syntask/prompt/prompter.hpp>
#include <syntask/store/store.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace syntask::cli {

struct BlockInput {
  std::string type;
  std::string name;
  std::vector<std::string> fields;           ///< "KEY=VALUE" of non-secret fields
  std::vector<std::string> secrets_from_env; ///< "FIELD=VAR"
  bool value_stdin = false;
  std::string stdin_field; ///< the secret field stdin fills; "" for the first one not given otherwise
};

/// The block the input describes. A secret field given nowhere else is asked without echo when
/// `prompter` is interactive (an empty answer leaves an optional one out); a required field that is
/// still missing is a UsageError naming the flag that supplies it. Secrets are registered with the
/// global Redactor as they are read.
store::Block collect_block(const BlockInput& input, prompt::Prompter& prompter, std::istream& stdin_stream);

} // namespace syntask::cli
