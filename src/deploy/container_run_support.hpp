// SPDX-License-Identifier: Apache-2.0
// Private: what a container run needs around the daemon calls: a watch for Ctrl-C and termination
// signals, and output that masks secrets line by line.
#pragma once

#include <atomic>
#include <functional>
#include <ostream>
#include <streambuf>
#include <string>
#include <thread>

namespace syntask::util {
class Redactor;
}

namespace syntask::deploy {

/// While it exists, SIGINT, SIGTERM and SIGHUP no longer end the process: the first one calls
/// `on_interrupt` on a thread of the watch's own (later ones are ignored). The previous handlers come
/// back when it is destroyed. One watch at a time.
class InterruptWatch {
public:
  explicit InterruptWatch(std::function<void()> on_interrupt);
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  bool interrupted() const { return m_interrupted; }

private:
  std::function<void()> m_on_interrupt;
  std::atomic<bool> m_interrupted{false};
  std::thread m_thread;
};

/// An output stream writing whole lines to `target` through `redactor`, so that a secret split across
/// writes is still masked; a last line without a newline goes out at finish() or destruction.
class RedactedStream : public std::ostream {
public:
  RedactedStream(std::ostream& target, const util::Redactor& redactor);
  ~RedactedStream() override;
  void finish();

private:
  class Buffer : public std::streambuf {
  public:
    Buffer(std::ostream& target, const util::Redactor& redactor) : m_target(target), m_redactor(redactor) {}
    void finish();

  protected:
    int_type overflow(int_type ch) override;
    std::streamsize xsputn(const char* data, std::streamsize count) override;

  private:
    void write_lines();
    std::ostream& m_target;
    const util::Redactor& m_redactor;
    std::string m_pending;
  };
  Buffer m_buffer;
};

} // namespace syntask::deploy
