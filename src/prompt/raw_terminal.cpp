// SPDX-License-Identifier: Apache-2.0
#include "prompt/raw_terminal.hpp"

#include <array>
#include <csignal>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace syntask::prompt::detail {

namespace {

constexpr std::array k_fatal_signals{SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// Signal handlers may only touch these; they are written before the handlers are installed.
struct termios g_saved_settings;
int g_saved_fd = -1;
volatile std::sig_atomic_t g_raw_active = 0;
std::array<struct sigaction, k_fatal_signals.size()> g_previous_actions;

void restore_then_resignal(int signal_number)
{
  if (g_raw_active != 0) {
    ::tcsetattr(g_saved_fd, TCSANOW, &g_saved_settings);
    g_raw_active = 0;
  }
  for (std::size_t i = 0; i < k_fatal_signals.size(); ++i) {
    if (k_fatal_signals[i] == signal_number) {
      ::sigaction(signal_number, &g_previous_actions[i], nullptr);
    }
  }
  // Blocked until this handler returns; then the previous action (default: terminate) takes over.
  ::raise(signal_number);
}

void install_handlers()
{
  struct sigaction action {};
  action.sa_handler = restore_then_resignal;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < k_fatal_signals.size(); ++i) {
    ::sigaction(k_fatal_signals[i], &action, &g_previous_actions[i]);
  }
}

void remove_handlers()
{
  for (std::size_t i = 0; i < k_fatal_signals.size(); ++i) {
    ::sigaction(k_fatal_signals[i], &g_previous_actions[i], nullptr);
  }
}

struct winsize window_size(int fd)
{
  struct winsize size {};
  if (::ioctl(fd, TIOCGWINSZ, &size) != 0) {
    size = {};
  }
  return size;
}

} // namespace

RawTerminal::RawTerminal(int fd) : m_fd(fd)
{
  struct termios settings {};
  if (g_raw_active != 0 || ::isatty(fd) == 0 || ::tcgetattr(fd, &settings) != 0) {
    return;
  }
  g_saved_settings = settings;
  g_saved_fd = fd;
  g_raw_active = 1;
  install_handlers();

  // Output processing stays on so "\n" still returns the carriage.
  settings.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
  settings.c_iflag &= ~static_cast<tcflag_t>(ICRNL | IXON);
  settings.c_cc[VMIN] = 1;
  settings.c_cc[VTIME] = 0;
  if (::tcsetattr(fd, TCSANOW, &settings) != 0) {
    g_raw_active = 0;
    remove_handlers();
    return;
  }
  m_active = true;
}

RawTerminal::~RawTerminal()
{
  if (!m_active) {
    return;
  }
  if (g_raw_active != 0) {
    ::tcsetattr(m_fd, TCSANOW, &g_saved_settings);
    g_raw_active = 0;
  }
  remove_handlers();
}

int terminal_rows(int fd)
{
  const auto size = window_size(fd);
  return size.ws_row > 0 ? size.ws_row : 24;
}

int terminal_columns(int fd)
{
  const auto size = window_size(fd);
  return size.ws_col > 0 ? size.ws_col : 80;
}

} // namespace syntask::prompt::detail
