// SPDX-License-Identifier: Apache-2.0
// Private: a build context as a request body, produced by stream_build_context on its own thread into a
// bounded queue and consumed by the HTTP client's reads, so memory stays flat whatever the context size.
#pragma once

#include <syntask/docker/build_context.hpp>
#include <syntask/http/client.hpp>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace syntask::docker {

class ContextSource : public http::BodySource {
public:
  ContextSource(std::filesystem::path root, std::string dockerfile, std::size_t max_chunks = 32);
  ~ContextSource() override;
  ContextSource(const ContextSource&) = delete;
  ContextSource& operator=(const ContextSource&) = delete;

  /// Unknown ahead: the maximum, which the client sends as a chunked body.
  std::uint64_t size() const override;
  /// Hands on the tar as it is produced; rethrows the producer's error (an unreadable file).
  std::size_t read(char* buffer, std::size_t capacity) override;
  /// Allowed only before the first byte was read: a streamed context cannot be sent twice.
  void rewind() override;

  /// What was sent (valid once read() returned 0).
  const BuildContextSummary& summary() const { return m_summary; }

private:
  void produce();
  void stop();

  std::filesystem::path m_root;
  std::string m_dockerfile;
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
  BuildContextSummary m_summary;
};

} // namespace syntask::docker
