// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/redact.hpp>
#include <syntask/util/scrubbed_stream.hpp>

namespace syntask::util {

ScrubbedBuffer::ScrubbedBuffer(std::ostream& target, const Redactor& redactor)
    : m_target(target), m_redactor(redactor)
{
}

ScrubbedBuffer::~ScrubbedBuffer()
{
  const std::lock_guard lock(m_mutex);
  emit();
  m_target.flush();
}

ScrubbedBuffer::int_type ScrubbedBuffer::overflow(int_type ch)
{
  if (traits_type::eq_int_type(ch, traits_type::eof())) {
    return traits_type::not_eof(ch);
  }
  const char c = traits_type::to_char_type(ch);
  xsputn(&c, 1);
  return ch;
}

std::streamsize ScrubbedBuffer::xsputn(const char* text, std::streamsize count)
{
  const std::lock_guard lock(m_mutex);
  for (std::streamsize i = 0; i < count; ++i) {
    m_pending += text[i];
    if (text[i] == '\n' || text[i] == '\r') {
      emit();
    }
  }
  return count;
}

int ScrubbedBuffer::sync()
{
  const std::lock_guard lock(m_mutex);
  emit();
  m_target.flush();
  return m_target ? 0 : -1;
}

void ScrubbedBuffer::emit()
{
  if (!m_pending.empty()) {
    m_target << m_redactor.scrub(m_pending);
    m_pending.clear();
  }
}

ScrubbedStream::ScrubbedStream(std::ostream& target, const Redactor& redactor)
    : std::ostream(nullptr), m_buffer(target, redactor)
{
  rdbuf(&m_buffer);
}

} // namespace syntask::util
