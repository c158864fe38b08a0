// SPDX-License-Identifier: Apache-2.0
// Private: the one tar writer (libarchive) behind build contexts and container uploads. It writes an
// uncompressed POSIX tar to a sink in chunks of at most 64 KiB as the files are read, so memory stays flat.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

struct archive;

namespace syntask::docker {

class TarWriter {
public:
  using Sink = std::function<void(std::string_view)>;

  /// `what` names the archive in errors ("the build context"). `write` may throw to stop; the exception
  /// comes out of the call that was writing.
  TarWriter(const Sink& write, std::string what);
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;
  ~TarWriter();

  /// Adds `file` (described by its lstat `info`) as `name`: a regular file with its content, a folder, or
  /// a symlink stored as a link. Modes are kept; owners are 0:0. Throws syntask::FileError naming an
  /// unreadable file.
  void add(const std::filesystem::path& file, const std::string& name, const struct stat& info);
  /// Adds a folder entry that exists only in the archive.
  void add_directory(const std::string& name, unsigned mode);
  /// Adds a regular file whose content is `content`.
  void add_data(const std::string& name, std::string_view content, unsigned mode);
  /// Writes the end of the archive.
  void finish();

  /// Regular files added so far, and their content bytes.
  std::uint64_t files() const { return m_files; }
  std::uint64_t bytes() const { return m_bytes; }

  struct SinkState; ///< the sink as libarchive's callback sees it

private:
  void check(int status, const std::string& action);

  std::string m_what;
  SinkState* m_sink;
  struct archive* m_archive;
  std::uint64_t m_files = 0;
  std::uint64_t m_bytes = 0;
  // One read buffer for all files: a context of many small files would otherwise allocate and clear
  // 64 KiB for each of them.
  std::vector<char> m_buffer;
};

/// What a tree walk does with one entry.
struct TreeChoice {
  bool write = true;   ///< write an entry for it
  bool descend = true; ///< for folders: visit what is inside
};

/// Decides for an entry, by its name relative to the root ('/'-separated) and whether it is a folder.
using TreeFilter = std::function<TreeChoice(const std::string& name, bool is_directory)>;

/// Adds the entries below `root` (not `root` itself) in byte order of their names, folder by folder:
/// regular files, folders and symlinks; sockets, pipes and devices are skipped. Throws syntask::FileError
/// naming a folder or file that cannot be read.
void write_tree(TarWriter& writer, const std::filesystem::path& root, const TreeFilter& filter);

} // namespace syntask::docker
