// SPDX-License-Identifier: Apache-2.0
// Private: what a push remembers about the files of one tree between runs, so that a file nobody touched
// is not read again: (relative path, size, mtime, ctime, inode, device) -> SHA-256, as git's index
// remembers stat data. A remembered hash is used only when every one of those values is unchanged AND the
// file's mtime and ctime were already older than the moment the remembering push started, minus a
// safety margin: a file changed within the same tick of the file system's clock as it was read keeps its
// timestamps, and such "racily clean" files are read again until a later push sees them settled.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace syntask::storage::detail {

/// What changes when a file's content may have changed, read with stat() (symlinks followed).
struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0; ///< since the epoch
  std::int64_t ctime_ns = 0;
  std::uint64_t inode = 0;
  std::uint64_t device = 0;

  bool operator==(const FileStamp&) const = default;
};

/// The stamp of `file`; throws syntask::Error "cannot read 'FILE': REASON".
FileStamp stamp_file(const std::filesystem::path& file);

/// How much older than the remembering push a file's timestamps must be for its hash to be trusted:
/// covers clocks that tick coarsely (the kernel's file time tick, 1 or 2 s on some file systems) and the
/// gap between the clock read and the first file looked at.
inline constexpr std::chrono::nanoseconds k_racy_margin = std::chrono::seconds(2);

/// The cache of one tree. Not thread-safe for writers; lookup() may run on many threads at once.
class HashCache {
public:
  /// Where the cache of `root` (an absolute path) lives in `directory`: the SHA-256 of the path, ".json".
  static std::filesystem::path file_for(const std::filesystem::path& directory,
                                        const std::filesystem::path& root);

  /// The cache in `file` when it was written for `root`; empty when the file is missing, unreadable, not a
  /// cache, or written for another root (a cache is only an optimisation: it is rebuilt silently).
  static HashCache load(const std::filesystem::path& file, const std::filesystem::path& root);

  /// The remembered SHA-256 of `path` when it was remembered with exactly `stamp` and both the stamp's
  /// mtime and ctime are earlier than taken_at() - k_racy_margin; nullopt otherwise.
  std::optional<std::string> lookup(std::string_view path, const FileStamp& stamp) const;

  /// Remembers a hash read from the file while it had `stamp` (taken before the file was read).
  void remember(std::string path, const FileStamp& stamp, std::string sha256);

  /// When the push that filled the cache started looking at the files (ns since the epoch).
  std::int64_t taken_at() const { return m_taken_at; }
  void set_taken_at(std::int64_t nanoseconds) { m_taken_at = nanoseconds; }

  std::size_t size() const { return m_entries.size(); }
  /// Whether both remember the same files with the same stamps and hashes (taken_at aside).
  bool same_entries(const HashCache& other) const { return m_entries == other.m_entries; }

  /// Writes the cache for `root` to `file` through a temporary file and a rename (mode 0600), creating its
  /// directory. Returns false instead of throwing when it cannot: the next push reads the files again.
  bool save(const std::filesystem::path& file, const std::filesystem::path& root) const;

private:
  struct Entry {
    FileStamp stamp;
    std::string sha256;

    bool operator==(const Entry&) const = default;
  };

  std::map<std::string, Entry, std::less<>> m_entries;
  std::int64_t m_taken_at = 0;
};

/// Now, on the clock file times come from, in ns since the epoch.
std::int64_t now_ns();

} // namespace syntask::storage::detail
