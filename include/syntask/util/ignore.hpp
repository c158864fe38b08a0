// SPDX-License-Identifier: Apache-2.0
// .syntaskignore matching with git's ignore semantics (gitignore(5)).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::util {

/// A parsed ignore file. Patterns follow gitignore(5): blank lines and '#' comments are skipped, '\#' and
/// '\!' escape a leading '#' or '!', unescaped trailing spaces are trimmed, '!' re-includes, the last
/// matching pattern wins, a trailing '/' matches directories only, a '/' at the start or in the middle
/// anchors the pattern to the root (otherwise it matches the base name at any depth), '*' and '?' do not
/// cross '/', '[...]' classes, and '**' as a whole segment spans zero or more directories.
class IgnoreRules {
public:
  IgnoreRules() = default;

  /// Parses gitignore-syntax text (one pattern per line, LF or CRLF, an optional UTF-8 byte order mark).
  static IgnoreRules parse(std::string_view text);
  /// Reads and parses a file; a missing file gives empty rules. Throws syntask::Error when it cannot be read.
  static IgnoreRules load(const std::filesystem::path& file);

  /// Whether `relative_path` ('/'-separated, relative to the root the rules apply to) is ignored.
  /// A path inside an ignored directory is ignored, as in git (a negation cannot re-include it).
  /// A trailing '/' on `relative_path` marks it as a directory.
  bool is_ignored(std::string_view relative_path, bool is_directory) const;

  /// The verdict for this path alone, without looking at its parent directories: for walkers that
  /// never enter ignored directories.
  bool ignores_entry(std::string_view relative_path, bool is_directory) const
  {
    return match_single(relative_path, is_directory) == 1;
  }

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

/// One entry met by walk_included.
struct TreeEntry {
  std::string relative_path;  ///< '/'-separated, relative to the root of the walk
  std::filesystem::path path; ///< the root joined with relative_path
  bool is_directory = false;  ///< a real directory; a symlink to a directory is not one
  bool is_symlink = false;
};

/// Walks the tree below `root` depth first, each directory's entries in name order. Entries that `rules`
/// ignore are skipped (ignored directories are not entered), and so is anything that is not a directory, a
/// regular file or a symlink. `visit` sees every other entry; returning false for a directory skips its
/// contents. Symlinks are reported, never followed. Throws syntask::Error naming a directory that cannot be
/// read.
void walk_included(const std::filesystem::path& root, const IgnoreRules& rules,
                   const std::function<bool(const TreeEntry&)>& visit);

/// The files below `root` (relative, '/'-separated, sorted) that `rules` do not ignore: regular files and
/// symlinks. Directories that are ignored are not descended into; symlinked directories are listed but
/// not followed. Throws syntask::Error naming a directory that cannot be read.
std::vector<std::string> list_included_files(const std::filesystem::path& root, const IgnoreRules& rules);

/// The default .syntaskignore that `syntask init` writes, and the rules a project without an ignore file
/// is shipped with: never version control (.git/), environment files (.env, .env.*), virtual
/// environments or caches.
std::string_view default_ignore_file();

/// The ignore rules a project's code is shipped with.
struct ProjectIgnoreRules {
  IgnoreRules rules;
  std::filesystem::path file; ///< the ignore file read; empty: none exists, `rules` are the defaults
};

/// ROOT/.syntaskignore, else ROOT/.prefectignore, else default_ignore_file(). Throws syntask::Error when
/// the file cannot be read.
ProjectIgnoreRules project_ignore_rules(const std::filesystem::path& root);

/// The line that says a tree is shipped with the default rules because it has no ignore file.
std::string default_rules_notice(const std::filesystem::path& root);

} // namespace syntask::util
