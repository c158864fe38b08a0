// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/ignore.hpp>

#include <catch2/catch_test_macros.hpp>

#include "support/temp_dir.hpp"
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>

using namespace syntask::util;
namespace fs = std::filesystem;

namespace {

using syntask::test::TempDir;

void write(const fs::path& file, std::string_view content)
{
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
}

bool ignored(std::string_view rules, std::string_view path, bool is_directory = false)
{
  return IgnoreRules::parse(rules).is_ignored(path, is_directory);
}

} // namespace

TEST_CASE("util::IgnoreRules skips blank lines and comments")
{
  CHECK(IgnoreRules::parse("").empty());
  CHECK(IgnoreRules::parse("\n# a comment\n\n   \n#another\n").empty());
  CHECK_FALSE(ignored("#a\n", "#a"));
  CHECK_FALSE(ignored("# a\n", "a"));
  CHECK(ignored(" #a\n", " #a")); // only a '#' in the first column starts a comment
}

TEST_CASE("util::IgnoreRules escapes a leading '#' and '!'")
{
  CHECK(ignored("\\#a\n", "#a"));
  CHECK(ignored("\\#a\n", "dir/#a"));
  CHECK(ignored("\\!keep\n", "!keep"));
  CHECK_FALSE(ignored("\\!keep\n", "keep"));
  CHECK(ignored("*\n!\\!keep\n", "keep"));
  CHECK_FALSE(ignored("*\n!\\!keep\n", "!keep"));
}

TEST_CASE("util::IgnoreRules trims unescaped trailing spaces only")
{
  CHECK(ignored("a   \n", "a"));
  CHECK_FALSE(ignored("a   \n", "a   "));
  CHECK(ignored("a\\ \n", "a "));
  CHECK_FALSE(ignored("a\\ \n", "a"));
  CHECK(ignored("a\\  \n", "a "));
  CHECK_FALSE(ignored("a\t\n", "a")); // tabs are kept
  CHECK(ignored("a\t\n", "a\t"));
}

TEST_CASE("util::IgnoreRules reads CRLF lines, a byte order mark and a last line without newline")
{
  CHECK(ignored("x\r\ny\r\n", "x"));
  CHECK(ignored("x\r\ny\r\n", "y"));
  CHECK(ignored("\xEF\xBB\xBFx", "x"));
  CHECK(ignored("a\nlast", "last"));
}

TEST_CASE("util::IgnoreRules negation: the last matching pattern wins")
{
  const auto rules = IgnoreRules::parse("*.log\n!keep.log\n");
  CHECK(rules.is_ignored("x.log", false));
  CHECK(rules.is_ignored("d/x.log", false));
  CHECK_FALSE(rules.is_ignored("keep.log", false));
  CHECK_FALSE(rules.is_ignored("d/keep.log", false));
  CHECK(ignored("!keep.log\n*.log\n", "keep.log"));
  CHECK_FALSE(ignored("!a\n", "a"));
  CHECK(ignored("a\n!a\na\n", "a"));
}

TEST_CASE("util::IgnoreRules trailing slash matches directories only")
{
  const auto rules = IgnoreRules::parse("build/\n");
  CHECK(rules.is_ignored("build", true));
  CHECK_FALSE(rules.is_ignored("build", false));
  CHECK(rules.is_ignored("src/build", true));
  CHECK(rules.is_ignored("build/out.o", false));
  CHECK(rules.is_ignored("src/build/", false)); // a trailing '/' on the path marks a directory
  CHECK_FALSE(rules.is_ignored("builds", true));
}

TEST_CASE("util::IgnoreRules a slash at the start or in the middle anchors to the root")
{
  CHECK(ignored("/a\n", "a"));
  CHECK_FALSE(ignored("/a\n", "d/a"));
  CHECK(ignored("d/a\n", "d/a"));
  CHECK_FALSE(ignored("d/a\n", "x/d/a"));
  CHECK(ignored("a\n", "x/y/a"));
  CHECK(ignored("a/\n", "x/y/a", true));
  CHECK(ignored("/d/\n", "d", true));
  CHECK_FALSE(ignored("/d/\n", "x/d", true));
  CHECK(ignored("x.py\n", "deep/er/x.py"));
}

