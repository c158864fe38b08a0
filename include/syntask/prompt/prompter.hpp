// SPDX-License-Identifier: Apache-2.0
// Interactive questions. TerminalPrompter asks on a terminal; NoPrompt (for --no-prompt, a stdin that is
// not a terminal, or CI set) answers with the default or fails naming the flag that supplies the answer.
#pragma once

#include <syntask/error.hpp>

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace syntask::prompt {

class Prompter {
public:
  virtual ~Prompter() = default;

  /// Whether questions reach a person.
  virtual bool interactive() const = 0;

  /// A line of text; an empty answer takes `fallback` when given, else asks again.
  /// `flag` names what supplies the answer non-interactively ("--name").
  virtual std::string text(const std::string& question, const std::optional<std::string>& fallback,
                           const std::string& flag) = 0;
  /// A secret: not echoed.
  virtual std::string secret(const std::string& question, const std::string& flag) = 0;
  /// y/n; with no fallback an answer is required.
  virtual bool confirm(const std::string& question, std::optional<bool> fallback,
                       const std::string& flag) = 0;
  /// One of `options` picked with the arrow keys and Enter; returns its index.
  virtual std::size_t choose(const std::string& question, const std::vector<std::string>& options,
                             std::size_t fallback, const std::string& flag) = 0;
};

/// Asks on a terminal: reads from `in`, writes to `out`. Arrow-key choice and no-echo secrets work when
/// `in` is the process's terminal (stdin); otherwise choices are answered by number.
std::unique_ptr<Prompter> make_terminal_prompter(std::istream& in, std::ostream& out);

/// Never asks: confirm/choose return the fallback when the question has one, everything else throws
/// UsageError "missing <what>: pass <flag>".
std::unique_ptr<Prompter> make_no_prompt();

/// The prompter for this process: NoPrompt when `no_prompt`, stdin is not a terminal, or CI is set.
std::unique_ptr<Prompter> make_prompter(bool no_prompt);

} // namespace syntask::prompt
