// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/util/interrupt.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace syntask::util {

namespace {

constexpr std::array k_signals{SIGINT, SIGTERM, SIGHUP};

std::atomic<bool> g_requested{false};
std::atomic<int> g_signal{0};
// A signal handler may only write to a pipe: the watcher thread reads it. 1 = a signal, 0 = stop.
std::atomic<int> g_write_end{-1};
thread_local int t_shields = 0;

struct Watch {
  // Held across the install and removal of the handlers and the watcher thread.
  std::mutex lifecycle;
  // Held while the callbacks run, so that a scope that ends waits until its callback is done.
  std::mutex callbacks_mutex;
  std::vector<std::pair<unsigned long, std::function<void()>>> callbacks;
  unsigned long next_id = 1;
  int scopes = 0;
  int pipe_ends[2] = {-1, -1};
  std::thread watcher;
  std::array<struct sigaction, k_signals.size()> previous{};
};

Watch& watch()
{
  static Watch instance;
  return instance;
}

void on_signal(int number)
{
  if (g_requested.exchange(true)) {
    // The second signal: the user means it.
    ::signal(number, SIG_DFL);
    ::raise(number);
    return;
  }
  g_signal = number;
  const int saved = errno;
  const char byte = 1;
  [[maybe_unused]] const auto written = ::write(g_write_end.load(), &byte, 1);
  errno = saved;
}

char read_byte(int fd)
{
  char byte = 0;
  while (::read(fd, &byte, 1) < 0 && errno == EINTR) {
  }
  return byte;
}

void run_callbacks(Watch& state)
{
  const InterruptShield shield;
  std::lock_guard lock(state.callbacks_mutex);
  for (auto entry = state.callbacks.rbegin(); entry != state.callbacks.rend(); ++entry) {
    try {
      if (entry->second) {
        entry->second();
      }
    } catch (...) {
      // A failed cleanup must not keep the others from running; the work itself reports the interrupt.
    }
  }
}

void start_watching(Watch& state)
{
  if (::pipe2(state.pipe_ends, O_CLOEXEC) != 0) {
    throw Error("cannot watch for interrupts: " + std::string(std::strerror(errno)));
  }
  g_write_end = state.pipe_ends[1];
  const int read_end = state.pipe_ends[0];
  state.watcher = std::thread([&state, read_end] {
    while (read_byte(read_end) == 1) {
      run_callbacks(state);
    }
  });
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (std::size_t i = 0; i < k_signals.size(); ++i) {
    ::sigaction(k_signals[i], nullptr, &state.previous[i]);
    // A signal ignored from the start stays ignored (a background job of a script, nohup), as in shells.
    if (state.previous[i].sa_handler != SIG_IGN) {
      ::sigaction(k_signals[i], &action, nullptr);
    }
  }
}

void stop_watching(Watch& state)
{
  for (std::size_t i = 0; i < k_signals.size(); ++i) {
    ::sigaction(k_signals[i], &state.previous[i], nullptr);
  }
  const char stop = 0;
  [[maybe_unused]] const auto written = ::write(state.pipe_ends[1], &stop, 1);
  state.watcher.join();
  g_write_end = -1;
  ::close(state.pipe_ends[0]);
  ::close(state.pipe_ends[1]);
  state.pipe_ends[0] = state.pipe_ends[1] = -1;
}

} // namespace

InterruptScope::InterruptScope() : InterruptScope(std::function<void()>()) {}

InterruptScope::InterruptScope(std::function<void()> on_interrupt)
{
  auto& state = watch();
  std::lock_guard lifecycle(state.lifecycle);
  if (state.scopes == 0) {
    start_watching(state);
  }
  ++state.scopes;
  std::lock_guard lock(state.callbacks_mutex);
  m_id = state.next_id++;
  state.callbacks.emplace_back(m_id, std::move(on_interrupt));
}

InterruptScope::~InterruptScope()
{
  auto& state = watch();
  std::lock_guard lifecycle(state.lifecycle);
  {
    std::lock_guard lock(state.callbacks_mutex);
    for (auto entry = state.callbacks.begin(); entry != state.callbacks.end(); ++entry) {
      if (entry->first == m_id) {
        state.callbacks.erase(entry);
        break;
      }
    }
  }
  if (--state.scopes == 0) {
    stop_watching(state);
  }
}

InterruptShield::InterruptShield()
{
  ++t_shields;
}

InterruptShield::~InterruptShield()
{
  --t_shields;
}

bool interrupt_requested()
{
  return t_shields == 0 && g_requested.load();
}

void throw_if_interrupted()
{
  if (interrupt_requested()) {
    throw Interrupted();
  }
}

int interrupt_signal()
{
  return g_signal.load();
}

void reset_interrupt_for_tests()
{
  g_requested = false;
  g_signal = 0;
}

} // namespace syntask::util
