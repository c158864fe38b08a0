// SPDX-License-Identifier: Apache-2.0
#include "docker/streamed_body.hpp"

#include <syntask/error.hpp>

#include <cstring>
#include <limits>

namespace syntask::docker {

namespace {

// Thrown into the producer to stop it when the consumer has gone away.
struct Cancelled {};

} // namespace

StreamedBody::StreamedBody(Producer produce, std::size_t max_chunks)
    : m_produce(std::move(produce)), m_max_chunks(std::max<std::size_t>(1, max_chunks))
{
}

StreamedBody::~StreamedBody()
{
  stop();
}

void StreamedBody::stop()
{
  {
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
  }
  m_changed.notify_all();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

std::uint64_t StreamedBody::size() const
{
  return std::numeric_limits<std::uint64_t>::max();
}

void StreamedBody::produce()
{
  try {
    m_produce([this](std::string_view data) {
      std::unique_lock lock(m_mutex);
      m_changed.wait(lock, [this] { return m_cancelled || m_chunks.size() < m_max_chunks; });
      if (m_cancelled) {
        throw Cancelled{};
      }
      m_chunks.emplace_back(data);
      m_changed.notify_all();
    });
    std::lock_guard lock(m_mutex);
    m_done = true;
  } catch (const Cancelled&) {
    std::lock_guard lock(m_mutex);
    m_done = true;
  } catch (...) {
    std::lock_guard lock(m_mutex);
    m_failure = std::current_exception();
    m_done = true;
  }
  m_changed.notify_all();
}

std::size_t StreamedBody::read(char* buffer, std::size_t capacity)
{
  std::unique_lock lock(m_mutex);
  if (!m_started) {
    m_started = true;
    m_thread = std::thread([this] { produce(); });
  }
  m_read_any = true;
  m_changed.wait(lock, [this] { return m_done || !m_chunks.empty(); });
  if (m_failure) {
    std::rethrow_exception(m_failure);
  }
  if (m_chunks.empty()) {
    return 0;
  }
  auto& front = m_chunks.front();
  const auto count = std::min(capacity, front.size() - m_offset);
  std::memcpy(buffer, front.data() + m_offset, count);
  m_offset += count;
  if (m_offset == front.size()) {
    m_chunks.pop_front();
    m_offset = 0;
    m_changed.notify_all();
  }
  return count;
}

void StreamedBody::rewind()
{
  std::lock_guard lock(m_mutex);
  if (m_read_any) {
    throw RemoteError("a streamed request body was already sent and cannot be sent again", false);
  }
}

} // namespace syntask::docker
