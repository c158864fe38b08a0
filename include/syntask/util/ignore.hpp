// SPDX-License-Identifier: Apache-2.0
// .syntaskignore matching with git's ignore semantics (gitignore(5)).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::util {

class IgnoreRules {
public:
  IgnoreRules() = default;

  /// Parses gitignore-syntax text (one pattern per line).
  static IgnoreRules parse(std::string_view text);
  /// Reads and parses a file; a missing file gives empty rules.
  static IgnoreRules load(const std::filesystem::path& file);

  /// Whether `relative_path` ('/'-separated, relative to the root the rules apply to) is ignored.
  /// A path inside an ignored directory is ignored, as in git (a negation cannot re-include it).
  bool is_ignored(std::string_view relative_path, bool is_directory) const;

  bool empty() const { return m_patterns.empty(); }

private:
  struct Pattern {
    std::string glob; // pattern text without the '!', the trailing '/' and a leading '/'
    bool negated = false;
    bool directory_only = false;
    bool anchored = false; // contains a '/' before its end: matches from the root only
  };

  /// The verdict of the last matching pattern for this exact path: -1 no match, 0 included, 1 ignored.
  int match_single(std::string_view relative_path, bool is_directory) const;

  std::vector<Pattern> m_patterns;
};

/// The files below `root` (relative, '/'-separated, sorted) that `rules` do not ignore. Directories
/// that are ignored are not descended into; symlinked directories are listed but not followed.
std::vector<std::string> list_included_files(const std::filesystem::path& root, const IgnoreRules& rules);

/// The default .syntaskignore that `syntask init` writes.
std::string_view default_ignore_file();

} // namespace syntask::util
