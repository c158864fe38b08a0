// SPDX-License-Identifier: Apache-2.0
#include "deploy/container_run_support.hpp"

#include <syntask/error.hpp>
#include <syntask/util/redact.hpp>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace syntask::deploy {

namespace {

constexpr std::array k_signals{SIGINT, SIGTERM, SIGHUP};

// A signal handler may only write to a pipe; the watch's thread reads it. 1 = signal, 0 = watch ends.
int g_pipe[2] = {-1, -1};
struct sigaction g_previous[k_signals.size()];

void on_signal(int)
{
  const char byte = 1;
  const int saved = errno;
  [[maybe_unused]] const auto written = ::write(g_pipe[1], &byte, 1);
  errno = saved;
}

char read_byte(int fd)
{
  char byte = 0;
  while (::read(fd, &byte, 1) < 0 && errno == EINTR) {
  }
  return byte;
}

} // namespace

InterruptWatch::InterruptWatch(std::function<void()> on_interrupt) : m_on_interrupt(std::move(on_interrupt))
{
  if (::pipe2(g_pipe, O_CLOEXEC) != 0) {
    throw Error("cannot watch for interrupts: " + std::string(std::strerror(errno)));
  }
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (std::size_t i = 0; i < k_signals.size(); ++i) {
    ::sigaction(k_signals[i], &action, &g_previous[i]);
  }
  const int read_end = g_pipe[0];
  m_thread = std::thread([this, read_end] {
    if (read_byte(read_end) == 1) {
      m_interrupted = true;
      m_on_interrupt();
    }
  });
}

InterruptWatch::~InterruptWatch()
{
  for (std::size_t i = 0; i < k_signals.size(); ++i) {
    ::sigaction(k_signals[i], &g_previous[i], nullptr);
  }
  const char stop = 0;
  [[maybe_unused]] const auto written = ::write(g_pipe[1], &stop, 1);
  m_thread.join();
  ::close(g_pipe[0]);
  ::close(g_pipe[1]);
  g_pipe[0] = g_pipe[1] = -1;
}

RedactedStream::RedactedStream(std::ostream& target, const util::Redactor& redactor)
    : std::ostream(nullptr), m_buffer(target, redactor)
{
  rdbuf(&m_buffer);
}

RedactedStream::~RedactedStream()
{
  finish();
}

void RedactedStream::finish()
{
  m_buffer.finish();
}

RedactedStream::Buffer::int_type RedactedStream::Buffer::overflow(int_type ch)
{
  if (!traits_type::eq_int_type(ch, traits_type::eof())) {
    m_pending.push_back(traits_type::to_char_type(ch));
    write_lines();
  }
  return traits_type::not_eof(ch);
}

std::streamsize RedactedStream::Buffer::xsputn(const char* data, std::streamsize count)
{
  m_pending.append(data, static_cast<std::size_t>(count));
  write_lines();
  return count;
}

void RedactedStream::Buffer::write_lines()
{
  const auto end = m_pending.rfind('\n');
  if (end == std::string::npos) {
    return;
  }
  m_target << m_redactor.scrub(std::string_view(m_pending).substr(0, end + 1)) << std::flush;
  m_pending.erase(0, end + 1);
}

void RedactedStream::Buffer::finish()
{
  if (!m_pending.empty()) {
    m_target << m_redactor.scrub(m_pending) << std::flush;
    m_pending.clear();
  }
}

} // namespace syntask::deploy
