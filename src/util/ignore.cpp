// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/ignore.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <cctype>
#include <system_error>

namespace syntask::util {

namespace {

class WalkError : public Error {
public:
  using Error::Error;
};

// The matcher reproduces git's wildmatch, including its two early-exit results: once the text is
// exhausted, or a single '*' has met a '/', trying later positions for an enclosing '*' cannot help.
enum class Wild { match, no_match, abort_all, abort_to_double_star };

bool is_glob_special(char c)
{
  return c == '*' || c == '?' || c == '[' || c == '\\';
}

// Returns 1 or 0 for a known POSIX class name, -1 for an unknown one.
int in_named_class(std::string_view name, unsigned char c)
{
  if (name == "alnum") {
    return std::isalnum(c) != 0;
  }
  if (name == "alpha") {
    return std::isalpha(c) != 0;
  }
  if (name == "blank") {
    return c == ' ' || c == '\t';
  }
  if (name == "cntrl") {
    return std::iscntrl(c) != 0;
  }
  if (name == "digit") {
    return std::isdigit(c) != 0;
  }
  if (name == "graph") {
    return std::isgraph(c) != 0;
  }
  if (name == "lower") {
    return std::islower(c) != 0;
  }
  if (name == "print") {
    return std::isprint(c) != 0;
  }
  if (name == "punct") {
    return std::ispunct(c) != 0;
  }
  if (name == "space") {
    return std::isspace(c) != 0;
  }
  if (name == "upper") {
    return std::isupper(c) != 0;
  }
  if (name == "xdigit") {
    return std::isxdigit(c) != 0;
  }
  return -1;
}

// Matches the bracket expression starting at p[pi] == '[' against `c`. On return `pi` is at the closing
// ']'. Gives no_match or abort_all on failure, match on success.
Wild match_class(std::string_view p, std::size_t& pi, unsigned char c, bool pathname)
{
  ++pi;
  if (pi >= p.size()) {
    return Wild::abort_all;
  }
  const bool negated = p[pi] == '!' || p[pi] == '^';
  if (negated) {
    ++pi;
  }
  bool matched = false;
  unsigned char previous = 0;
  // The first character is taken literally even when it is ']', so "[]]" matches ']'.
  while (true) {
    if (pi >= p.size()) {
      return Wild::abort_all;
    }
    auto current = static_cast<unsigned char>(p[pi]);
    if (current == '\\') {
      if (++pi >= p.size()) {
        return Wild::abort_all;
      }
      current = static_cast<unsigned char>(p[pi]);
      matched = matched || c == current;
    } else if (current == '-' && previous != 0 && pi + 1 < p.size() && p[pi + 1] != ']') {
      ++pi;
      auto last = static_cast<unsigned char>(p[pi]);
      if (last == '\\') {
        if (++pi >= p.size()) {
          return Wild::abort_all;
        }
        last = static_cast<unsigned char>(p[pi]);
      }
      matched = matched || (c >= previous && c <= last);
      current = 0; // a range cannot start another range
    } else if (current == '[' && pi + 1 < p.size() && p[pi + 1] == ':') {
      const std::size_t name_start = pi + 2;
      std::size_t end = name_start;
      while (end < p.size() && p[end] != ']') {
        ++end;
      }
      if (end >= p.size()) {
        return Wild::abort_all;
      }
      if (end == name_start || p[end - 1] != ':') {
        // Not a "[:name:]": the '[' is an ordinary member.
        matched = matched || c == '[';
      } else {
        const int known = in_named_class(p.substr(name_start, end - 1 - name_start), c);
        if (known < 0) {
          return Wild::abort_all;
        }
        matched = matched || known == 1;
        pi = end;
        current = 0;
      }
    } else {
      matched = matched || c == current;
    }
    previous = current;
    if (++pi >= p.size()) {
      return Wild::abort_all;
    }
    if (p[pi] == ']') {
      break;
    }
  }
  if (matched == negated || (pathname && c == '/')) {
    return Wild::no_match;
  }
  return Wild::match;
}

// With `pathname`, '*', '?' and classes never match '/', and only a whole-segment '**' crosses it.
Wild wild_match(std::string_view p, std::string_view t, bool pathname)
{
  std::size_t ti = 0;
  for (std::size_t pi = 0; pi < p.size(); ++pi, ++ti) {
    const char pc = p[pi];
    if (ti >= t.size() && pc != '*') {
      return Wild::abort_all;
    }
    switch (pc) {
    case '\\':
      // A trailing backslash matches nothing.
      if (++pi >= p.size() || t[ti] != p[pi]) {
        return Wild::no_match;
      }
      break;
    case '?':
      if (pathname && t[ti] == '/') {
        return Wild::no_match;
      }
      break;
    case '[': {
      const Wild result = match_class(p, pi, static_cast<unsigned char>(t[ti]), pathname);
      if (result != Wild::match) {
        return result;
      }
      break;
    }
    case '*': {
      bool match_slash = !pathname;
      const std::size_t first_star = pi;
      if (pi + 1 < p.size() && p[pi + 1] == '*') {
        while (pi + 1 < p.size() && p[pi + 1] == '*') {
          ++pi;
        }
        const std::size_t rest = pi + 1;
        const bool segment_start = first_star == 0 || p[first_star - 1] == '/';
        const bool segment_end = rest == p.size() || p[rest] == '/' ||
                                 (p[rest] == '\\' && rest + 1 < p.size() && p[rest + 1] == '/');
        // Only a whole segment '**' crosses '/'; elsewhere it is an ordinary '*'.
        if (pathname && segment_start && segment_end) {
          // "**/" may stand for no directory at all.
          if (rest < p.size() && p[rest] == '/' &&
              wild_match(p.substr(rest + 1), t.substr(ti), pathname) == Wild::match) {
            return Wild::match;
          }
          match_slash = true;
        }
      }
      ++pi;
      if (pi == p.size()) {
        if (!match_slash && t.find('/', ti) != std::string_view::npos) {
          return Wild::no_match;
        }
        return Wild::match;
      }
      if (!match_slash && p[pi] == '/') {
        // A single '*' before '/' takes the rest of the current segment; the loop consumes both '/'.
        const auto slash = t.find('/', ti);
        if (slash == std::string_view::npos) {
          return Wild::no_match;
        }
        ti = slash;
        break;
      }
      while (ti < t.size()) {
        if (!is_glob_special(p[pi])) {
          // Skip ahead to the next occurrence of the literal that follows the star.
          while (ti < t.size() && (match_slash || t[ti] != '/') && t[ti] != p[pi]) {
            ++ti;
          }
          if (ti >= t.size() || t[ti] != p[pi]) {
            return Wild::no_match;
          }
        }
        const Wild result = wild_match(p.substr(pi), t.substr(ti), pathname);
        if (result != Wild::no_match) {
          if (!match_slash || result != Wild::abort_to_double_star) {
            return result;
          }
        } else if (!match_slash && t[ti] == '/') {
          return Wild::abort_to_double_star;
        }
        ++ti;
      }
      return Wild::abort_all;
    }
    default:
      if (t[ti] != pc) {
        return Wild::no_match;
      }
      break;
    }
  }
  return ti >= t.size() ? Wild::match : Wild::no_match;
}

// Drops unescaped trailing spaces (not tabs), as git does.
std::string_view trim_trailing_spaces(std::string_view line)
{
  std::size_t end = 0; // just past the last character that is not an unescaped space
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ' ') {
      continue;
    }
    if (line[i] == '\\') {
      ++i; // the escaped character is kept, whatever it is
    }
    end = std::min(i + 1, line.size());
  }
  return line.substr(0, end);
}