TEST_CASE("util::IgnoreRules '*' and '?' do not cross '/'")
{
  CHECK(ignored("d/*.py\n", "d/x.py"));
  CHECK_FALSE(ignored("d/*.py\n", "d/e/x.py"));
  CHECK(ignored("d/?\n", "d/a"));
  CHECK_FALSE(ignored("d/?\n", "d/ab"));
  CHECK_FALSE(ignored("a?c\n", "a/c"));
  CHECK_FALSE(ignored("/a*c\n", "a/c"));
  CHECK_FALSE(ignored("/a?c\n", "a/c"));
  CHECK(ignored("*\n", "anything/at/all"));
  CHECK(ignored("d*/x\n", "dir/x"));
  CHECK_FALSE(ignored("d*/x\n", "dir/sub/x"));
}

TEST_CASE("util::IgnoreRules character classes")
{
  CHECK(ignored("[ab].txt\n", "a.txt"));
  CHECK(ignored("[ab].txt\n", "b.txt"));
  CHECK_FALSE(ignored("[ab].txt\n", "c.txt"));
  CHECK(ignored("[!ab].txt\n", "c.txt"));
  CHECK_FALSE(ignored("[!ab].txt\n", "a.txt"));
  CHECK(ignored("[^ab].txt\n", "c.txt"));
  CHECK(ignored("x[a-c]\n", "xb"));
  CHECK_FALSE(ignored("x[a-c]\n", "xd"));
  CHECK(ignored("x[a-]\n", "x-")); // a '-' at the end is literal
  CHECK(ignored("[]]\n", "]"));
  CHECK(ignored("[!]]\n", "a"));
  CHECK_FALSE(ignored("[!]]\n", "]"));
  CHECK(ignored("[[:digit:]]x\n", "5x"));
  CHECK_FALSE(ignored("[[:digit:]]x\n", "ax"));
  CHECK(ignored("*.py[cod]\n", "m.pyc"));
  CHECK_FALSE(ignored("*.py[cod]\n", "m.py"));
  CHECK_FALSE(ignored("[ab\n", "a"));     // an unterminated class matches nothing
  CHECK(ignored("\\[g\\]\n", "[g]"));     // escaped brackets are literal
  CHECK_FALSE(ignored("d[/]x\n", "d/x")); // a class never matches '/'
}

TEST_CASE("util::IgnoreRules double asterisks")
{
  const auto leading = IgnoreRules::parse("**/foo\n");
  CHECK(leading.is_ignored("foo", false));
  CHECK(leading.is_ignored("a/foo", false));
  CHECK(leading.is_ignored("a/b/foo", true));
  CHECK_FALSE(leading.is_ignored("a/xfoo", false));

  const auto trailing = IgnoreRules::parse("a/**\n");
  CHECK_FALSE(trailing.is_ignored("a", true));
  CHECK(trailing.is_ignored("a/x", false));
  CHECK(trailing.is_ignored("a/b/c", false));
  CHECK_FALSE(trailing.is_ignored("x/a/b", false));

  const auto middle = IgnoreRules::parse("a/**/b\n");
  CHECK(middle.is_ignored("a/b", false));
  CHECK(middle.is_ignored("a/x/b", false));
  CHECK(middle.is_ignored("a/x/y/b", false));
  CHECK_FALSE(middle.is_ignored("a/xb", false));
  CHECK_FALSE(middle.is_ignored("x/a/b", false));

  CHECK(ignored("**/d/\n", "x/y/d", true));
  CHECK_FALSE(ignored("**/d/\n", "x/y/d", false));
  CHECK(ignored("a**b\n", "axxb")); // not a whole segment: an ordinary '*'
  CHECK_FALSE(ignored("/a**b\n", "ax/b"));
  CHECK_FALSE(ignored("/x/**b\n", "x/c/b"));
  // git matches the literal head of an anchored pattern on its own, after which a '**' counts as the
  // start of a segment.
  CHECK(ignored("/a**\n", "ab/c"));
  CHECK(ignored("/a**/b\n", "ab/b"));
  CHECK(ignored("/a**/b\n", "ab/c/b"));
  CHECK_FALSE(ignored("/*a**x\n", "ba/cx"));
  CHECK(ignored("/*a**x\n", "bax"));
  CHECK(ignored("**\n", "a/b/c"));
}

