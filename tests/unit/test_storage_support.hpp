// SPDX-License-Identifier: Apache-2.0
// An in-memory ObjectStore for the transfer engine's tests: every connection shares one bucket, records
// the operations made, and can be told to fail.
#pragma once

#include <syntask/storage/object_store.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace syntask::testing {

struct MemoryBucket {
  std::mutex mutex;
  std::map<std::string, std::string> objects;
  std::map<std::string, bool> markers; ///< keys reported as directory markers
  std::vector<std::string> writes;     ///< keys written, in order (files, parts completed, manifests)
  std::vector<std::string> removes;
  int lists = 0;
  int reads = 0;
  int connections = 0;
  int transient_failures = 0; ///< the next N writes fail with a transient error
  std::string fail_key;       ///< writes of this key fail permanently
  int fail_part = 0;          ///< parts of this number fail permanently
  int aborts = 0;             ///< multipart uploads aborted

  // Requests in flight (writes, parts, starts and completes), and the most there ever were at once.
  int in_flight = 0;
  int peak_in_flight = 0;
  /// When > 0, each file or part request waits until this many are in flight at once (then the gate stays
  /// open), or 10 s at most: a test sets it to see requests overlap without relying on timing.
  int gate = 0;
  bool gate_open = false;
  std::condition_variable gate_changed;
};

/// Counts one request as in flight for its lifetime, and holds it at the bucket's gate.
class InFlight {
public:
  /// Starts and completes are counted but not held: they cannot overlap with the parts they order.
  explicit InFlight(MemoryBucket& bucket, bool gated = true) : m_bucket(bucket)
  {
    std::unique_lock lock(m_bucket.mutex);
    m_bucket.peak_in_flight = std::max(m_bucket.peak_in_flight, ++m_bucket.in_flight);
    if (m_bucket.gate > 0 && m_bucket.in_flight >= m_bucket.gate) {
      m_bucket.gate_open = true;
      m_bucket.gate_changed.notify_all();
    }
    if (gated && m_bucket.gate > 0) {
      m_bucket.gate_changed.wait_for(lock, std::chrono::seconds(10), [this] { return m_bucket.gate_open; });
    }
  }
  ~InFlight()
  {
    const std::lock_guard lock(m_bucket.mutex);
    --m_bucket.in_flight;
  }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

private:
  MemoryBucket& m_bucket;
};

class MemoryStore : public storage::ObjectStore {
public:
  explicit MemoryStore(std::shared_ptr<MemoryBucket> bucket, std::uint64_t threshold = 0,
                       std::uint64_t part = 4)
      : m_bucket(std::move(bucket)), m_threshold(threshold), m_part(part)
  {
  }

  std::string describe() const override { return "mem://bucket"; }

  void list(std::string_view prefix, const std::function<void(const storage::ObjectInfo&)>& visit) override
  {
    std::vector<storage::ObjectInfo> found;
    {
      const std::lock_guard lock(m_bucket->mutex);
      ++m_bucket->lists;
      for (const auto& [key, data] : m_bucket->objects) {
        if (key.compare(0, prefix.size(), prefix) == 0) {
          found.push_back({key, data.size(), "", m_bucket->markers.count(key) > 0});
        }
      }
    }
    for (const auto& info : found) {
      visit(info);
    }
  }

  std::optional<storage::ObjectInfo> stat(std::string_view key) override
  {
    const std::lock_guard lock(m_bucket->mutex);
    const auto found = m_bucket->objects.find(std::string(key));
    if (found == m_bucket->objects.end()) {
      return std::nullopt;
    }
    return storage::ObjectInfo{found->first, found->second.size(), "", false};
  }

