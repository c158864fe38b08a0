// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/log_sink.hpp>
#include <syntask/util/redact.hpp>

#include <ostream>
#include <string_view>

namespace syntask::util {

ScrubbingLogSink::ScrubbingLogSink(std::ostream& target, const Redactor& redactor)
    : m_target(target), m_redactor(redactor)
{
}

void ScrubbingLogSink::sink_it_(const spdlog::details::log_msg& message)
{
  spdlog::memory_buf_t formatted;
  formatter_->format(message, formatted);
  m_target << m_redactor.scrub(std::string_view(formatted.data(), formatted.size()));
}

void ScrubbingLogSink::flush_()
{
  m_target.flush();
}

} // namespace syntask::util
