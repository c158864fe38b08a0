// SPDX-License-Identifier: Apache-2.0
#include "deploy/container_run_support.hpp"

#include <syntask/util/redact.hpp>

namespace syntask::deploy {

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