  void put_file(std::string_view key, const std::filesystem::path& file,
                const storage::ProgressCallback& progress) override
  {
    const InFlight request(*m_bucket);
    std::ifstream in(file, std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    store(key, data.str());
    if (progress) {
      progress(static_cast<std::int64_t>(data.str().size()));
    }
  }

  void put_bytes(std::string_view key, std::string_view data, std::string_view) override
  {
    store(key, std::string(data));
  }

  void get_file(std::string_view key, const std::filesystem::path& destination,
                const storage::ProgressCallback& progress) override
  {
    std::string data;
    {
      const std::lock_guard lock(m_bucket->mutex);
      const auto found = m_bucket->objects.find(std::string(key));
      if (found == m_bucket->objects.end()) {
        throw RemoteError("'mem://bucket/" + std::string(key) + "' not found", false);
      }
      data = found->second;
    }
    std::ofstream out(destination, std::ios::binary | std::ios::trunc);
    out << data;
    if (progress) {
      progress(static_cast<std::int64_t>(data.size()));
    }
  }

  std::optional<std::string> get_bytes(std::string_view key) override
  {
    const std::lock_guard lock(m_bucket->mutex);
    ++m_bucket->reads;
    const auto found = m_bucket->objects.find(std::string(key));
    if (found == m_bucket->objects.end()) {
      return std::nullopt;
    }
    return found->second;
  }

  void remove(std::string_view key) override
  {
    const std::lock_guard lock(m_bucket->mutex);
    m_bucket->removes.emplace_back(key);
    m_bucket->objects.erase(std::string(key));
  }

  std::unique_ptr<storage::MultipartUpload> start_multipart(std::string_view key) override
  {
    const InFlight request(*m_bucket, false);
    return std::make_unique<Upload>(*this, std::string(key));
  }

  std::uint64_t multipart_threshold() const override { return m_threshold; }
  std::uint64_t part_size() const override { return m_part; }

  std::unique_ptr<storage::ObjectStore> connect_again() const override
  {
    {
      const std::lock_guard lock(m_bucket->mutex);
      ++m_bucket->connections;
    }
    return std::make_unique<MemoryStore>(m_bucket, m_threshold, m_part);
  }

  /// Puts an object directly, as another tool would.
  static void plant(MemoryBucket& bucket, const std::string& key, const std::string& data,
                    bool marker = false)
  {
    bucket.objects[key] = data;
    if (marker) {
      bucket.markers[key] = true;
    }
  }

private:
  // Parts may come from several threads at once, as from the real backends.
  class Upload : public storage::MultipartUpload {
  public:
    Upload(MemoryStore& store, std::string key) : m_store(store), m_key(std::move(key)) {}
    void put_part(int number, const std::filesystem::path& file, std::uint64_t offset, std::uint64_t length,
                  const storage::ProgressCallback& progress) override
    {
      const InFlight request(*m_store.m_bucket);
      if (number == m_store.m_bucket->fail_part) {
        throw RemoteError(
            "PUT 'mem://bucket/" + m_key + "' part " + std::to_string(number) + ": 500 InternalError", false);
      }
      std::ifstream in(file, std::ios::binary);
      in.seekg(static_cast<std::streamoff>(offset));
      std::string data(length, '\0');
      in.read(data.data(), static_cast<std::streamsize>(length));
      {
        const std::lock_guard lock(m_mutex);
        m_parts[number] = data;
      }
      if (progress) {
        progress(static_cast<std::int64_t>(length));
      }
    }
    void complete() override
    {
      const InFlight request(*m_store.m_bucket, false);
      std::string whole;
      {
        const std::lock_guard lock(m_mutex);
        for (const auto& [number, data] : m_parts) {
          whole += data;
        }
      }
      m_store.store(m_key, whole);
    }
    void abort() noexcept override
    {
      const std::lock_guard lock(m_mutex);
      m_parts.clear();
      const std::lock_guard bucket_lock(m_store.m_bucket->mutex);
      ++m_store.m_bucket->aborts;
    }

  private:
    MemoryStore& m_store;
    std::string m_key;
    std::mutex m_mutex;
    std::map<int, std::string> m_parts;
  };

  void store(std::string_view key, std::string data)
  {
    const std::lock_guard lock(m_bucket->mutex);
    if (m_bucket->transient_failures > 0) {
      --m_bucket->transient_failures;
      throw RemoteError("PUT 'mem://bucket/" + std::string(key) + "': 503 SlowDown", true);
    }
    if (!m_bucket->fail_key.empty() && key == m_bucket->fail_key) {
      throw RemoteError("PUT 'mem://bucket/" + std::string(key) + "': 500 InternalError", false);
    }
    m_bucket->writes.emplace_back(key);
    m_bucket->objects[std::string(key)] = std::move(data);
  }

  std::shared_ptr<MemoryBucket> m_bucket;
  std::uint64_t m_threshold;
  std::uint64_t m_part;
};

/// A fresh directory under the system's temporary directory, removed at the end of scope.
struct TempTree {
  std::filesystem::path root;
  explicit TempTree(const std::string& name)
  {
    static int counter = 0;
    root = std::filesystem::temp_directory_path() /
           ("syntask-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root);
  }
  ~TempTree() { std::filesystem::remove_all(root); }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  void write(const std::string& relative, const std::string& data) const
  {
    const auto path = root / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
  }
  std::string read(const std::string& relative) const
  {
    std::ifstream in(root / relative, std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    return data.str();
  }
};

} // namespace syntask::testing
