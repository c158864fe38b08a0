// SPDX-License-Identifier: Apache-2.0
#include <syntask/prompt/prompter.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "prompt/arrow_menu.hpp"
#include "prompt/keys.hpp"
#include "prompt/raw_terminal.hpp"
#include "prompt/wording.hpp"
#include <iostream>
#include <stdexcept>
#include <unistd.h>

namespace syntask::prompt {

namespace {

class TerminalPrompter final : public Prompter {
public:
  TerminalPrompter(std::istream& in, std::ostream& out)
      : m_in(in), m_out(out), m_on_terminal(&in == &std::cin && util::stdin_is_tty())
  {
  }

  bool interactive() const override { return true; }

  std::string text(const std::string& question, const std::optional<std::string>& fallback,
                   const std::string& flag) override
  {
    std::string shown_default;
    if (fallback && !fallback->empty()) {
      shown_default = " (" + util::Redactor::global().scrub(*fallback) + ")";
    }
    for (;;) {
      const auto answer =
          util::trim(ask("? " + detail::label(question) + shown_default + ": ", question, flag));
      if (!answer.empty()) {
        return answer;
      }
      if (fallback) {
        return *fallback;
      }
      say("an answer is required");
    }
  }

  std::string secret(const std::string& question, const std::string& flag) override
  {
    for (;;) {
      const auto answer = ask_secret(question, flag);
      if (!answer.empty()) {
        return answer;
      }
      say("an answer is required");
    }
  }

  std::optional<std::string> optional_secret(const std::string& question) override
  {
    auto answer = ask_secret(question, "");
    return answer.empty() ? std::nullopt : std::optional(std::move(answer));
  }

  bool confirm(const std::string& question, std::optional<bool> fallback, const std::string& flag) override
  {
    std::string shown_default;
    if (fallback) {
      shown_default = *fallback ? " (y)" : " (n)";
    }
    for (;;) {
      const auto answer = util::to_lower(
          util::trim(ask("? " + detail::label(question) + " [y/n]" + shown_default + ": ", question, flag)));
      if (answer.empty() && fallback) {
        return *fallback;
      }
      if (answer == "y" || answer == "yes") {
        return true;
      }
      if (answer == "n" || answer == "no") {
        return false;
      }
      say("please answer y or n");
    }
  }

  std::size_t choose(const std::string& question, const std::vector<std::string>& options,
                     std::size_t fallback, const std::string& flag) override
  {
    if (options.empty()) {
      throw std::invalid_argument("choose needs at least one option");
    }
    if (m_on_terminal) {
      return choose_with_arrows(question, options, fallback, flag);
    }
    return choose_by_number(question, options, fallback, flag);
  }

private:
  void say(const std::string& line) { m_out << "  " << line << '\n'; }

  std::string ask_secret(const std::string& question, const std::string& flag)
  {
    const std::string prompt = "? " + detail::label(question) + ": ";
    return m_on_terminal ? ask_hidden(prompt, question, flag) : ask(prompt, question, flag);
  }

  // Writes the prompt, reads one line; the end of input is the caller's failure to supply `flag`.
  std::string ask(const std::string& prompt, const std::string& question, const std::string& flag)
  {
    m_out << prompt << std::flush;
    std::string line;
    if (!std::getline(m_in, line)) {
      m_out << '\n' << std::flush;
      throw detail::input_ended(question, flag);
    }
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    return line;
  }

  std::string ask_hidden(const std::string& prompt, const std::string& question, const std::string& flag)
  {
    std::optional<std::string> line;
    {
      // Echo goes off before the prompt appears, so nothing typed after seeing it can be echoed.
      const detail::RawTerminal raw(STDIN_FILENO);
      m_out << prompt << std::flush;
      try {
        line = detail::read_hidden_line(m_in);
      } catch (...) {
        m_out << '\n' << std::flush;
        throw;
      }
    }
    // Enter was not echoed, so the cursor is still on the prompt line.
    m_out << '\n' << std::flush;
    if (!line) {
      throw detail::input_ended(question, flag);
    }
    return *line;
  }

  std::size_t choose_with_arrows(const std::string& question, const std::vector<std::string>& options,
                                 std::size_t fallback, const std::string& flag)
  {
    const detail::MenuGeometry geometry{detail::terminal_rows(STDIN_FILENO),
                                        detail::terminal_columns(STDIN_FILENO)};
    std::optional<std::size_t> chosen;
    {
      const detail::RawTerminal raw(STDIN_FILENO);
      chosen = detail::run_arrow_menu(m_in, m_out, detail::label(question), options,
                                      fallback < options.size() ? fallback : 0, geometry);
    }
    if (!chosen) {
      throw detail::input_ended(question, flag);
    }
    return *chosen;
  }

  std::size_t choose_by_number(const std::string& question, const std::vector<std::string>& options,
                               std::size_t fallback, const std::string& flag)
  {
    m_out << "? " << detail::label(question) << '\n';
    for (std::size_t i = 0; i < options.size(); ++i) {
      m_out << "  " << i + 1 << ". " << options[i] << '\n';
    }
    const bool has_fallback = fallback < options.size();
    const std::string prompt = "  Enter a number [1-" + std::to_string(options.size()) + "]" +
                               (has_fallback ? " (" + std::to_string(fallback + 1) + ")" : std::string()) +
                               ": ";
    for (;;) {
      const auto answer = util::trim(ask(prompt, question, flag));
      if (answer.empty() && has_fallback) {
        return fallback;
      }
      if (const auto index = parse_choice(answer, options)) {
        return *index;
      }
      say("please enter a number from 1 to " + std::to_string(options.size()) + " or one of the options");
    }
  }

  static std::optional<std::size_t> parse_choice(const std::string& answer,
                                                 const std::vector<std::string>& options)
  {
    if (!answer.empty() && answer.size() <= 9 &&
        answer.find_first_not_of("0123456789") == std::string::npos) {
      const auto number = std::stoul(answer);
      if (number >= 1 && number <= options.size()) {
        return number - 1;
      }
    }
    for (std::size_t i = 0; i < options.size(); ++i) {
      if (options[i] == answer) {
        return i;
      }
    }
    return std::nullopt;
  }

  std::istream& m_in;
  std::ostream& m_out;
  bool m_on_terminal;
};

} // namespace

std::unique_ptr<Prompter> make_terminal_prompter(std::istream& in, std::ostream& out)
{
  return std::make_unique<TerminalPrompter>(in, out);
}

} // namespace syntask::prompt
