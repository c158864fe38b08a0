// SPDX-License-Identifier: Apache-2.0
// The one sink of the developer log (--log-level): every formatted line passes the redactor before it is
// written, so a debug line that names a URL with a token, or a resolved value, never shows the secret.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <iosfwd>
#include <mutex>

namespace syntask::util {

class Redactor;

class ScrubbingLogSink : public spdlog::sinks::base_sink<std::mutex> {
public:
  ScrubbingLogSink(std::ostream& target, const Redactor& redactor);

protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override;

private:
  std::ostream& m_target;
  const Redactor& m_redactor;
};

} // namespace syntask::util