TEST_CASE("util::IgnoreRules a path inside an ignored directory stays ignored")
{
  CHECK(ignored("d/\n!d/keep\n", "d/keep"));
  CHECK(ignored("d\n!d/keep\n", "d/keep"));
  CHECK(ignored("/d\n!keep\n", "d/sub/keep"));
  CHECK_FALSE(ignored("d/*\n!d/keep\n", "d/keep"));
  CHECK(ignored("d/*\n!d/keep\n", "d/other"));
  // Re-including the directory itself re-includes what is below it.
  CHECK_FALSE(ignored("d/\n!d/\n", "d/x"));
  CHECK(ignored("*\n!*.py\n", "src/x.py")); // 'src' itself is ignored
  CHECK_FALSE(ignored("*\n!*/\n!*.py\n", "src/x.py"));
}

TEST_CASE("util::IgnoreRules::load reads a file; a missing file gives empty rules")
{
  TempDir dir;
  CHECK(IgnoreRules::load(dir.path() / "missing").empty());
  write(dir.path() / ".syntaskignore", "*.tmp\n");
  const auto rules = IgnoreRules::load(dir.path() / ".syntaskignore");
  CHECK(rules.is_ignored("x.tmp", false));
  CHECK_FALSE(rules.is_ignored("x.py", false));
}

TEST_CASE("util::list_included_files prunes ignored directories and lists symlinks as files")
{
  TempDir dir;
  const auto& root = dir.path();
  write(root / "flows/hello.py", "");
  write(root / "flows/__pycache__/hello.cpython-311.pyc", "");
  write(root / "flows/data/keep.csv", "");
  write(root / "build/out.o", "");
  write(root / "build/keep.txt", "");
  write(root / "notes.log", "");
  write(root / "important.log", "");
  write(root / "README.md", "");
  fs::create_directories(root / "empty/dir");
  fs::create_directory_symlink("flows", root / "linked");
  fs::create_symlink("README.md", root / "readme-link");
  const auto rules =
      IgnoreRules::parse("__pycache__/\nbuild/\n!build/keep.txt\n*.log\n!important.log\nlinked/\n");
  CHECK(list_included_files(root, rules) == std::vector<std::string>{"README.md", "flows/data/keep.csv",
                                                                     "flows/hello.py", "important.log",
                                                                     "linked", "readme-link"});
  // A pattern without a trailing '/' matches the symlink itself.
  CHECK(list_included_files(root, IgnoreRules::parse("linked\n__pycache__\nbuild\n*.md\n")) ==
        std::vector<std::string>{"flows/data/keep.csv", "flows/hello.py", "important.log", "notes.log",
                                 "readme-link"});
}

TEST_CASE("util::walk_included lets the visitor skip a directory")
{
  TempDir dir;
  write(dir.path() / "a/x", "");
  write(dir.path() / "b/y", "");
  std::vector<std::string> seen;
  walk_included(dir.path(), IgnoreRules{}, [&seen](const TreeEntry& entry) {
    seen.push_back(entry.relative_path + (entry.is_directory ? "/" : ""));
    return entry.relative_path != "a";
  });
  CHECK(seen == std::vector<std::string>{"a/", "b/", "b/y"});
}

TEST_CASE("util::list_included_files names a directory it cannot read")
{
  TempDir dir;
  try {
    list_included_files(dir.path() / "missing", IgnoreRules{});
    FAIL("expected an error");
  } catch (const std::exception& error) {
    CHECK(std::string(error.what()) ==
          "cannot read directory '" + (dir.path() / "missing").string() + "': No such file or directory");
  }
}

