// SPDX-License-Identifier: Apache-2.0
#include <syntask/docker/build_context.hpp>
#include <syntask/error.hpp>

#include <catch2/catch_test_macros.hpp>

#include <fstream>
#include <random>

using syntask::docker::DockerIgnore;
namespace fs = std::filesystem;

namespace {

struct Case {
  const char* path;
  bool excluded;
};

void check(const char* rules, std::initializer_list<Case> cases)
{
  const auto ignore = DockerIgnore::parse(rules);
  for (const auto& item : cases) {
    INFO("rules: " << rules << "\npath: " << item.path);
    CHECK(ignore.excludes(item.path) == item.excluded);
  }
}

std::string error_of(const char* rules)
{
  try {
    (void)DockerIgnore::parse(rules);
  } catch (const syntask::ConfigError& error) {
    return error.what();
  }
  return "";
}

} // namespace

TEST_CASE("docker::DockerIgnore anchors patterns at the context root")
{
  check("*.go\n", {{"main.go", true}, {"a/main.go", false}, {"main.go.txt", false}, {"a", false}});
  check("a/*.go\n", {{"a/main.go", true}, {"a/b/main.go", false}, {"b/a/main.go", false}});
  check("?.txt\n", {{"a.txt", true}, {"ab.txt", false}, {"\xC3\xA9.txt", true}, {"/.txt", false}});
}

TEST_CASE("docker::DockerIgnore double star spans segments")
{
  check("**/*.go\n", {{"main.go", true}, {"a/main.go", true}, {"a/b/c.go", true}, {"a/b/c.gox", false}});
  check("a/**/z\n", {{"a/z", true}, {"a/b/z", true}, {"a/b/c/z", true}, {"b/a/z", false}, {"a/bz", false}});
  check("a/**\n", {{"a", false}, {"a/b", true}, {"a/b/c", true}, {"ab", false}});
  check("**\n", {{"anything", true}, {"a/b", true}});
  // A leading "**" followed by plain text is a suffix test in the engine: "**foo" matches "xfoo" too.
  check("**foo\n", {{"foo", true}, {"a/foo", true}, {"xfoo", true}, {"foox", false}});
  check("**/foo\n", {{"foo", true}, {"a/b/foo", true}, {"xfoo", false}, {"foo/bar", true}});
}

TEST_CASE("docker::DockerIgnore excludes everything below a matched directory")
{
  check("build\n", {{"build", true}, {"build/x/y.o", true}, {"builder", false}, {"src/build", false}});
  check("*/cache\n", {{"a/cache", true}, {"a/cache/x/y", true}, {"cache", false}, {"a/b/cache", false}});
}

TEST_CASE("docker::DockerIgnore exclusions re-include and the last match wins")
{
  const char* rules = "*.md\n!README.md\nREADME*.md\n!README-keep.md\n";
  check(rules, {{"a.md", true}, {"README.md", true}, {"README-keep.md", false}, {"docs/a.md", false}});
  check("docs\n!docs/keep.md\n",
        {{"docs", true}, {"docs/a.md", true}, {"docs/keep.md", false}, {"docs/keep.md/x", false}});
  check("**\n!Dockerfile\n!src\n", {{"Dockerfile", false}, {"src/a.c", false}, {"other", true}});
}

TEST_CASE("docker::DockerIgnore cleans and trims patterns as the engine does")
{
  check("/abs/path\n", {{"abs/path", true}, {"abs/path/x", true}});
  check("foo/../bar\n", {{"bar", true}, {"foo", false}});
  check("./dir/\n", {{"dir", true}, {"dir/x", true}});
  check("  spaced.txt  \t\n", {{"spaced.txt", true}, {"  spaced.txt  ", false}});
  check("! kept.txt\n*.txt\n", {{"kept.txt", true}});
  check("*.txt\n! kept.txt\n", {{"kept.txt", false}, {"other.txt", true}});
  check("a//b\n", {{"a/b", true}});
  check("\xEF\xBB\xBF"
        "bom.txt\r\nsecond.txt\r\n",
        {{"bom.txt", true}, {"second.txt", true}});
}

TEST_CASE("docker::DockerIgnore treats '#' as a comment only in the first column")
{
  check("#comment\n", {{"#comment", false}, {"comment", false}});
  check(" #hash\n", {{"#hash", true}});
  check("\n\n   \n", {{"a", false}});
  CHECK(DockerIgnore::parse("# only\n\n").empty());
}

TEST_CASE("docker::DockerIgnore classes and escapes")
{
  check("[a-c].txt\n", {{"a.txt", true}, {"c.txt", true}, {"d.txt", false}});
  check("[^a].txt\n", {{"a.txt", false}, {"b.txt", true}});
  check("file\\*\n", {{"file*", true}, {"filex", false}});
  check("a.b\n", {{"a.b", true}, {"axb", false}});
  check("a+(b)\n", {{"a+(b)", true}, {"aab", false}});
}

TEST_CASE("docker::DockerIgnore never excludes the root")
{
  check("**\n", {{".", false}, {"", false}});
  check(".\n", {{".", false}, {"a", false}});
}

TEST_CASE("docker::DockerIgnore rejects malformed patterns with their line")
{
  CHECK(error_of("ok\n[a\n") == ".dockerignore:2: syntax error in pattern '[a'");
  CHECK(error_of("trailing\\\n") == ".dockerignore:1: syntax error in pattern 'trailing\\'");
  CHECK(error_of("x\n\n!\n") == ".dockerignore:3: illegal exclusion pattern '!'");
  CHECK(error_of("[]a]\n") == ".dockerignore:1: syntax error in pattern '[]a]'");
  CHECK(error_of("[a-]\n") == ".dockerignore:1: syntax error in pattern '[a-]'");
  CHECK(error_of("[\\]]\n[a-z]\n") == "");
}

TEST_CASE("docker::DockerIgnore may_reinclude_below is the engine's literal prefix test")
{
  const auto ignore = DockerIgnore::parse("a\n!a/b/keep\nx\n!*/keep\n");
  CHECK(ignore.may_reinclude_below("a"));
  CHECK(ignore.may_reinclude_below("a/b"));
  CHECK(ignore.may_reinclude_below("a/b/keep"));
  CHECK_FALSE(ignore.may_reinclude_below("a/c"));
  CHECK_FALSE(ignore.may_reinclude_below("x"));
  CHECK_FALSE(ignore.may_reinclude_below("ab"));
  CHECK_FALSE(DockerIgnore::parse("a\n").may_reinclude_below("a"));
  CHECK(ignore.patterns() == std::vector<std::string>{"a", "!a/b/keep", "x", "!*/keep"});
}

TEST_CASE("docker::DockerIgnore load reads a file and treats a missing one as empty")
{
  std::random_device random;
  const fs::path dir = fs::temp_directory_path() / ("syntask-dockerignore-test-" + std::to_string(random()));
  fs::create_directories(dir);
  CHECK(DockerIgnore::load(dir / ".dockerignore").empty());
  std::ofstream(dir / ".dockerignore") << "node_modules\n[bad\n";
  try {
    (void)DockerIgnore::load(dir / ".dockerignore");
    FAIL("no error");
  } catch (const syntask::ConfigError& error) {
    CHECK(std::string(error.what()) == ".dockerignore:2: syntax error in pattern '[bad'");
  }
  std::ofstream(dir / ".dockerignore") << "node_modules\n";
  CHECK(DockerIgnore::load(dir / ".dockerignore").excludes("node_modules/x"));
  fs::remove_all(dir);
}
