// SPDX-License-Identifier: Apache-2.0
// Raw keyboard input on a terminal, restored on every way out.
#pragma once

namespace syntask::prompt::detail {

/// While alive, the terminal on `fd` delivers each key as it is pressed, without echo, and Ctrl-C as
/// byte 3 instead of a signal. The destructor restores the previous settings. Should the process be
/// signalled meanwhile (SIGINT, SIGTERM, SIGHUP, SIGQUIT), the settings are restored before the
/// signal's previous action runs. Does nothing when `fd` is not a terminal or another RawTerminal is
/// alive.
class RawTerminal {
public:
  explicit RawTerminal(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

  /// Whether this object changed the terminal (and will restore it).
  bool active() const { return m_active; }

private:
  int m_fd;
  bool m_active = false;
};

/// The terminal's size, or 24 rows and 80 columns when `fd` is not a terminal or reports zero.
int terminal_rows(int fd);
int terminal_columns(int fd);

} // namespace syntask::prompt::detail
