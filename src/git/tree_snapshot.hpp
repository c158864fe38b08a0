// SPDX-License-Identifier: Apache-2.0
// Private: a tree's file contents kept uncompressed in one file of the clone cache.
#pragma once

#include "git/session.hpp"
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace syntask::git::detail {

/// A snapshot of a tree: the contents of its files, in the order of the index that git_index_read_tree
/// makes of the tree, in one file named after the tree id. Reading a snapshot costs one mapping instead
/// of looking up, inflating and undeltifying every object of the tree. Nothing in a snapshot is
/// trusted: each file's content is hashed and compared with its blob id before it is used.
///
/// Layout (native byte order; the cache never leaves the machine): the magic "STSNAP01", then the
/// number of files, the offset of the data and its size (three uint64), then per file its offset in
/// the data and its size (two uint64), then the data.
class SnapshotReader {
public:
  /// The snapshot at `path` when it exists and is laid out for `count` files; nullptr otherwise.
  /// Marks it as used (its modification time), which decides what prune_snapshots keeps.
  static std::unique_ptr<SnapshotReader> open(const std::filesystem::path& path, std::size_t count);
  ~SnapshotReader();
  SnapshotReader(const SnapshotReader&) = delete;
  SnapshotReader& operator=(const SnapshotReader&) = delete;

  /// File `index`'s content when it is the blob `id` (its git blob hash matches); false when not, in
  /// which case the snapshot is wrong and must not be used. Safe to call from several threads.
  bool content(std::size_t index, const git_oid& id, std::string_view& out) const;

private:
  SnapshotReader(const unsigned char* map, std::size_t size, std::size_t count);
  const unsigned char* m_map;
  std::size_t m_size;
  std::size_t m_count;
};

/// Writes a snapshot beside its final name and renames it into place once every file was added, so a
/// reader only ever sees complete snapshots. Failing to write one only means there is none: no method
/// throws, and an incomplete snapshot is removed.
class SnapshotWriter {
public:
  /// Starts a snapshot of `count` files, to become `path`.
  SnapshotWriter(std::filesystem::path path, std::size_t count);
  ~SnapshotWriter();
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  /// Adds file `index`'s content. Safe to call from several threads.
  void add(std::size_t index, std::string_view content);
  /// Renames the snapshot into place when every file was added; otherwise drops it.
  void finish();

private:
  bool flush(); ///< with m_mutex held
  void abandon();

  std::filesystem::path m_path;
  std::filesystem::path m_temporary;
  std::size_t m_count;
  int m_fd = -1;
  std::mutex m_mutex;
  std::string m_buffer;        ///< data not yet written
  std::uint64_t m_written = 0; ///< bytes of data already in the file
  std::string m_table;         ///< the offsets and sizes, filled as files are added
  std::size_t m_added = 0;
};

/// Removes the snapshots in `folder` but the `keep` most recently used (and leftovers of writers that
/// stopped half-way, once they are an hour old).
void prune_snapshots(const std::filesystem::path& folder, std::size_t keep);

} // namespace syntask::git::detail
