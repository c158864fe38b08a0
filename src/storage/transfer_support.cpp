// SPDX-License-Identifier: Apache-2.0
#include "storage/transfer_support.hpp"

#include <syntask/storage/transfer.hpp>
#include <syntask/util/retry.hpp>
#include <syntask/util/strings.hpp>

#include <cstdio>
#include <exception>
#include <vector>

namespace syntask::storage::detail {

void parallel_for(std::size_t count, std::size_t workers,
                  const std::function<void(std::size_t, std::size_t)>& work)
{
  if (workers <= 1) {
    for (std::size_t i = 0; i < count; ++i) {
      work(0, i);
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      while (!failed.load()) {
        const auto i = next.fetch_add(1);
        if (i >= count) {
          return;
        }
        try {
          work(w, i);
        } catch (...) {
          const std::lock_guard lock(error_mutex);
          if (!first_error) {
            first_error = std::current_exception();
          }
          failed = true;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  if (first_error) {
    std::rethrow_exception(first_error);
  }
}

void run_parallel(ObjectStore& store, std::size_t count, int concurrency,
                  const std::function<void(ObjectStore&, std::size_t)>& work)
{
  if (count == 0) {
    return;
  }
  const auto workers = std::min<std::size_t>(count, static_cast<std::size_t>(std::max(concurrency, 1)));
  if (workers == 1) {
    parallel_for(count, 1, [&](std::size_t, std::size_t i) { work(store, i); });
    return;
  }
  // Connections are opened here, on the calling thread: opening may consult shared state (credentials,
  // token caches) that the store does not promise to guard.
  std::vector<std::unique_ptr<ObjectStore>> connections;
  for (std::size_t i = 0; i < workers; ++i) {
    connections.push_back(store.connect_again());
  }
  parallel_for(count, workers, [&](std::size_t w, std::size_t i) { work(*connections[w], i); });
}

void with_retries(const std::function<void()>& attempt)
{
  // The HTTP client already retried each request; these pauses cover a whole file failing anyway.
  util::with_retries({k_file_attempts, std::chrono::milliseconds(200), std::chrono::seconds(5), false},
                     attempt);
}

Progress::Progress(std::string verb, std::size_t files_total, std::uint64_t bytes_total, std::ostream* out,
                   bool live)
    : m_verb(std::move(verb)), m_files_total(files_total), m_bytes_total(bytes_total),
      m_out(live ? out : nullptr), m_start(std::chrono::steady_clock::now())
{
  if (m_out == nullptr) {
    return;
  }
  m_drawer = std::thread([this] {
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, std::chrono::milliseconds(200), [this] { return m_done; })) {
      draw();
    }
  });
}

Progress::~Progress()
{
  finish();
}

void Progress::finish()
{
  {
    const std::lock_guard lock(m_mutex);
    if (m_done) {
      return;
    }
    m_done = true;
  }
  m_wake.notify_all();
  if (m_drawer.joinable()) {
    m_drawer.join();
    *m_out << "\r\033[K" << std::flush;
  }
}

double Progress::seconds() const
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

void Progress::draw()
{
  const auto elapsed = std::max(seconds(), 0.001);
  *m_out << "\r\033[K" << m_verb << ' ' << m_files.load() << '/' << m_files_total << " files, "
         << util::human_bytes(static_cast<double>(bytes())) << " of "
         << util::human_bytes(static_cast<double>(m_bytes_total)) << ", "
         << util::human_bytes(static_cast<double>(bytes()) / elapsed) << "/s" << std::flush;
}

} // namespace syntask::storage::detail
