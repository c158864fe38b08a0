// SPDX-License-Identifier: Apache-2.0
// Private: the order in which a push sends its requests. Whole files and the parts of large files share
// one pool of workers, so a push with one big file keeps every worker busy on its parts, and a push never
// has more requests in flight than it has workers. Pure bookkeeping: no I/O, no threads, no clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace syntask::storage::detail {

/// One request of a push.
struct UploadTask {
  enum class Kind {
    whole_file, ///< the file in one request (put_file)
    start,      ///< start_multipart for the file
    part,       ///< one part of a started multipart upload
    complete,   ///< complete() once every part of the file is stored
  };
  Kind kind = Kind::whole_file;
  std::size_t file = 0;     ///< index into the sizes the schedule was made from
  int part = 0;             ///< 1-based part number (Kind::part)
  std::uint64_t offset = 0; ///< first byte of the part in the file (Kind::part)
  std::uint64_t length = 0; ///< bytes in the part (Kind::part)

  bool operator==(const UploadTask&) const = default;
};

/// Most parts one multipart upload may have (S3's limit; Azure allows more): larger files get larger parts.
inline constexpr std::uint64_t k_max_parts = 10000;

/// Hands out the tasks of a push, each once, never before what it depends on has succeeded: a file's parts
/// after its start, its complete after all its parts. Preference: a complete that is ready, then the next
/// part of the earliest started upload, then the next file in order. After a failure nothing new is handed
/// out. Not thread-safe: callers serialise every call (one mutex around the schedule).
class UploadSchedule {
public:
  /// Files of at least `threshold` bytes (never when threshold is 0) go in parts of `part_size` bytes
  /// (at least 1), or more when the file would otherwise need more than k_max_parts parts.
  UploadSchedule(std::vector<std::uint64_t> sizes, std::uint64_t threshold, std::uint64_t part_size);

  /// The next task to run, or nullopt when none is ready now (tasks still running may make one ready;
  /// see finished()).
  std::optional<UploadTask> next();
  /// Reports that a task handed out by next() succeeded.
  void succeeded(const UploadTask& task);
  /// Reports that a task handed out by next() failed for good: no new task is handed out after this.
  void failed(const UploadTask& task);

  /// True when no task is running and none will be handed out: everything succeeded, or a failure
  /// stopped the push and the tasks running then have reported.
  bool finished() const;
  /// True when a task failed.
  bool stopped() const { return m_stopped; }
  /// The most tasks that can ever run at once: workers beyond this would idle.
  std::size_t max_parallel() const;
  /// Whether the file goes in parts, and how many.
  bool multipart(std::size_t file) const { return m_files.at(file).parts > 0; }
  int parts(std::size_t file) const { return m_files.at(file).parts; }

private:
  struct File {
    std::uint64_t size = 0;
    std::uint64_t part_size = 0;
    int parts = 0; ///< 0: one whole-file request
    int next_part = 1;
    int parts_done = 0;
  };

  std::vector<File> m_files;
  std::size_t m_next_file = 0;
  std::vector<std::size_t> m_open;  ///< started uploads with parts left to hand out, oldest first
  std::vector<std::size_t> m_ready; ///< uploads whose parts are all stored, awaiting complete
  std::size_t m_running = 0;
  std::size_t m_done = 0;
  bool m_stopped = false;
};

} // namespace syntask::storage::detail
