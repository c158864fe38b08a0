// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/git/repository.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/process.hpp>

#include <catch2/catch_test_macros.hpp>

#include <atomic>
#include <chrono>

namespace {

namespace fs = std::filesystem;
using syntask::git::inspect_repository;

// A scratch directory holding a bare "remote" and a clone of it, made with the git command line.
class GitFixture {
public:
  GitFixture()
  {
    static std::atomic<int> counter{0};
    m_root = fs::temp_directory_path() /
             ("syntask-git-repo-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(m_root);
    m_environment = syntask::util::current_environment();
    for (const char* name : {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"}) {
      m_environment.erase(name);
    }
    m_environment["GIT_CONFIG_GLOBAL"] = (m_root / "gitconfig").string();
    m_environment["GIT_CONFIG_NOSYSTEM"] = "1";
    m_environment["GIT_AUTHOR_NAME"] = "Test";
    m_environment["GIT_AUTHOR_EMAIL"] = "test@example.com";
    m_environment["GIT_COMMITTER_NAME"] = "Test";
    m_environment["GIT_COMMITTER_EMAIL"] = "test@example.com";
    syntask::util::write_file_atomic(m_root / "gitconfig", "[init]\n\tdefaultBranch = main\n");
  }
  ~GitFixture()
  {
    std::error_code ignored;
    fs::remove_all(m_root, ignored);
  }
  GitFixture(const GitFixture&) = delete;
  GitFixture& operator=(const GitFixture&) = delete;

  fs::path root() const { return m_root; }
  fs::path work() const { return m_root / "work"; }

  std::string git(const fs::path& directory, const std::vector<std::string>& args)
  {
    std::vector<std::string> argv{"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    syntask::util::ProcessOptions options;
    options.working_directory = directory;
    options.environment = m_environment;
    const auto result = syntask::util::run_process(argv, options);
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == 0);
    auto text = result.stdout_text;
    while (!text.empty() && text.back() == '\n') {
      text.pop_back();
    }
    return text;
  }

  void write(const std::string& name, const std::string& content)
  {
    fs::create_directories((work() / name).parent_path());
    syntask::util::write_file_atomic(work() / name, content);
  }

  void commit(const std::string& message)
  {
    git(work(), {"add", "-A"});
    git(work(), {"commit", "-q", "-m", message});
  }

  // A bare remote `origin` with one pushed commit on main, cloned into work().
  void make_pushed_clone()
  {
    git(m_root, {"init", "-q", "--bare", "remote.git"});
    git(m_root, {"clone", "-q", (m_root / "remote.git").string(), "work"});
    write("flows/hello.py", "print('hello')\n");
    commit("first");
    git(work(), {"push", "-q", "origin", "main"});
  }

private:
  fs::path m_root;
  std::map<std::string, std::string> m_environment;
};

} // namespace

TEST_CASE("git::inspect_repository outside a repository")
{
  GitFixture fixture;
  fs::create_directories(fixture.root() / "plain");
  CHECK_FALSE(inspect_repository(fixture.root() / "plain").has_value());
}

TEST_CASE("git::inspect_repository reads remote, branch and HEAD of a pushed clone")
{
  GitFixture fixture;
  fixture.make_pushed_clone();
  const auto sha = fixture.git(fixture.work(), {"rev-parse", "HEAD"});

  const auto state = inspect_repository(fixture.work() / "flows");
  REQUIRE(state.has_value());
  CHECK(state->root == fs::canonical(fixture.work()));
  CHECK(state->remote_name == "origin");
  CHECK(state->remote_url == (fixture.root() / "remote.git").string());
  CHECK(state->branch == "main");
  CHECK(state->head_commit == sha);
  CHECK(state->head_commit.size() == 40);
  CHECK(state->tracking_branch == "origin/main");
  CHECK_FALSE(state->dirty);
  CHECK(state->head_pushed);
}

TEST_CASE("git::inspect_repository sees uncommitted changes but not ignored files")
{
  GitFixture fixture;
  fixture.make_pushed_clone();
  fixture.write(".gitignore", "*.log\n");
  fixture.commit("ignore logs");
  fixture.git(fixture.work(), {"push", "-q", "origin", "main"});

  fixture.write("debug.log", "noise\n");
  CHECK_FALSE(inspect_repository(fixture.work())->dirty);

  SECTION("an untracked file")
  {
    fixture.write("new.py", "x = 1\n");
    CHECK(inspect_repository(fixture.work())->dirty);
  }
  SECTION("a modified tracked file")
  {
    fixture.write("flows/hello.py", "print('changed')\n");
    CHECK(inspect_repository(fixture.work())->dirty);
  }
  SECTION("a staged change")
  {
    fixture.write("flows/hello.py", "print('staged')\n");
    fixture.git(fixture.work(), {"add", "flows/hello.py"});
    CHECK(inspect_repository(fixture.work())->dirty);
  }
  SECTION("a deleted file")
  {
    fs::remove(fixture.work() / "flows/hello.py");
    CHECK(inspect_repository(fixture.work())->dirty);
  }
}

TEST_CASE("git::inspect_repository tells whether HEAD is on the remote branch")
{
  GitFixture fixture;
  fixture.make_pushed_clone();

  SECTION("a local commit not pushed")
  {
    fixture.write("more.py", "y = 2\n");
    fixture.commit("second");
    const auto state = inspect_repository(fixture.work());
    CHECK_FALSE(state->dirty);
    CHECK_FALSE(state->head_pushed);
    CHECK(state->tracking_branch == "origin/main");
  }
  SECTION("behind the remote branch still counts as pushed")
  {
    fixture.write("more.py", "y = 2\n");
    fixture.commit("second");
    fixture.git(fixture.work(), {"push", "-q", "origin", "main"});
    fixture.git(fixture.work(), {"reset", "-q", "--hard", "HEAD~1"});
    CHECK(inspect_repository(fixture.work())->head_pushed);
  }
  SECTION("a branch without upstream but pushed under the same name")
  {
    fixture.git(fixture.work(), {"checkout", "-q", "-b", "feature"});
    fixture.write("feature.py", "z = 3\n");
    fixture.commit("feature");
    auto state = inspect_repository(fixture.work());
    CHECK(state->branch == "feature");
    CHECK(state->tracking_branch.empty());
    CHECK_FALSE(state->head_pushed);
    fixture.git(fixture.work(), {"push", "-q", "origin", "feature"});
    state = inspect_repository(fixture.work());
    CHECK(state->tracking_branch == "origin/feature");
    CHECK(state->head_pushed);
  }
  SECTION("a detached HEAD has no branch")
  {
    fixture.git(fixture.work(), {"checkout", "-q", "--detach"});
    const auto state = inspect_repository(fixture.work());
    CHECK(state->branch.empty());
    CHECK(state->head_commit.size() == 40);
    CHECK_FALSE(state->head_pushed);
  }
}

TEST_CASE("git::inspect_repository picks origin, else the first remote")
{
  GitFixture fixture;
  fixture.git(fixture.root(), {"init", "-q", "work"});
  auto state = inspect_repository(fixture.work());
  REQUIRE(state.has_value());
  CHECK_FALSE(state->has_remote());
  CHECK(state->branch.empty());
  CHECK(state->head_commit.empty());
  CHECK_FALSE(state->head_pushed);

  fixture.git(fixture.work(), {"remote", "add", "zeta", "https://example.com/zeta.git"});
  fixture.git(fixture.work(), {"remote", "add", "upstream", "git@example.com:org/up.git"});
  CHECK(inspect_repository(fixture.work())->remote_name == "upstream");
  CHECK(inspect_repository(fixture.work())->remote_url == "git@example.com:org/up.git");
  fixture.git(fixture.work(), {"remote", "add", "origin", "https://example.com/org/repo.git"});
  CHECK(inspect_repository(fixture.work())->remote_name == "origin");
  CHECK(inspect_repository(fixture.work())->remote_url == "https://example.com/org/repo.git");
}

TEST_CASE("git::is_ssh_url")
{
  using syntask::git::is_ssh_url;
  CHECK(is_ssh_url("git@github.com:org/repo.git"));
  CHECK(is_ssh_url("ssh://git@127.0.0.1:2222/srv/repos/flows.git"));
  CHECK(is_ssh_url("git+ssh://host/repo.git"));
  CHECK(is_ssh_url("host:repo.git"));
  CHECK_FALSE(is_ssh_url("https://github.com/org/repo.git"));
  CHECK_FALSE(is_ssh_url("http://user:pw@host/repo.git"));
  CHECK_FALSE(is_ssh_url("git://127.0.0.1:9418/flows.git"));
  CHECK_FALSE(is_ssh_url("/srv/repos/flows.git"));
  CHECK_FALSE(is_ssh_url("file:///srv/repos/flows.git"));
  CHECK_FALSE(is_ssh_url("C:/repos/flows.git"));
}

TEST_CASE("git::strip_user_info")
{
  using syntask::git::strip_user_info;
  CHECK(strip_user_info("https://user:tok3n@github.com/org/repo.git") == "https://github.com/org/repo.git");
  CHECK(strip_user_info("https://tok3n@github.com/org/repo.git") == "https://github.com/org/repo.git");
  CHECK(strip_user_info("http://127.0.0.1:8081/flows.git") == "http://127.0.0.1:8081/flows.git");
  CHECK(strip_user_info("https://host/path/with@sign.git") == "https://host/path/with@sign.git");
  CHECK(strip_user_info("ssh://git@127.0.0.1:2222/srv/flows.git") ==
        "ssh://git@127.0.0.1:2222/srv/flows.git");
  CHECK(strip_user_info("HTTPS://u:p@host/r.git") == "HTTPS://host/r.git");
  CHECK(strip_user_info("git@github.com:org/repo.git") == "git@github.com:org/repo.git");
}
