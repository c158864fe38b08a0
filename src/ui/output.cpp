// SPDX-License-Identifier: Apache-2.0
#include <syntask/ui/output.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>

#include <iostream>

namespace syntask::ui {

namespace {

// https://no-color.org: any non-empty value turns colour off.
bool colour_allowed()
{
  const auto no_color = util::get_env("NO_COLOR");
  return !no_color || no_color->empty();
}

const char* colour_code(Style style)
{
  switch (style) {
  case Style::bold:
    return "\x1b[1m";
  case Style::green:
    return "\x1b[32m";
  case Style::yellow:
    return "\x1b[33m";
  case Style::red:
    return "\x1b[31m";
  case Style::dim:
    return "\x1b[2m";
  case Style::plain:
    break;
  }
  return "";
}

constexpr const char* k_reset = "\x1b[0m";

std::string scrub(std::string_view text)
{
  return util::Redactor::global().scrub(text);
}

} // namespace

Output::Output(std::ostream& out, std::ostream& err, bool json_mode, bool out_is_tty, bool err_is_tty)
    : m_out(out), m_err(err), m_json(json_mode), m_out_colour(out_is_tty && colour_allowed()),
      m_err_colour(err_is_tty && colour_allowed())
{
}

Output& Output::global()
{
  static Output output(std::cout, std::cerr, false, util::stdout_is_tty(), util::stderr_is_tty());
  return output;
}

void Output::result(std::string_view line, Style style)
{
  if (m_json) {
    return;
  }
  m_out << styled(scrub(line), style, false) << '\n';
}

void Output::json_result(const nlohmann::json& document)
{
  if (!m_json) {
    return;
  }
  // Invalid UTF-8 in a value must not turn a finished command into a crash.
  m_out << util::Redactor::global().scrub_document(document).dump(2, ' ', false,
                                                                  nlohmann::json::error_handler_t::replace)
        << '\n'
        << std::flush;
}

void Output::info(std::string_view line)
{
  m_err << scrub(line) << '\n';
}

void Output::warn(std::string_view line)
{
  m_err << styled("syntask: warning:", Style::yellow, true) << ' ' << scrub(line) << '\n';
}

void Output::error(std::string_view line)
{
  m_err << styled("syntask: error:", Style::red, true) << ' ' << scrub(line) << '\n';
}

std::ostream& Output::program_output()
{
  // Under --json stdout holds only the document, so programs that steps run print to stderr.
  return m_json ? m_err : m_out;
}

std::string Output::styled(std::string_view text, Style style, bool for_stderr) const
{
  const bool colour = !m_json && (for_stderr ? m_err_colour : m_out_colour);
  if (!colour || style == Style::plain) {
    return std::string(text);
  }
  return colour_code(style) + std::string(text) + k_reset;
}

} // namespace syntask::ui
