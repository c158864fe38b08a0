// SPDX-License-Identifier: Apache-2.0
// What the user sees: results on stdout, diagnostics on stderr, colour only on a terminal and never
// with NO_COLOR, every line scrubbed of secrets (util::Redactor::global()) before it is written. Under
// --json, stdout holds one JSON document.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <string_view>

namespace syntask::ui {

enum class Style { plain, bold, green, yellow, red, dim };

class Output {
public:
  /// Colour is on for a stream when it is a terminal and NO_COLOR is unset or empty (read here, once);
  /// it is off for both streams while json mode is on.
  Output(std::ostream& out, std::ostream& err, bool json_mode, bool out_is_tty, bool err_is_tty);
  /// The process's output on std::cout / std::cerr, colour as the terminals and NO_COLOR allow.
  static Output& global();
  void set_json(bool json_mode) { m_json = json_mode; }
  bool json() const { return m_json; }

  /// A human-readable result line on stdout (suppressed under --json).
  void result(std::string_view line, Style style = Style::plain);
  /// The JSON result document, document.dump(2) and a newline, on stdout (under --json only; ignored
  /// otherwise). Invalid UTF-8 is replaced rather than thrown.
  void json_result(const nlohmann::json& document);
  /// Diagnostics on stderr: the line as is, or after "syntask: warning: " / "syntask: error: ".
  void info(std::string_view line);
  void warn(std::string_view line);
  void error(std::string_view line);

  /// The stream programs run by steps write to: stdout normally, stderr under --json.
  std::ostream& program_output();
  std::ostream& diagnostics() { return m_err; }

  /// `text` wrapped in the style's colour codes when colour is on for that stream.
  std::string styled(std::string_view text, Style style, bool for_stderr) const;

private:
  std::ostream& m_out;
  std::ostream& m_err;
  bool m_json;
  bool m_out_colour;
  bool m_err_colour;
};

} // namespace syntask::ui
