// SPDX-License-Identifier: Apache-2.0
// The build context a Docker build receives: a tar stream of the context directory, filtered by
// .dockerignore with Docker's own pattern rules (which differ from gitignore's), written as it is read so
// that memory stays flat whatever the context size.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::docker {

/// A parsed .dockerignore, matched as the Docker engine matches it (moby's patternmatcher and
/// dockerignore reader, with MatchesOrParentMatches): patterns are cleaned paths relative to the context
/// root, always anchored; '*' and '?' stay within one path segment, '**' spans any number of segments,
/// '[...]' is a character class, '\\' escapes the next character, '!' re-includes, the last match wins,
/// a pattern that matches a directory excludes everything below it unless a later '!' pattern
/// re-includes something there. Lines whose first character is '#' are comments (" #x" is a pattern);
/// leading and trailing whitespace is trimmed, a UTF-8 byte order mark and '\r' line ends are dropped,
/// and a leading '/' is dropped after cleaning.
class DockerIgnore {
public:
  DockerIgnore() = default;
  /// Throws syntask::ConfigError "SOURCE:LINE: ..." for a malformed pattern (an unclosed '[', a trailing
  /// '\\', a lone '!'), as the engine refuses such a file.
  static DockerIgnore parse(std::string_view text, const std::string& source = ".dockerignore");
  /// A missing file gives empty rules; throws syntask::Error when it cannot be read.
  static DockerIgnore load(const std::filesystem::path& file);

  /// Whether `relative_path` ('/'-separated, relative to the context root) is excluded: the last
  /// pattern matching it or one of its parent directories decides. The root itself is never excluded.
  bool excludes(std::string_view relative_path) const;

  /// Whether a walker must enter the excluded directory `relative_directory` because some '!' pattern
  /// could re-include a path below it. Like the engine's walker, this is a literal prefix test: the
  /// '!' pattern's text followed by '/' starts with `relative_directory` + '/'.
  bool may_reinclude_below(std::string_view relative_directory) const;

  bool empty() const { return m_patterns.empty(); }

  /// The cleaned patterns in file order, '!' kept (for messages and tests).
  std::vector<std::string> patterns() const;

  struct Token; ///< one piece of a compiled pattern (defined where patterns are compiled)

private:
  struct Pattern {
    std::string text; // cleaned, without '!'
    bool negated = false;
    enum class Kind { exact, prefix, suffix, glob } kind = Kind::exact;
    std::shared_ptr<const std::vector<Token>> tokens; // for Kind::glob
  };
  static bool matches(const Pattern& pattern, std::string_view path);
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