// git compares the literal head of an anchored pattern as plain text and hands only the rest to the
// matcher, where a '**' then counts as starting a segment: "/a**" matches "ab/c" in git, and so here.
bool matches_path(std::string_view glob, std::string_view path)
{
  const auto literal = std::min(glob.find_first_of("*?[\\"), glob.size());
  if (path.substr(0, literal) != glob.substr(0, literal)) {
    return false;
  }
  return wild_match(glob.substr(literal), path.substr(literal), true) == Wild::match;
}

std::string_view base_name(std::string_view path)
{
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

void walk_directory(const std::filesystem::path& directory, const std::string& prefix,
                    const IgnoreRules& rules, const std::function<bool(const TreeEntry&)>& visit)
{
  std::error_code error;
  const auto fail = [&directory](const std::error_code& cause) {
    return WalkError("cannot read directory " + util::quoted(directory.string()) + ": " + cause.message());
  };
  std::filesystem::directory_iterator it(directory, error);
  if (error) {
    throw fail(error);
  }
  std::vector<TreeEntry> entries;
  for (const std::filesystem::directory_iterator end; it != end; it.increment(error)) {
    std::error_code status_error;
    const auto status = it->symlink_status(status_error);
    if (status_error) {
      continue; // removed while we were listing
    }
    TreeEntry entry;
    entry.is_directory = std::filesystem::is_directory(status);
    entry.is_symlink = std::filesystem::is_symlink(status);
    if (!entry.is_directory && !entry.is_symlink && !std::filesystem::is_regular_file(status)) {
      continue; // sockets, pipes and devices are not content
    }
    entry.relative_path = prefix + it->path().filename().string();
    entry.path = it->path();
    entries.push_back(std::move(entry));
  }
  if (error) {
    throw fail(error);
  }
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.relative_path < b.relative_path; });
  for (const auto& entry : entries) {
    if (rules.ignores_entry(entry.relative_path, entry.is_directory)) {
      continue;
    }
    if (visit(entry) && entry.is_directory) {
      walk_directory(entry.path, entry.relative_path + "/", rules, visit);
    }
  }
}