TEST_CASE("util::default_ignore_file leaves out caches, environments and secrets")
{
  const auto rules = IgnoreRules::parse(default_ignore_file());
  for (const auto* path : {"__pycache__/m.cpython-311.pyc",
                           "pkg/__pycache__/m.pyc",
                           "m.pyc",
                           "pkg/m.pyo",
                           "m.pyd",
                           "m$py.class",
                           "pkg.egg-info/PKG-INFO",
                           ".pytest_cache/v",
                           ".mypy_cache/x",
                           ".ruff_cache/x",
                           ".tox/py311/x",
                           ".venv/bin/python",
                           "venv/lib/x.py",
                           "env/bin/x",
                           ".python-version",
                           ".git/HEAD",
                           ".hg/store",
                           ".svn/entries",
                           ".idea/workspace.xml",
                           ".vscode/settings.json",
                           "flows/.hello.py.swp",
                           ".DS_Store",
                           ".env",
                           "flows/.env",
                           ".env.local",
                           "web/node_modules/react/index.js",
                           ".syntaskignore",
                           ".prefectignore"}) {
    INFO(path);
    CHECK(rules.is_ignored(path, false));
  }
  for (const auto* path : {"flows/hello.py", "environment.py", ".envrc", "requirements.txt", "syntask.yaml",
                           "src/env.py", "build/out.txt"}) {
    INFO(path);
    CHECK_FALSE(rules.is_ignored(path, false));
  }
  // env/ and venv/ are directories only: files of that name are kept.
  CHECK_FALSE(rules.is_ignored("env", false));
}

// ---------------------------------------------------------------------------------------------------------------
// Oracle: random trees and random pattern lists, compared with git itself.

namespace {

constexpr const char* k_git =
    "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -c core.excludesFile=/dev/null";

// A small deterministic generator, so every platform draws the same cases.
class Random {
public:
  explicit Random(std::uint64_t seed) : m_state(seed) {}
  std::uint32_t next()
  {
    m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(m_state >> 33);
  }
  std::size_t below(std::size_t bound) { return next() % bound; }
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
  template <typename T> const T& pick(const std::vector<T>& items) { return items[below(items.size())]; }

private:
  std::uint64_t m_state;
};

const std::vector<std::string> k_names{"a",   "a ",  "*",    "-",     "z9x", "b",       "ab",
                                       "ba",  "abc", "x.py", "y.pyc", "a.b", ".hidden", "build",
                                       "doc", "#c",  "!d",   "e f",   "[g]", "z9"};

// Fills `dir` with a random tree; records every path (directories with a trailing '/').
void make_tree(Random& random, const fs::path& dir, const std::string& prefix, int depth,
               std::vector<std::string>& paths)
{
  std::vector<std::string> names = k_names;
  const std::size_t count = 1 + random.below(depth == 0 ? 6 : 4);
  std::vector<std::string> directories;
  for (std::size_t i = 0; i < count && !names.empty(); ++i) {
    const auto index = random.below(names.size());
    const std::string name = names[index];
    names.erase(names.begin() + static_cast<std::ptrdiff_t>(index));
    const auto roll = random.below(100);
    if (depth < 3 && roll < 40) {
      fs::create_directory(dir / name);
      paths.push_back(prefix + name + "/");
      directories.push_back(name);
    } else if (roll < 46 && !directories.empty()) {
      fs::create_directory_symlink(directories.front(), dir / name);
      paths.push_back(prefix + name);
    } else {
      std::ofstream(dir / name) << name;
      paths.push_back(prefix + name);
    }
  }
  for (const auto& name : directories) {
    make_tree(random, dir / name, prefix + name + "/", depth + 1, paths);
  }
}

std::string random_segment(Random& random)
{
  static const std::vector<std::string> k_globs{
      "*",    "?",      "a*",      "*b",  "*.py", "*.py[cod]", "[ab]",  "[!a]*", "[a-c]*",
      "?b",   ".*",     "b*",      "a?",  "*a*",  "[^b]",      "\\[g]", "e\\ f", "[[:alpha:]]*",
      "a?b",  "a*b",    "a[!x]b",  "a**", "**b",  "\\*",       "[]a]*", "**",    "***",
      "[a-]", "z[0-9]", "[!a-b]*", "a ",  "a\\ "};
  if (random.chance(55)) {
    return random.pick(k_names);
  }
  return random.pick(k_globs);
}

std::string random_pattern(Random& random)
{
  if (random.chance(4)) {
    return "# comment";
  }
  if (random.chance(3)) {
    return "";
  }
  std::string body;
  const auto roll = random.below(100);
  const std::size_t segments = roll < 55 ? 1 : (roll < 85 ? 2 : 3);
  if (random.chance(12)) {
    body = "**/";
  }
  for (std::size_t i = 0; i < segments; ++i) {
    if (i > 0) {
      body += random.chance(15) ? "/**/" : "/";
    }
    body += random_segment(random);
  }
  const auto ending = random.below(100);
  if (ending < 22) {
    body += "/";
  } else if (ending < 30) {
    body += "/**";
  }
  if (random.chance(20)) {
    body.insert(0, "/");
  }
  if (body[0] == '#' || body[0] == '!') {
    body.insert(0, "\\");
  }
  if (random.chance(25)) {
    body.insert(0, "!");
  }
  if (random.chance(5)) {
    body += "  ";
  }
  return body;
}

std::string run(const std::string& command)
{
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    output.append(buffer, n);
  }
  REQUIRE(::pclose(pipe) != -1);
  return output;
}

