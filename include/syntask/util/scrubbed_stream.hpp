// SPDX-License-Identifier: Apache-2.0
// An output stream that scrubs secrets (util::Redactor) from what goes through it, a line at a time, so
// that a secret written in several pieces is still found. For what steps and the programs they run
// print: nothing reaches the terminal without passing the redactor.
#pragma once

#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

namespace syntask::util {

class Redactor;

/// Holds text until a line ends ('\n', or '\r' for a progress line redrawn in place) or the stream is
/// flushed, then writes it to the target scrubbed. Safe to write from several threads.
class ScrubbedBuffer : public std::streambuf {
public:
  ScrubbedBuffer(std::ostream& target, const Redactor& redactor);
  ~ScrubbedBuffer() override;
  ScrubbedBuffer(const ScrubbedBuffer&) = delete;
  ScrubbedBuffer& operator=(const ScrubbedBuffer&) = delete;

protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* text, std::streamsize count) override;
  int sync() override;

private:
  void emit(); // with m_mutex held

  std::ostream& m_target;
  const Redactor& m_redactor;
  std::mutex m_mutex;
  std::string m_pending;
};

/// An std::ostream over a ScrubbedBuffer.
class ScrubbedStream : public std::ostream {
public:
  ScrubbedStream(std::ostream& target, const Redactor& redactor);

private:
  ScrubbedBuffer m_buffer;
};

} // namespace syntask::util