constexpr std::string_view k_default_ignore_file =
    R"(# Files that syntask leaves out when it ships this project's code.
# The syntax is that of .gitignore: one pattern per line, '!' re-includes, a trailing '/' matches
# directories only, and a pattern holding a '/' is anchored to the project root.

# the ignore files themselves
.syntaskignore
.prefectignore

# Python caches and build artifacts
__pycache__/
*.py[cod]
*$py.class
*.egg-info/

# test, type-checking and lint caches
.pytest_cache/
.mypy_cache/
.ruff_cache/
.tox/

# virtual environments
.venv/
venv/
env/
.python-version

# environment files, which often hold secrets
.env
.env.*

# version control
.git/
.hg/
.svn/

# editors and operating systems
.idea/
.vscode/
*.swp
.DS_Store

# JavaScript dependencies
node_modules/
)";

} // namespace

IgnoreRules IgnoreRules::parse(std::string_view text)
{
  constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";
  if (text.substr(0, k_byte_order_mark.size()) == k_byte_order_mark) {
    text.remove_prefix(k_byte_order_mark.size());
  }
  IgnoreRules rules;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (line.back() == '\r') {
      line.remove_suffix(1);
    }
    line = trim_trailing_spaces(line);
    Pattern pattern;
    if (!line.empty() && line.front() == '!') {
      pattern.negated = true;
      line.remove_prefix(1);
    }
    if (!line.empty() && line.back() == '/') {
      pattern.directory_only = true;
      line.remove_suffix(1);
    }
    pattern.anchored = line.find('/') != std::string_view::npos;
    if (!line.empty() && line.front() == '/') {
      line.remove_prefix(1);
    }
    if (line.empty()) {
      continue; // an empty pattern can match no path
    }
    pattern.glob = std::string(line);
    rules.m_patterns.push_back(std::move(pattern));
  }
  return rules;
}

IgnoreRules IgnoreRules::load(const std::filesystem::path& file)
{
  std::error_code error;
  if (!std::filesystem::exists(file, error)) {
    return {};
  }
  return parse(read_file(file));
}

int IgnoreRules::match_single(std::string_view relative_path, bool is_directory) const
{
  for (auto it = m_patterns.rbegin(); it != m_patterns.rend(); ++it) {
    if (it->directory_only && !is_directory) {
      continue;
    }
    const bool hit = it->anchored ? matches_path(it->glob, relative_path)
                                  : wild_match(it->glob, base_name(relative_path), false) == Wild::match;
    if (hit) {
      return it->negated ? 0 : 1;
    }
  }
  return -1;
}

bool IgnoreRules::is_ignored(std::string_view relative_path, bool is_directory) const
{
  while (relative_path.substr(0, 2) == "./") {
    relative_path.remove_prefix(2);
  }
  while (!relative_path.empty() && relative_path.back() == '/') {
    relative_path.remove_suffix(1);
    is_directory = true;
  }
  if (relative_path.empty()) {
    return false;
  }
  // git never enters an ignored directory, so nothing below one can be re-included.
  for (auto slash = relative_path.find('/'); slash != std::string_view::npos;
       slash = relative_path.find('/', slash + 1)) {
    if (match_single(relative_path.substr(0, slash), true) == 1) {
      return true;
    }
  }
  return match_single(relative_path, is_directory) == 1;
}

void walk_included(const std::filesystem::path& root, const IgnoreRules& rules,
                   const std::function<bool(const TreeEntry&)>& visit)
{
  walk_directory(root, "", rules, visit);
}

std::vector<std::string> list_included_files(const std::filesystem::path& root, const IgnoreRules& rules)
{
  std::vector<std::string> files;
  walk_included(root, rules, [&files](const TreeEntry& entry) {
    if (!entry.is_directory) {
      files.push_back(entry.relative_path);
    }
    return true;
  });
  std::sort(files.begin(), files.end());
  return files;
}

std::string_view default_ignore_file()
{
  return k_default_ignore_file;
}

ProjectIgnoreRules project_ignore_rules(const std::filesystem::path& root)
{
  for (const char* name : {".syntaskignore", ".prefectignore"}) {
    std::error_code error;
    if (std::filesystem::exists(root / name, error)) {
      return {IgnoreRules::load(root / name), root / name};
    }
  }
  return {IgnoreRules::parse(default_ignore_file()), {}};
}

std::string default_rules_notice(const std::filesystem::path& root)
{
  return "No .syntaskignore or .prefectignore in " + root.string() +
         ": leaving out what `syntask init` writes to .syntaskignore (.git/ and other version control, "
         ".env and .env.*, virtual environments, caches, editor files)";
}

} // namespace syntask::util
