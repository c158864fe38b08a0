// SPDX-License-Identifier: Apache-2.0
// Private: a request body made while it is sent (a build context, files for a container): a producer
// writes it on its own thread into a bounded queue that the HTTP client's reads consume, so memory stays
// flat whatever the size.
#pragma once

#include <syntask/http/client.hpp>

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>

namespace syntask::docker {

class StreamedBody : public http::BodySource {
public:
  /// Writes the whole body to the function it is given (which blocks while the queue is full and throws
  /// to stop the producer when the body is no longer wanted).
  using Producer = std::function<void(const std::function<void(std::string_view)>& write)>;

  explicit StreamedBody(Producer produce, std::size_t max_chunks = 32);
  ~StreamedBody() override;
  StreamedBody(const StreamedBody&) = delete;
  StreamedBody& operator=(const StreamedBody&) = delete;

  /// Unknown ahead: the maximum, which the client sends as a chunked body.
  std::uint64_t size() const override;
  /// Hands on the body as it is produced; rethrows the producer's error (an unreadable file).
  std::size_t read(char* buffer, std::size_t capacity) override;
  /// Allowed only before the first byte was read: a streamed body cannot be sent twice.
  void rewind() override;

private:
  void produce();
  void stop();

  Producer m_produce;
  std::size_t m_max_chunks;
  std::thread m_thread;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<std::string> m_chunks;
  std::size_t m_offset = 0; // into m_chunks.front()
  bool m_started = false;
  bool m_done = false;
  bool m_cancelled = false;
  bool m_read_any = false;
  std::exception_ptr m_failure;
};

} // namespace syntask::docker
