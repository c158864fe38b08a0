// SPDX-License-Identifier: Apache-2.0
// The build context a Docker build receives: a tar stream of the context directory, filtered by
// .dockerignore with Docker's own pattern rules (which differ from gitignore's), written as it is read so
// that memory stays flat whatever the context size.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::docker {

/// A parsed .dockerignore, matched as the Docker engine matches it (moby's patternmatcher and
/// fileutils): patterns are cleaned paths relative to the context root, always anchored; '*' and '?'
/// stay within one path segment, '**' spans any number of segments, '!' re-includes, the last match
/// wins, a pattern that matches a directory excludes everything below it unless a later '!' pattern
/// re-includes something there; lines starting with '#' are comments; leading and trailing whitespace is
/// trimmed and a leading '/' is dropped.
class DockerIgnore {
public:
  DockerIgnore() = default;
  static DockerIgnore parse(std::string_view text);
  /// A missing file gives empty rules; throws syntask::Error when it cannot be read.
  static DockerIgnore load(const std::filesystem::path& file);

  /// Whether `relative_path` ('/'-separated, relative to the context root) is excluded.
  bool excludes(std::string_view relative_path) const;

  /// Whether some '!' pattern could re-include a path below `relative_directory`: a walker must then
  /// enter an excluded directory instead of skipping it.
  bool may_reinclude_below(std::string_view relative_directory) const;

  bool empty() const { return m_patterns.empty(); }

private:
  struct Pattern {
    std::string text; // cleaned, without '!'
    bool negated = false;
  };
  std::vector<Pattern> m_patterns;
};

/// What went into a streamed context.
struct BuildContextSummary {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0; ///< file content bytes (not tar overhead)
};

/// Streams the context below `root` as an uncompressed POSIX tar to `write` in chunks of at most 64 KiB:
/// every regular file, directory and symlink that `root/.dockerignore` does not exclude, in a stable
/// order, symlinks stored as links (never followed), modes kept, owners 0:0. The Dockerfile
/// (`dockerfile`, relative to `root`) and `.dockerignore` are always included, as the engine expects.
/// `write` may throw to stop. Throws syntask::Error naming a file that cannot be read.
BuildContextSummary stream_build_context(const std::filesystem::path& root, const std::string& dockerfile,
                                         const std::function<void(std::string_view)>& write);

} // namespace syntask::docker
