// SPDX-License-Identifier: Apache-2.0
// Private: output of a container run that masks secrets line by line.
#pragma once

#include <ostream>
#include <streambuf>
#include <string>

namespace syntask::util {
class Redactor;
}

namespace syntask::deploy {

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
