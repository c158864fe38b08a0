// SPDX-License-Identifier: Apache-2.0
// Private: what upload_tree and download_tree share: the worker pool, whole-file retries and progress.
#pragma once

#include <syntask/storage/object_store.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace syntask::storage::detail {

/// A local failure of a transfer (a file that cannot be read or written, a tree that does not fit).
class TransferError : public Error {
public:
  using Error::Error;
};

/// Runs work(worker, i) for i in [0, count) on `workers` threads (worker in [0, workers)); on the calling
/// thread when workers is 1. After the first failure no new item starts; the first exception is rethrown
/// once every thread has stopped.
void parallel_for(std::size_t count, std::size_t workers,
                  const std::function<void(std::size_t, std::size_t)>& work);

/// Runs work(store, i) for i in [0, count) on at most `concurrency` threads, each with its own connection
/// from store.connect_again() (the calling thread's `store` when one worker is enough). After the first
/// failure no new item starts; the first exception is rethrown once every worker has stopped.
void run_parallel(ObjectStore& store, std::size_t count, int concurrency,
                  const std::function<void(ObjectStore&, std::size_t)>& work);

/// Calls attempt() until it succeeds, retrying a RemoteError marked transient() up to k_file_attempts times
/// in all, with a short growing pause. Anything else propagates at once.
void with_retries(const std::function<void()>& attempt);


/// Counts files and bytes moved; draws one self-overwriting line on a terminal while active.
class Progress {
public:
  /// `verb` as in "Uploading"; draws only when `live` and `out` is set.
  Progress(std::string verb, std::size_t files_total, std::uint64_t bytes_total, std::ostream* out,
           bool live);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void add_bytes(std::int64_t bytes) { m_bytes.fetch_add(bytes); }
  void file_done() { m_files.fetch_add(1); }
  /// Stops drawing and clears the line.
  void finish();
  double seconds() const;
  std::uint64_t bytes() const { return m_bytes.load() < 0 ? 0 : static_cast<std::uint64_t>(m_bytes.load()); }

private:
  void draw();

  std::string m_verb;
  std::size_t m_files_total;
  std::uint64_t m_bytes_total;
  std::ostream* m_out;
  std::atomic<std::size_t> m_files{0};
  std::atomic<std::int64_t> m_bytes{0};
  std::chrono::steady_clock::time_point m_start;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_done = false;
  std::thread m_drawer;
};

} // namespace syntask::storage::detail
