// SPDX-License-Identifier: Apache-2.0
#include <syntask/git/clone.hpp>
#include <syntask/steps/runner.hpp>
#include <syntask/steps/step.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "support/env_scope.hpp"
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace syntask;
namespace fs = std::filesystem;

namespace {

/// A source repository made with the git command line, published as a bare repository, plus a
/// working directory and SYNTASK_HOME to clone into.
struct GitFixture {
  fs::path dir;
  fs::path source;
  fs::path bare;
  fs::path work;
  std::string url;
  std::vector<std::string> commits; ///< main's commits, oldest first
  std::string tag_commit;
  std::string develop_commit;
  test::EnvScope syntask_home;
  test::EnvScope no_cache{"SYNTASK_GIT_NO_CACHE", std::nullopt};

  static fs::path make_dir()
  {
    static std::atomic<int> counter{0};
    auto path = fs::temp_directory_path() /
                ("syntask-git-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path / "work");
    return path;
  }

  GitFixture() : dir(make_dir()), syntask_home("SYNTASK_HOME", (dir / "home").string())
  {
    source = dir / "source";
    bare = dir / "flows.git";
    work = dir / "work";
    url = "file://" + bare.string();
    git({"init", "-q", "-b", "main", source.string()});
    write("flows/hello.py", "from syntask import flow\n\n@flow\ndef hello():\n    print('hello')\n");
    write("person.txt", "Marvin\n");
    write("data/big.csv", "a,b\n1,2\n");
    write("docs/readme.md", "# docs\n");
    commits.push_back(commit("first"));
    git_in(source, {"tag", "-a", "v1", "-m", "version 1"});
    tag_commit = commits.back();
    write("person.txt", "Ford\n");
    commits.push_back(commit("second"));
    git_in(source, {"checkout", "-q", "-b", "develop"});
    write("develop.txt", "develop\n");
    develop_commit = commit("on develop");
    git_in(source, {"checkout", "-q", "main"});
    write("person.txt", "Arthur\n");
    commits.push_back(commit("third"));
    git({"clone", "-q", "--bare", source.string(), bare.string()});
  }
  ~GitFixture() { fs::remove_all(dir); }

  std::string git_in(const fs::path& where, std::vector<std::string> args) const
  {
    args.insert(args.begin(), {"git", "-c", "protocol.file.allow=always"});
    util::ProcessOptions options;
    options.environment = util::current_environment();
    options.environment["HOME"] = dir.string();
    options.environment["GIT_CONFIG_NOSYSTEM"] = "1";
    options.environment["GIT_AUTHOR_NAME"] = options.environment["GIT_COMMITTER_NAME"] = "Test";
    options.environment["GIT_AUTHOR_EMAIL"] = options.environment["GIT_COMMITTER_EMAIL"] = "test@example.com";
    options.working_directory = where;
    const auto result = util::run_process(args, options);
    INFO(util::join(args, " ") << "\n" << result.stderr_text);
    REQUIRE(result.exit_code == 0);
    return util::trim(result.stdout_text);
  }
  std::string git(std::vector<std::string> args) const { return git_in(dir, std::move(args)); }

  void write(const std::string& name, const std::string& text) const
  {
    fs::create_directories((source / name).parent_path());
    util::write_file_atomic(source / name, text);
  }
  std::string commit(const std::string& message) const
  {
    git_in(source, {"add", "-A"});
    git_in(source, {"commit", "-q", "-m", message});
    return git_in(source, {"rev-parse", "HEAD"});
  }
  /// A new commit on main in the source, pushed to the bare repository.
  std::string advance(const std::string& text)
  {
    write("person.txt", text);
    commits.push_back(commit("change " + text));
    git_in(source, {"push", "-q", bare.string(), "main"});
    return commits.back();
  }

  git::CloneOptions options(const std::string& name = "flows") const
  {
    git::CloneOptions options;
    options.repository = url;
    options.destination = work / name;
    options.cache_root = dir / "home" / "git-cache";
    options.backoff_seconds = 0.01;
    return options;
  }

  std::string read(const fs::path& path) const { return util::read_file(path); }
  bool leftovers() const
  {
    for (const auto& entry : fs::directory_iterator(work)) {
      if (entry.path().filename().string().find(".syntask-tmp-") != std::string::npos) {
        return true;
      }
    }
    return false;
  }
};

} // namespace

TEST_CASE("git::clone_repository checks out the default branch shallowly")
{
  GitFixture f;
  // Local repositories are always fetched in full (libgit2's local transport has no shallow fetch);
  // depth is covered by the integration suite against the smart-HTTP server.
  for (const bool cache : {false, true}) {
    auto options = f.options(cache ? "cached" : "direct");
    options.use_cache = cache;
    const auto result = git::clone_repository(options);
    CHECK(result.directory == f.work / (cache ? "cached" : "direct"));
    CHECK(result.commit_sha == f.commits.back());
    CHECK(f.read(result.directory / "person.txt") == "Arthur\n");
    CHECK(fs::exists(result.directory / "flows/hello.py"));
    CHECK(fs::exists(result.directory / "data/big.csv"));
    CHECK(f.git_in(result.directory, {"rev-parse", "HEAD"}) == f.commits.back());
    CHECK(f.git_in(result.directory, {"rev-parse", "--abbrev-ref", "HEAD"}) == "main");
    CHECK(f.git_in(result.directory, {"remote", "get-url", "origin"}) == f.url);
    CHECK(f.git_in(result.directory, {"status", "--porcelain"}).empty());
    CHECK(fs::exists(f.dir / "home" / "git-cache" / (git::cache_key(f.url) + ".git")) == cache);
  }
  CHECK_FALSE(f.leftovers());
}

TEST_CASE("git::clone_repository selects branches, tags and full history")
{
  GitFixture f;
  auto develop = f.options("develop");
  develop.branch = "develop";
  CHECK(git::clone_repository(develop).commit_sha == f.develop_commit);
  CHECK(fs::exists(f.work / "develop" / "develop.txt"));

  auto tag = f.options("tag");
  tag.branch = "v1";
  CHECK(git::clone_repository(tag).commit_sha == f.tag_commit);
  CHECK(f.read(f.work / "tag" / "person.txt") == "Marvin\n");

  auto full = f.options("full");
  full.depth = 0;
  full.use_cache = false;
  git::clone_repository(full);
  CHECK(f.git_in(f.work / "full", {"rev-list", "--count", "HEAD"}) == "3");
}

TEST_CASE("git::clone_repository checks out a pinned commit after the branch moved on")
{
  GitFixture f;
  const auto pinned = f.commits[1];
  f.advance("Zaphod");
  for (const bool cache : {true, false}) {
    auto options = f.options(cache ? "cached" : "direct");
    options.use_cache = cache;
    options.branch = "main";
    options.commit_sha = pinned.substr(0, 10);
    const auto result = git::clone_repository(options);
    CHECK(result.commit_sha == pinned);
    CHECK(f.read(result.directory / "person.txt") == "Ford\n");
    CHECK(f.git_in(result.directory, {"rev-parse", "HEAD"}) == pinned);
  }
  // Without a branch the default branch is fetched to find it.
  auto options = f.options("nobranch");
  options.commit_sha = f.commits[0];
  CHECK(git::clone_repository(options).commit_sha == f.commits[0]);
}

TEST_CASE("git::clone_repository materialises only the sparse directories")
{
  GitFixture f;
  auto options = f.options();
  options.directories = {"flows", "./docs/"};
  const auto result = git::clone_repository(options);
  CHECK(fs::exists(result.directory / "flows/hello.py"));
  CHECK(fs::exists(result.directory / "docs/readme.md"));
  CHECK_FALSE(fs::exists(result.directory / "person.txt"));
  CHECK_FALSE(fs::exists(result.directory / "data"));
  CHECK(f.git_in(result.directory, {"status", "--porcelain"}).empty());

  // Updating without directories brings back the whole tree.
  git::clone_repository(f.options());
  CHECK(fs::exists(result.directory / "person.txt"));
  CHECK(fs::exists(result.directory / "data/big.csv"));
  CHECK(f.git_in(result.directory, {"status", "--porcelain"}) == "");
}

TEST_CASE("git::clone_repository updates an existing clone and refuses anything else")
{
  GitFixture f;
  git::clone_repository(f.options());
  const auto newer = f.advance("Trillian");
  for (const bool cache : {true, false}) {
    auto options = f.options();
    options.use_cache = cache;
    CHECK(git::clone_repository(options).commit_sha == newer);
    CHECK(f.read(f.work / "flows" / "person.txt") == "Trillian");
    CHECK(f.git_in(f.work / "flows", {"status", "--porcelain"}).empty());
  }

  fs::create_directories(f.work / "other");
  util::write_file_atomic(f.work / "other" / "file.txt", "x");
  CHECK_THROWS_WITH(git::clone_repository(f.options("other")), "destination '" + (f.work / "other").string() +
                                                                   "' exists and is not a clone of '" +
                                                                   f.url + "'");
  CHECK(fs::exists(f.work / "other" / "file.txt"));
}

TEST_CASE("git::clone_repository fails with one clear line and leaves nothing behind")
{
  GitFixture f;
  auto branch = f.options();
  branch.branch = "nope";
  CHECK_THROWS_WITH(git::clone_repository(branch), "branch 'nope' not found in '" + f.url + "'");

  auto commit = f.options();
  commit.commit_sha = "0123456789abcdef0123456789abcdef01234567";
  CHECK_THROWS_WITH(git::clone_repository(commit),
                    "commit '0123456789abcdef0123456789abcdef01234567' not found in '" + f.url +
                        "' (branch 'main')");

  auto missing = f.options();
  missing.repository = "file://" + (f.dir / "missing.git").string();
  missing.use_cache = false;
  CHECK_THROWS_WITH(git::clone_repository(missing), "repository '" + missing.repository + "' not found");

  CHECK_FALSE(fs::exists(f.work / "flows"));
  CHECK_FALSE(f.leftovers());
}

TEST_CASE("git::clone_repository never stores credentials from the URL")
{
  GitFixture f;
  auto options = f.options();
  options.repository = "file://someone:s3cr3t-token@" + f.bare.string();
  options.use_cache = false;
  git::clone_repository(options);
  const auto config = f.read(f.work / "flows" / ".git" / "config");
  CHECK(config.find("s3cr3t-token") == std::string::npos);
  CHECK(f.git_in(f.work / "flows", {"remote", "get-url", "origin"}) == f.url);
}

TEST_CASE("git::clone_repository shares one cache between concurrent pulls")
{
  GitFixture f;
  std::vector<std::thread> threads;
  std::atomic<int> succeeded{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      try {
        if (git::clone_repository(f.options("clone" + std::to_string(i))).commit_sha == f.commits.back()) {
          ++succeeded;
        }
      } catch (const std::exception&) {
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(succeeded == 4);
  // A second round fetches only what changed into the same mirror.
  const auto newer = f.advance("Slartibartfast");
  CHECK(git::clone_repository(f.options("later")).commit_sha == newer);
  test::EnvScope off("SYNTASK_GIT_NO_CACHE", "1");
  fs::remove_all(f.dir / "home" / "git-cache");
  git::clone_repository(f.options("uncached"));
  CHECK_FALSE(fs::exists(f.dir / "home" / "git-cache" / (git::cache_key(f.url) + ".git")));
}

TEST_CASE("git::clone_repository takes a pinned commit the cache holds without asking the remote")
{
  GitFixture f;
  auto pinned = f.options("first");
  pinned.branch = "main";
  pinned.commit_sha = f.commits[1];
  git::clone_repository(pinned);
  fs::rename(f.bare, f.dir / "gone.git");

  pinned.destination = f.work / "second";
  CHECK(git::clone_repository(pinned).commit_sha == f.commits[1]);
  CHECK(f.read(f.work / "second" / "person.txt") == "Ford\n");
  CHECK(f.git_in(f.work / "second", {"rev-parse", "origin/main"}) == f.commits.back());
  CHECK(f.git_in(f.work / "second", {"status", "--porcelain"}).empty());

  // Following the branch, or a commit the cache lacks, still needs the remote.
  auto follow = f.options("follow");
  follow.branch = "main";
  CHECK_THROWS_WITH(git::clone_repository(follow), "repository '" + f.url + "' not found");
  auto other = pinned;
  other.destination = f.work / "other";
  other.commit_sha = "0123456789abcdef0123456789abcdef01234567";
  CHECK_THROWS_WITH(git::clone_repository(other), "repository '" + f.url + "' not found");
  CHECK_FALSE(f.leftovers());
}

TEST_CASE("git::clone_repository asks the remote for a pinned commit the cache holds under another branch")
{
  GitFixture f;
  auto develop = f.options("develop");
  develop.branch = "develop";
  develop.commit_sha = f.develop_commit;
  git::clone_repository(develop);
  fs::rename(f.bare, f.dir / "gone.git");

  // The commit is in the cache, but main is not: the remote must say what main is.
  auto on_main = f.options("on-main");
  on_main.branch = "main";
  on_main.commit_sha = f.develop_commit;
  CHECK_THROWS_WITH(git::clone_repository(on_main), "repository '" + f.url + "' not found");
  CHECK_FALSE(f.leftovers());

  // Once the cache holds main too, the same request needs nothing from the remote, as a fetch of main
  // would have found the commit in the cache as well.
  fs::rename(f.dir / "gone.git", f.bare);
  auto main = f.options("main");
  main.branch = "main";
  git::clone_repository(main);
  fs::rename(f.bare, f.dir / "gone.git");
  CHECK(git::clone_repository(on_main).commit_sha == f.develop_commit);
  CHECK(f.read(f.work / "on-main" / "develop.txt") == "develop\n");
  CHECK(f.git_in(f.work / "on-main", {"rev-parse", "origin/main"}) == f.commits.back());
  CHECK(f.git_in(f.work / "on-main", {"status", "--porcelain"}).empty());
}

TEST_CASE("git::clone_repository clones submodules when asked")
{
  GitFixture f;
  const auto sub_source = f.dir / "sub-source";
  f.git({"init", "-q", "-b", "main", sub_source.string()});
  util::write_file_atomic(sub_source / "inner.txt", "inner\n");
  f.git_in(sub_source, {"add", "-A"});
  f.git_in(sub_source, {"commit", "-q", "-m", "inner"});
  f.git({"clone", "-q", "--bare", sub_source.string(), (f.dir / "sub.git").string()});
  f.git_in(f.source, {"submodule", "add", "-q", "file://" + (f.dir / "sub.git").string(), "sub"});
  f.commit("add submodule");
  f.git_in(f.source, {"push", "-q", f.bare.string(), "main"});

  auto without = f.options("without");
  git::clone_repository(without);
  CHECK_FALSE(fs::exists(f.work / "without" / "sub" / "inner.txt"));

  auto with = f.options("with");
  with.include_submodules = true;
  git::clone_repository(with);
  CHECK(f.read(f.work / "with" / "sub" / "inner.txt") == "inner\n");
}

namespace {

/// Every file under `root` but .git, by relative path.
std::vector<fs::path> tree_files(const fs::path& root)
{
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
    } else if (!it->is_directory()) {
      files.push_back(it->path().lexically_relative(root));
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::uint64_t inode(const fs::path& path)
{
  struct stat status {};
  REQUIRE(::stat(path.c_str(), &status) == 0);
  return status.st_ino;
}

bool owner_executable(const fs::path& path)
{
  return (fs::status(path).permissions() & fs::perms::owner_exec) != fs::perms::none;
}

/// Checks that `clone` holds exactly the files of the fixture's source, with a clean index.
void check_exact_clone(const GitFixture& f, const fs::path& clone)
{
  const auto files = tree_files(clone);
  REQUIRE(files == tree_files(f.source));
  for (const auto& file : files) {
    INFO(file.string());
    CHECK(f.read(clone / file) == f.read(f.source / file));
    CHECK(owner_executable(clone / file) == owner_executable(f.source / file));
  }
  CHECK(f.git_in(clone, {"status", "--porcelain"}).empty());
  // The index holds each file's real stat data, so git trusts it without hashing the file again.
  CHECK_THAT(f.git_in(clone, {"ls-files", "--debug", "bin/run.sh"}),
             Catch::Matchers::ContainsSubstring("ino: " + std::to_string(inode(clone / "bin/run.sh"))));
}

} // namespace

TEST_CASE("git::clone_repository writes a new clone's files exactly as committed")
{
  GitFixture f;
  // Enough files in enough directories to be written by several threads.
  for (int i = 0; i < 700; ++i) {
    f.write("many/d" + std::to_string(i % 23) + "/deeper/f" + std::to_string(i) + ".txt",
            "file " + std::to_string(i) + "\n");
  }
  f.write("bin/run.sh", "#!/bin/sh\necho run\n");
  fs::permissions(f.source / "bin/run.sh", fs::perms::owner_exec, fs::perm_options::add);
  f.write("empty.txt", "");
  f.write("crlf.bin", std::string("a\r\nb\0c\r\n", 9));
  const auto head = f.commit("many files");
  f.git_in(f.source, {"push", "-q", f.bare.string(), "main"});
  const auto snapshot = f.dir / "home" / "git-cache" / (git::cache_key(f.url) + ".snapshots") /
                        f.git_in(f.source, {"rev-parse", "HEAD^{tree}"});

  SECTION("without the cache")
  {
    auto options = f.options("direct");
    options.use_cache = false;
    CHECK(git::clone_repository(options).commit_sha == head);
    check_exact_clone(f, options.destination);
    CHECK_FALSE(fs::exists(snapshot.parent_path()));
  }
  SECTION("with the cache: from the objects, then from the snapshot kept by the first clone")
  {
    CHECK(git::clone_repository(f.options("first")).commit_sha == head);
    check_exact_clone(f, f.work / "first");
    REQUIRE(fs::exists(snapshot));
    const auto kept = f.read(snapshot);
    const auto kept_inode = inode(snapshot);
    CHECK(git::clone_repository(f.options("second")).commit_sha == head);
    check_exact_clone(f, f.work / "second");
    // Read, not replaced: a clone that had to write the files from the objects writes a new snapshot.
    CHECK(inode(snapshot) == kept_inode);
    CHECK(f.read(snapshot) == kept);

    // A snapshot whose content does not hash to the tree's blobs is not trusted: the files come from the
    // objects again, and a sound snapshot replaces it.
    auto damaged = kept;
    damaged.back() = static_cast<char>(damaged.back() ^ 1);
    util::write_file_atomic(snapshot, damaged);
    CHECK(git::clone_repository(f.options("third")).commit_sha == head);
    check_exact_clone(f, f.work / "third");
    CHECK(f.read(snapshot).size() == kept.size());
    CHECK(f.read(snapshot) != damaged);
    CHECK_FALSE(f.leftovers());
  }
}

TEST_CASE("git::clone_repository creates files and directories as libgit2's checkout does, less the umask")
{
  GitFixture f;
  f.write("bin/run.sh", "#!/bin/sh\n");
  fs::permissions(f.source / "bin/run.sh", fs::perms::owner_exec, fs::perm_options::add);
  f.commit("a script");
  f.git_in(f.source, {"push", "-q", f.bare.string(), "main"});
  GitFixture with_attributes;
  with_attributes.write(".gitattributes", "*.sh text\n");
  with_attributes.write("bin/run.sh", "#!/bin/sh\n");
  fs::permissions(with_attributes.source / "bin/run.sh", fs::perms::owner_exec, fs::perm_options::add);
  with_attributes.commit("attributes");
  with_attributes.git_in(with_attributes.source, {"push", "-q", with_attributes.bare.string(), "main"});

  const auto previous = ::umask(027);
  const auto direct = git::clone_repository(f.options()).directory;
  const auto through_libgit2 = git::clone_repository(with_attributes.options()).directory;
  ::umask(previous);
  for (const auto& clone : {direct, through_libgit2}) {
    INFO(clone.string());
    CHECK(fs::status(clone / "person.txt").permissions() == static_cast<fs::perms>(0640));
    CHECK(fs::status(clone / "bin" / "run.sh").permissions() == static_cast<fs::perms>(0750));
    CHECK(fs::status(clone / "flows").permissions() == static_cast<fs::perms>(0750));
  }
}

TEST_CASE("git::clone_repository leaves attributes, links and odd names to libgit2's checkout")
{
  GitFixture f;
  f.write(".gitattributes", "*.txt text eol=crlf\n");
  f.write("notes.txt", "one\ntwo\n");
  fs::create_symlink("notes.txt", f.source / "link.txt");
  f.commit("attributes and a link");
  f.git_in(f.source, {"push", "-q", f.bare.string(), "main"});
  const auto result = git::clone_repository(f.options());
  CHECK(f.read(result.directory / "notes.txt") == "one\r\ntwo\r\n");
  CHECK(fs::is_symlink(result.directory / "link.txt"));
  CHECK(fs::read_symlink(result.directory / "link.txt") == "notes.txt");
  CHECK(f.git_in(result.directory, {"status", "--porcelain"}).empty());

  // A name libgit2 refuses (".git" under NTFS 8.3 rules) fails the checkout as before, leaving nothing.
  GitFixture odd;
  odd.write("GIT~1/config", "x\n");
  odd.git_in(odd.source, {"-c", "core.protectNTFS=false", "add", "-A"});
  odd.git_in(odd.source, {"commit", "-q", "-m", "odd name"});
  odd.git_in(odd.source, {"push", "-q", odd.bare.string(), "main"});
  CHECK_THROWS_WITH(git::clone_repository(odd.options()),
                    "checkout failed: cannot checkout to invalid path 'GIT~1/config'");
  CHECK_FALSE(fs::exists(odd.work / "flows"));
  CHECK_FALSE(odd.leftovers());
}

namespace {

struct StepFixture {
  GitFixture git;
  util::Redactor redactor;
  std::ostringstream out;
  std::ostringstream err;
  ui::Output output{out, err, false, false, false};
  steps::StepContext context{output, redactor};

  StepFixture() { context.working_directory = git.work; }

  nlohmann::json run(nlohmann::json args, nlohmann::json raw = nlohmann::json::object())
  {
    const auto* step = steps::find_step("prefect.deployments.steps.git_clone");
    REQUIRE(step != nullptr);
    steps::StepCall call{std::string(step->name), "", 0, "pull", std::move(args), {}, std::move(raw)};
    return step->run(call, context);
  }
};

} // namespace

TEST_CASE("steps::git_clone returns the directory relative to the working directory and the commit")
{
  StepFixture f;
  const auto output = f.run({{"repository", f.git.url}, {"branch", "develop"}, {"pin", false}});
  CHECK(output == nlohmann::json{{"directory", "flows"}, {"commit_sha", f.git.develop_commit}});
  const auto named = f.run({{"repository", f.git.url}, {"clone_directory_name", "code"}, {"depth", "0"}});
  CHECK(named["directory"] == "code");
  CHECK(f.git.git_in(f.git.work / "code", {"rev-list", "--count", "HEAD"}) == "3");
}

namespace {

// Runs `stored` (a list of {name: args} steps) as pull steps in the fixture's working directory and
// returns the folder the flow would run from; the steps' outputs are left in `scope`.
fs::path run_pull_steps(StepFixture& f, steps::StepScope& scope, const nlohmann::json& stored)
{
  config::StepList list;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    list.push_back(config::StepSpec::from_json(stored[i], "/pull/" + std::to_string(i), SourceRef{}));
  }
  return steps::run_steps(list, "pull", f.context, scope, nullptr).flow_directory;
}

nlohmann::json clone_step(const std::string& url)
{
  return {
      {"prefect.deployments.steps.git_clone", {{"id", "clone-step"}, {"repository", url}, {"pin", false}}}};
}

} // namespace

TEST_CASE(
    "steps::run_steps: after git_clone, set_working_directory to the clone's folder is that folder once")
{
  // The fixture's repository is named flows and has a flows/ folder of its own: joining the clone's
  // folder twice would land there, a folder that exists.
  StepFixture f;
  steps::StepScope scope({}, nullptr);
  const auto flow =
      run_pull_steps(f, scope,
                     nlohmann::json::array({clone_step(f.git.url),
                                            {{"prefect.deployments.steps.set_working_directory",
                                              {{"directory", "{{ clone-step.directory }}"}}}}}));
  CHECK(flow == f.git.work / "flows");
  CHECK(f.context.working_directory == f.git.work / "flows");
  CHECK(fs::exists(flow / "flows/hello.py"));
}

TEST_CASE("steps::run_steps: git_clone leaves later steps in their folder; the flow runs in the clone")
{
  StepFixture f;
  steps::StepScope scope({}, nullptr);
  const auto flow = run_pull_steps(
      f, scope,
      nlohmann::json::array({clone_step(f.git.url),
                             {{"syntask.deployments.steps.run_shell_script",
                               {{"id", "where"}, {"script", "pwd"}, {"stream_output", false}}}},
                             {{"syntask.deployments.steps.run_shell_script",
                               {{"script", "cat {{ clone-step.directory }}/person.txt"}}}}}));
  CHECK(flow == f.git.work / "flows");
  CHECK(f.context.working_directory == f.git.work);
  CHECK(scope.outputs()["where"]["stdout"] == f.git.work.string());
  CHECK(f.out.str() == "Arthur\n");

  // set_working_directory into the repository's own flows/ folder, then a step reporting a relative
  // directory: the flow runs from the last directory reported, taken from the folder that step ran in.
  StepFixture g;
  steps::StepScope inner_scope({}, nullptr);
  const auto inner = run_pull_steps(
      g, inner_scope,
      nlohmann::json::array({clone_step(g.git.url),
                             {{"prefect.deployments.steps.set_working_directory",
                               {{"directory", "{{ clone-step.directory }}/flows"}}}},
                             {{"prefect.deployments.steps.git_clone",
                               {{"repository", g.git.url}, {"clone_directory_name", "again"}}}}}));
  CHECK(inner == g.git.work / "flows/flows/again");
  CHECK(g.context.working_directory == g.git.work / "flows/flows");
}

TEST_CASE("steps::git_clone checks its arguments before cloning")
{
  StepFixture f;
  CHECK_THROWS_WITH(
      f.run({{"repository", f.git.url}, {"commit_sha", "main"}}),
      "invalid commit SHA 'main': expected 4 to 64 hexadecimal digits (use 'branch' for a branch "
      "or tag name)");
  CHECK_THROWS_WITH(f.run({{"repository", f.git.url}, {"branch", "--upload-pack=x"}}),
                    "branch names cannot start with '-'");
  CHECK_THROWS_WITH(
      f.run({{"repository", f.git.url}, {"access_token", "abcd"}, {"credentials", {{"token", "x"}}}}),
      "give either 'access_token' or 'credentials', not both");
  CHECK_THROWS_WITH(
      f.run({{"repository", f.git.url}, {"depth", -1}}),
      "argument 'depth' of step 'syntask.deployments.steps.git_clone' must be a whole number (0 for "
      "the full history)");
  CHECK_THROWS_WITH(f.run({{"repository", f.git.url}, {"credentials", nlohmann::json::object()}}),
                    "the credentials hold no 'token' or 'password'");
}

TEST_CASE("steps::git_clone never shows a repository URL that came from a secret block")
{
  StepFixture f;
  const auto secret_url = "file://user:pass-word@" + (f.git.dir / "private-missing.git").string();
  CHECK_THROWS_WITH(f.run({{"repository", secret_url}, {"cache", false}},
                          {{"repository", "<< syntask.blocks.secret.clone-url >>"}}),
                    "repository '********' not found");
  CHECK(f.err.str().find("private-missing.git") == std::string::npos);
  CHECK(f.redactor.contains_secret(secret_url));
}
