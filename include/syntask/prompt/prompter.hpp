// SPDX-License-Identifier: Apache-2.0
// Interactive questions. TerminalPrompter asks on a terminal; NoPrompt (for --no-prompt, a stdin that is
// not a terminal, or CI set) answers with the default or fails naming the flag that supplies the answer.
//
// Shapes on the terminal: "? Name (default): ", "? Proceed? [y/n] (y): ", "? Token: " (no echo), and for
// choose an arrow-key menu (or, when input is not the terminal, a numbered list answered by number or
// text). Errors: a question that cannot be answered throws UsageError naming `flag`; Ctrl-C in a menu or
// at a secret throws Interrupted.
#pragma once

#include <syntask/error.hpp>

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace syntask::prompt {

/// A choose() fallback meaning "no default": the user must pick, and NoPrompt fails.
inline constexpr std::size_t k_no_fallback = static_cast<std::size_t>(-1);

class Prompter {
public:
  virtual ~Prompter() = default;

  /// Whether questions reach a person.
  virtual bool interactive() const = 0;

  /// A line of text; an empty answer takes `fallback` when given, else asks again.
  /// `flag` names what supplies the answer non-interactively ("--name").
  virtual std::string text(const std::string& question, const std::optional<std::string>& fallback,
                           const std::string& flag) = 0;
  /// A secret: not echoed; an empty answer asks again.
  virtual std::string secret(const std::string& question, const std::string& flag) = 0;
  /// A secret that may be left out: not echoed; an empty answer returns nullopt. NoPrompt returns nullopt.
  virtual std::optional<std::string> optional_secret(const std::string& question) = 0;
  /// y/yes/n/no in any case; an empty answer takes `fallback`; anything else asks again.
  virtual bool confirm(const std::string& question, std::optional<bool> fallback,
                       const std::string& flag) = 0;
  /// One of `options` (not empty) picked with the arrow keys and Enter; returns its index. `fallback` is
  /// the initially marked option / the answer to an empty line; k_no_fallback (or any index out of range)
  /// means none.
  virtual std::size_t choose(const std::string& question, const std::vector<std::string>& options,
                             std::size_t fallback, const std::string& flag) = 0;
};

/// Asks on a terminal: reads from `in`, writes to `out`. Arrow-key choice and no-echo secrets work when
/// `in` is std::cin and stdin is a terminal; otherwise choices are answered by number or option text and
/// secrets are read as plain lines. The end of `in` at any question throws UsageError
/// "no answer for '<question>' (input ended); pass <flag>".
std::unique_ptr<Prompter> make_terminal_prompter(std::istream& in, std::ostream& out);

/// Never asks: confirm/choose/text return the fallback when the question has one (optional_secret
/// nullopt), everything else (and secret always) throws UsageError "missing answer for '<question>': pass
/// <flag>", the question without a trailing '?' or ':'.
std::unique_ptr<Prompter> make_no_prompt();

/// Whether the environment variable CI asks for unattended runs: set, non-empty, not "false" or "0".
bool running_in_ci();

/// The prompter for this process: NoPrompt when `no_prompt`, stdin is not a terminal, or running_in_ci();
/// else a terminal prompter reading std::cin and writing std::cerr (stdout stays for results).
std::unique_ptr<Prompter> make_prompter(bool no_prompt);

} // namespace syntask::prompt