std::vector<std::string> split_nul(const std::string& text)
{
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (auto end = text.find('\0'); end != std::string::npos; end = text.find('\0', start)) {
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string shell_quote(const std::string& text)
{
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

// One generated case: a tree below a directory and the ignore text that applies to it.
struct OracleCase {
  std::string patterns;
  std::vector<std::string> paths; // every entry, directories with a trailing '/'
};

OracleCase make_case(Random& random, const fs::path& dir)
{
  OracleCase generated;
  make_tree(random, dir, "", 0, generated.paths);
  const std::size_t count = 1 + random.below(6);
  for (std::size_t i = 0; i < count; ++i) {
    generated.patterns += random_pattern(random) + "\n";
  }
  return generated;
}

std::string describe(const OracleCase& generated)
{
  std::string text = "patterns:\n" + generated.patterns + "tree:\n";
  for (const auto& path : generated.paths) {
    text += "  " + path + "\n";
  }
  return text;
}

// The verdicts `check-ignore --verbose --non-matching -z` gives, by path.
std::map<std::string, std::string>
matching_patterns(const std::string& git, const std::vector<std::string>& paths, const fs::path& queries)
{
  std::string query;
  for (const auto& path : paths) {
    query += (path.back() == '/' ? path.substr(0, path.size() - 1) : path) + '\0';
  }
  write(queries, query);
  const auto answer = split_nul(run(git + " check-ignore --no-index -z --verbose --non-matching --stdin < " +
                                    shell_quote(queries.string()) + " 2>/dev/null"));
  REQUIRE(answer.size() == 4 * paths.size());
  std::map<std::string, std::string> patterns;
  for (std::size_t i = 0; i < answer.size(); i += 4) {
    patterns[answer[i + 3]] = answer[i + 2];
  }
  return patterns;
}

// Compares list_included_files with git's file list, and is_ignored with check-ignore for every entry
// (check-ignore reports entries below an ignored directory as ignored, as is_ignored must).
void compare_with_git(const OracleCase& generated, const fs::path& root, std::vector<std::string> git_files,
                      const std::map<std::string, std::string>& git_patterns, const std::string& git_prefix)
{
  INFO(describe(generated));
  const auto rules = IgnoreRules::parse(generated.patterns);
  auto files = list_included_files(root, rules);
  // In the batch run each case's patterns sit in its own .gitignore, which git lists like any file.
  std::erase(files, ".gitignore");
  std::erase(git_files, ".gitignore");
  std::sort(git_files.begin(), git_files.end());
  REQUIRE(files == git_files);
  for (const auto& entry : generated.paths) {
    const bool is_directory = entry.back() == '/';
    const std::string path = is_directory ? entry.substr(0, entry.size() - 1) : entry;
    const std::string& pattern = git_patterns.at(git_prefix + path);
    INFO("path '" << path << "' matched by '" << pattern << "'");
    REQUIRE(rules.is_ignored(path, is_directory) == (!pattern.empty() && pattern[0] != '!'));
  }
}

bool have_git()
{
  return std::system("git --version >/dev/null 2>&1") == 0;
}

// A repository whose git directory lives beside the work tree, so the tree holds only generated entries.
std::string init_repository(const fs::path& work_tree, const fs::path& git_dir)
{
  fs::create_directories(work_tree);
  const std::string git = "cd " + shell_quote(work_tree.string()) +
                          " && GIT_DIR=" + shell_quote(git_dir.string()) + " GIT_WORK_TREE=. " + k_git;
  REQUIRE(std::system((git + " init -q --template= >/dev/null 2>&1").c_str()) == 0);
  fs::create_directories(git_dir / "info");
  return git;
}

} // namespace

TEST_CASE("util::IgnoreRules agrees with git on random trees and patterns")
{
  if (!have_git()) {
    SKIP("git is not available");
  }
  TempDir dir;
  const auto repo = dir.path() / "repo";
  const auto git = init_repository(repo, dir.path() / "git");
  Random random(20240611);

  // Many cases at once: each in its own directory with its patterns in a .gitignore there, which git
  // applies relative to that directory exactly as it applies an exclude file to the root.
  constexpr int k_batch_cases = 400;
  std::vector<OracleCase> cases;
  std::vector<std::string> all_paths;
  for (int index = 0; index < k_batch_cases; ++index) {
    const std::string name = "c" + std::to_string(index);
    fs::create_directory(repo / name);
    cases.push_back(make_case(random, repo / name));
    write(repo / name / ".gitignore", cases.back().patterns);
    for (const auto& path : cases.back().paths) {
      all_paths.push_back(name + "/" + path);
    }
  }
  std::map<std::string, std::vector<std::string>> files_by_case;
  for (const auto& file : split_nul(run(git + " ls-files -z --others --exclude-standard -- . 2>/dev/null"))) {
    const auto slash = file.find('/');
    files_by_case[file.substr(0, slash)].push_back(file.substr(slash + 1));
  }
  const auto patterns = matching_patterns(git, all_paths, dir.path() / "queries");
  for (int index = 0; index < k_batch_cases; ++index) {
    const std::string name = "c" + std::to_string(index);
    INFO("batch case " << index);
    compare_with_git(cases[static_cast<std::size_t>(index)], repo / name, files_by_case[name], patterns,
                     name + "/");
  }

  // And some cases the way an exclude file is given to git on the command line, at the root.
  const auto exclude = dir.path() / "exclude";
  for (int index = 0; index < 40; ++index) {
    INFO("root case " << index);
    fs::remove_all(repo);
    fs::create_directory(repo);
    const auto generated = make_case(random, repo);
    write(exclude, generated.patterns);
    const auto files = split_nul(run(
        git + " ls-files -z --others --exclude-from=" + shell_quote(exclude.string()) + " -- . 2>/dev/null"));
    write(dir.path() / "git/info/exclude", generated.patterns);
    compare_with_git(generated, repo, files, matching_patterns(git, generated.paths, dir.path() / "queries"),
                     "");
  }
}

TEST_CASE("util::project_ignore_rules: .syntaskignore, else .prefectignore, else the defaults")
{
  TempDir dir;
  auto rules = project_ignore_rules(dir.path());
  CHECK(rules.file.empty());
  CHECK(rules.rules.is_ignored(".git/", true));
  CHECK(rules.rules.is_ignored(".env", false));
  CHECK(rules.rules.is_ignored(".env.production", false));
  CHECK_FALSE(rules.rules.is_ignored("flows/hello.py", false));
  write(dir.path() / ".prefectignore", "*.tmp\n");
  rules = project_ignore_rules(dir.path());
  CHECK(rules.file == dir.path() / ".prefectignore");
  CHECK_FALSE(rules.rules.is_ignored(".env", false));
  CHECK(rules.rules.is_ignored("a.tmp", false));
  write(dir.path() / ".syntaskignore", "*.log\n");
  rules = project_ignore_rules(dir.path());
  CHECK(rules.file == dir.path() / ".syntaskignore");
  CHECK(rules.rules.is_ignored("a.log", false));
  CHECK_FALSE(rules.rules.is_ignored("a.tmp", false));
}
