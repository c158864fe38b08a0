// SPDX-License-Identifier: Apache-2.0
#include "prompt/arrow_menu.hpp"

#include <syntask/error.hpp>

#include "prompt/keys.hpp"
#include <algorithm>
#include <ostream>

namespace syntask::prompt::detail {

namespace {

constexpr const char* k_hide_cursor = "\x1b[?25l";
constexpr const char* k_show_cursor = "\x1b[?25h";
constexpr const char* k_clear_line = "\r\x1b[2K";
constexpr const char* k_clear_below = "\r\x1b[J";

std::string cursor_up(std::size_t lines)
{
  return "\x1b[" + std::to_string(lines) + "A";
}

// A wrapped line would throw the in-place redraw off by a row, so long options are cut.
std::string fit(const std::string& text, int columns)
{
  const auto width = static_cast<std::size_t>(std::max(columns - 3, 8));
  if (text.size() <= width) {
    return text;
  }
  std::size_t cut = width - 1;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0U) == 0x80U) {
    --cut;
  }
  return text.substr(0, cut) + "~";
}

class Menu {
public:
  Menu(std::ostream& out, const std::vector<std::string>& options, std::size_t start, MenuGeometry geometry)
      : m_out(out), m_options(options), m_current(std::min(start, options.size() - 1)),
        m_visible(std::min(options.size(), static_cast<std::size_t>(std::max(geometry.rows - 2, 1)))),
        m_columns(geometry.columns)
  {
  }

  void move(bool down)
  {
    const auto count = m_options.size();
    m_current = down ? (m_current + 1) % count : (m_current + count - 1) % count;
  }

  std::size_t current() const { return m_current; }
  std::size_t height() const { return m_visible; }

  void draw(bool redraw)
  {
    // Keep the current option inside the shown window.
    if (m_current < m_top) {
      m_top = m_current;
    } else if (m_current >= m_top + m_visible) {
      m_top = m_current + 1 - m_visible;
    }
    if (redraw) {
      m_out << cursor_up(m_visible);
    }
    for (std::size_t i = m_top; i < m_top + m_visible; ++i) {
      m_out << k_clear_line << (i == m_current ? "> " : "  ") << fit(m_options[i], m_columns) << '\n';
    }
    m_out.flush();
  }

private:
  std::ostream& m_out;
  const std::vector<std::string>& m_options;
  std::size_t m_current;
  std::size_t m_top = 0;
  std::size_t m_visible;
  int m_columns;
};

class CursorHidden {
public:
  explicit CursorHidden(std::ostream& out) : m_out(out) { m_out << k_hide_cursor; }
  ~CursorHidden() { m_out << k_show_cursor << std::flush; }
  CursorHidden(const CursorHidden&) = delete;
  CursorHidden& operator=(const CursorHidden&) = delete;

private:
  std::ostream& m_out;
};

} // namespace

std::optional<std::size_t> run_arrow_menu(std::istream& in, std::ostream& out, const std::string& label,
                                          const std::vector<std::string>& options, std::size_t start,
                                          MenuGeometry geometry)
{
  const CursorHidden cursor(out);
  Menu menu(out, options, start, geometry);
  out << "? " << label << " (arrow keys to move, enter to select)\n";
  menu.draw(false);
  for (;;) {
    const auto press = read_key(in);
    const bool up = press.key == Key::up || (press.key == Key::character && press.byte == 'k');
    const bool down = press.key == Key::down || (press.key == Key::character && press.byte == 'j');
    if (up || down) {
      menu.move(down);
      menu.draw(true);
    } else if (press.key == Key::enter) {
      out << cursor_up(menu.height() + 1) << k_clear_below << "? " << label << ' ' << options[menu.current()]
          << '\n';
      return menu.current();
    } else if (press.key == Key::interrupt) {
      throw Interrupted();
    } else if (press.key == Key::end_of_input) {
      return std::nullopt;
    }
  }
}

} // namespace syntask::prompt::detail
