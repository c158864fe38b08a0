// SPDX-License-Identifier: Apache-2.0
#include <syntask/storage/transfer.hpp>
#include <syntask/util/digest.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_exception.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "unit/test_storage_support.hpp"
#include <sstream>

using namespace syntask;
using namespace syntask::storage;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::Message;
using testing::MemoryBucket;
using testing::MemoryStore;
using testing::TempTree;

namespace {

struct Push {
  std::shared_ptr<MemoryBucket> bucket = std::make_shared<MemoryBucket>();
  MemoryStore store{bucket};
  TempTree tree{"push"};
  std::ostringstream err;

  UploadResult push(const std::string& folder, bool prune = false, int concurrency = 4)
  {
    UploadOptions options;
    options.root = tree.root;
    options.folder = folder;
    options.prune = prune;
    options.max_concurrency = concurrency;
    options.diagnostics = &err;
    return upload_tree(store, options);
  }

  DownloadResult pull(const std::filesystem::path& target, const std::string& folder,
                      const std::string& expected = "")
  {
    DownloadOptions options;
    options.target = target;
    options.folder = folder;
    options.expected_digest = expected;
    options.max_concurrency = 4;
    options.diagnostics = &err;
    return download_tree(store, options);
  }

  std::vector<std::string> keys() const
  {
    std::vector<std::string> keys;
    for (const auto& [key, data] : bucket->objects) {
      keys.push_back(key);
    }
    return keys;
  }
};

std::vector<std::string> files_below(const std::filesystem::path& root)
{
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_directory()) {
      files.push_back(entry.path().lexically_relative(root).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace

TEST_CASE("storage::upload_tree pushes every file, then the manifest")
{
  Push p;
  p.tree.write("flows/hello.py", "print('hi')\n");
  p.tree.write("a b/é.txt", "text");
  p.tree.write("empty", "");
  p.tree.write(".hidden", "dot");
  const auto result = p.push("code/");
  CHECK(result.uploaded == 4);
  CHECK(p.keys() == std::vector<std::string>{"code/.hidden", "code/.syntask-manifest.json", "code/a b/é.txt",
                                             "code/empty", "code/flows/hello.py"});
  REQUIRE(p.bucket->writes.size() == 5);
  CHECK(p.bucket->writes.back() == "code/.syntask-manifest.json");
  const auto& text = p.bucket->objects["code/.syntask-manifest.json"];
  CHECK(result.manifest_digest == manifest_digest(text));
  const auto manifest = Manifest::decode(text, "m");
  REQUIRE(manifest.files.size() == 4);
  CHECK(manifest.find("flows/hello.py")->sha256 == syntask::util::sha256_hex("print('hi')\n"));
  CHECK_THAT(p.err.str(), ContainsSubstring("Uploaded 4 files (19 B) to mem://bucket/code in "));
  CHECK_THAT(p.err.str(), ContainsSubstring("; 0 unchanged\n"));

  SECTION("folder \"\" puts keys at the bucket root")
  {
    Push q;
    q.tree.write("a", "1");
    q.push("");
    CHECK(q.keys() == std::vector<std::string>{".syntask-manifest.json", "a"});
  }
}

TEST_CASE("storage::upload_tree re-push sends only what changed")
{
  Push p;
  p.tree.write("a.py", "a");
  p.tree.write("b.py", "b");
  p.tree.write("c.py", "c");
  const auto first = p.push("f");
  p.bucket->writes.clear();
  p.bucket->lists = 0;
  p.bucket->reads = 0;

  SECTION("nothing changed: one listing, one manifest read, no write")
  {
    const auto again = p.push("f");
    CHECK(p.bucket->writes.empty());
    CHECK(p.bucket->lists == 1);
    CHECK(p.bucket->reads == 1);
    CHECK(again.uploaded == 0);
    CHECK(again.unchanged == 3);
    CHECK(again.manifest_digest == first.manifest_digest);
  }
  SECTION("one file changed: an interim manifest without it, the file, the new manifest")
  {
    p.tree.write("b.py", "bb");
    const auto again = p.push("f");
    CHECK(p.bucket->writes ==
          std::vector<std::string>{"f/.syntask-manifest.json", "f/b.py", "f/.syntask-manifest.json"});
    CHECK(again.uploaded == 1);
    CHECK(again.manifest_digest != first.manifest_digest);
  }
  SECTION("a file missing remotely is uploaded again")
  {
    p.bucket->objects.erase("f/c.py");
    p.push("f");
    CHECK(p.bucket->writes ==
          std::vector<std::string>{"f/.syntask-manifest.json", "f/c.py", "f/.syntask-manifest.json"});
  }
  SECTION("a push that fails half-way leaves no manifest vouching for the changed file")
  {
    p.tree.write("b.py", "bb");
    p.bucket->fail_key = "f/b.py";
    CHECK_THROWS_AS(p.push("f"), RemoteError);
    const auto manifest = Manifest::decode(p.bucket->objects["f/.syntask-manifest.json"], "m");
    CHECK(manifest.find("b.py") == nullptr);
    CHECK(manifest.find("a.py") != nullptr);
    p.bucket->fail_key.clear();
    p.tree.write("b.py", "b"); // back to the old content: still uploaded, the remote may hold anything
    p.bucket->writes.clear();
    p.push("f");
    CHECK(p.bucket->writes == std::vector<std::string>{"f/b.py", "f/.syntask-manifest.json"});
  }
}

TEST_CASE("storage::upload_tree prune stays inside the folder")
{
  Push p;
  p.tree.write("keep.py", "k");
  p.tree.write("gone.py", "g");
  p.push("f");
  MemoryStore::plant(*p.bucket, "f-2/other.py", "x");
  MemoryStore::plant(*p.bucket, "other", "x");
  MemoryStore::plant(*p.bucket, "f/dir/", "", true);
  std::filesystem::remove(p.tree.root / "gone.py");

  SECTION("without prune stale files stay")
  {
    const auto result = p.push("f");
    CHECK(result.removed == 0);
    CHECK(p.bucket->objects.count("f/gone.py") == 1);
  }
  SECTION("with prune they go, and nothing else")
  {
    const auto result = p.push("f", true);
    CHECK(result.removed == 1);
    CHECK(p.bucket->removes == std::vector<std::string>{"f/gone.py"});
    CHECK(p.keys() == std::vector<std::string>{"f-2/other.py", "f/.syntask-manifest.json", "f/dir/",
                                               "f/keep.py", "other"});
    CHECK(p.bucket->writes.back() == "f/.syntask-manifest.json");
  }
}

TEST_CASE("storage::upload_tree follows the ignore file")
{
  Push p;
  p.tree.write("flow.py", "f");
  p.tree.write("secret.env", "s");
  p.tree.write("cache/x.pyc", "c");

  SECTION(".syntaskignore")
  {
    p.tree.write(".syntaskignore", "*.env\ncache/\n");
    p.tree.write(".prefectignore", "flow.py\n");
    p.push("f");
    CHECK(p.keys() == std::vector<std::string>{"f/.prefectignore", "f/.syntask-manifest.json",
                                               "f/.syntaskignore", "f/flow.py"});
  }
  SECTION("a project with only .prefectignore uses it")
  {
    p.tree.write(".prefectignore", "*.env\ncache/\n.prefectignore\n");
    p.push("f");
    CHECK(p.keys() == std::vector<std::string>{"f/.syntask-manifest.json", "f/flow.py"});
  }
  SECTION("a project without an ignore file is pushed with the rules init writes, and says so")
  {
    p.tree.write(".git/HEAD", "ref: refs/heads/main\n");
    p.tree.write(".env", "TOKEN=x");
    p.tree.write(".env.local", "TOKEN=y");
    p.tree.write("sub/.venv/bin/python", "p");
    p.push("f");
    CHECK(p.keys() == std::vector<std::string>{"f/.syntask-manifest.json", "f/flow.py", "f/secret.env"});
    CHECK(p.err.str().find("No .syntaskignore or .prefectignore in " + p.tree.root.string() +
                           ": leaving out what `syntask init` writes") != std::string::npos);
  }
  SECTION("a named ignore file that does not exist ignores nothing")
  {
    p.tree.write(".syntaskignore", "*\n");
    UploadOptions options;
    options.root = p.tree.root;
    options.folder = "f";
    options.ignore_file = "missing-ignore";
    upload_tree(p.store, options);
    CHECK(p.keys().size() == 5);
  }
}

TEST_CASE("storage::upload_tree symlinks")
{
  Push p;
  TempTree outside("outside");
  outside.write("secret", "s");
  p.tree.write("real/data.txt", "d");
  std::filesystem::create_symlink(p.tree.root / "real/data.txt", p.tree.root / "link.txt");
  std::filesystem::create_symlink(outside.root / "secret", p.tree.root / "escape.txt");
  std::filesystem::create_directory_symlink(p.tree.root / "real", p.tree.root / "dirlink");
  std::filesystem::create_symlink(p.tree.root / "nothing", p.tree.root / "dangling");
  const auto result = p.push("f");
  CHECK(p.keys() == std::vector<std::string>{"f/.syntask-manifest.json", "f/link.txt", "f/real/data.txt"});
  CHECK(p.bucket->objects["f/link.txt"] == "d");
  CHECK(result.warnings == std::vector<std::string>{"skipped symlink 'dangling': its target does not exist",
                                                    "skipped symlink 'escape.txt': it points outside the "
                                                    "directory being pushed"});
}

TEST_CASE("storage::upload_tree retries transient failures and uses multipart for large files")
{
  Push p;
  p.tree.write("big.bin", std::string(10, 'x') + "0123456789");
  p.tree.write("small", "s");
  p.store = MemoryStore(p.bucket, 8, 6);
  p.bucket->transient_failures = 2;
  p.push("f", false, 1);
  CHECK(p.bucket->objects["f/big.bin"] == std::string(10, 'x') + "0123456789");
  CHECK(p.bucket->objects["f/small"] == "s");

  SECTION("a permanent failure stops the push without the manifest")
  {
    Push q;
    q.tree.write("a", "1");
    q.bucket->fail_key = "f/a";
    CHECK_THROWS_MATCHES(q.push("f"), RemoteError, Message("PUT 'mem://bucket/f/a': 500 InternalError"));
    CHECK(q.bucket->objects.count("f/.syntask-manifest.json") == 0);
  }
  SECTION("transient failures beyond the attempts propagate")
  {
    Push q;
    q.tree.write("a", "1");
    q.bucket->transient_failures = k_file_attempts;
    CHECK_THROWS_MATCHES(q.push("f"), RemoteError, Message("PUT 'mem://bucket/f/a': 503 SlowDown"));
  }
}

TEST_CASE("storage::upload_tree sends the parts of a large file at once, within max_concurrency")
{
  Push p;
  std::string big;
  for (int i = 0; i < 40; ++i) {
    big += static_cast<char>('a' + i % 26);
  }
  p.tree.write("big.bin", big);
  p.tree.write("small.txt", "s");
  p.store = MemoryStore(p.bucket, 8, 4); // big.bin: 10 parts of 4 bytes
  // Requests wait until three are in flight together: only a push that overlaps parts gets there.
  p.bucket->gate = 3;
  const auto result = p.push("f", false, 3);
  CHECK(p.bucket->gate_open);
  CHECK(p.bucket->peak_in_flight == 3);
  CHECK(result.uploaded == 2);
  CHECK(p.bucket->objects["f/big.bin"] == big);
  CHECK(p.bucket->objects["f/small.txt"] == "s");
  CHECK(p.bucket->aborts == 0);
  // The manifest still comes last.
  CHECK(p.bucket->writes.back() == "f/.syntask-manifest.json");

  SECTION("one worker sends one request at a time")
  {
    Push q;
    q.tree.write("big.bin", big);
    q.store = MemoryStore(q.bucket, 8, 4);
    q.push("f", false, 1);
    CHECK(q.bucket->peak_in_flight == 1);
    CHECK(q.bucket->objects["f/big.bin"] == big);
  }
}

TEST_CASE("storage::upload_tree aborts a multipart upload whose part fails and writes no manifest")
{
  Push p;
  p.tree.write("big.bin", std::string(40, 'x'));
  p.store = MemoryStore(p.bucket, 8, 4);
  p.bucket->fail_part = 3;
  CHECK_THROWS_MATCHES(p.push("f", false, 4), RemoteError,
                       Message("PUT 'mem://bucket/f/big.bin' part 3: 500 InternalError"));
  CHECK(p.bucket->aborts == 1);
  CHECK(p.bucket->objects.count("f/big.bin") == 0);
  CHECK(p.bucket->objects.count("f/.syntask-manifest.json") == 0);
}

TEST_CASE("storage::download_tree round trip, verified")
{
  Push p;
  p.tree.write("flows/hello.py", "print('hi')\n");
  p.tree.write("a b/é.txt", std::string("\0\x01\xff", 3));
  p.tree.write("empty", "");
  const auto pushed = p.push("f");
  MemoryStore::plant(*p.bucket, "f-2/other.py", "x");
  MemoryStore::plant(*p.bucket, "f/dir/", "", true);
  TempTree target("pull");
  target.write("flows/hello.py", "old");
  target.write("unrelated.txt", "stays");

  const auto pulled = p.pull(target.root, "f", pushed.manifest_digest);
  CHECK(pulled.downloaded == 3);
  CHECK(pulled.manifest_digest == pushed.manifest_digest);
  CHECK(pulled.warnings.empty());
  CHECK(files_below(target.root) ==
        std::vector<std::string>{"a b/é.txt", "empty", "flows/hello.py", "unrelated.txt"});
  CHECK(target.read("flows/hello.py") == "print('hi')\n");
  CHECK(target.read("a b/é.txt") == std::string("\0\x01\xff", 3));
  CHECK(target.read("unrelated.txt") == "stays");
  // The temporary sibling directory is gone.
  for (const auto& entry : std::filesystem::directory_iterator(target.root.parent_path())) {
    CHECK_THAT(entry.path().filename().string(),
               !ContainsSubstring("." + target.root.filename().string() + ".syntask-pull-"));
  }
}

TEST_CASE("storage::download_tree refuses changed code")
{
  Push p;
  p.tree.write("a.py", "a");
  const auto pushed = p.push("f");
  TempTree target("pull");
  target.write("a.py", "mine");

  SECTION("another push changed the manifest")
  {
    p.tree.write("a.py", "changed");
    const auto later = p.push("f");
    CHECK_THROWS_MATCHES(p.pull(target.root, "f", pushed.manifest_digest), RemoteError,
                         Message("the code in mem://bucket/f changed since it was deployed (manifest " +
                                 pushed.manifest_digest.substr(0, 19) + " expected, " +
                                 later.manifest_digest.substr(0, 19) +
                                 " found): redeploy to run the current code"));
  }
  SECTION("the manifest is gone")
  {
    p.bucket->objects.erase("f/.syntask-manifest.json");
    CHECK_THROWS_MATCHES(p.pull(target.root, "f", pushed.manifest_digest), RemoteError,
                         Message("the code in mem://bucket/f changed since it was deployed (its manifest is "
                                 "missing): redeploy to run the current code"));
  }
  SECTION("a file no longer matches the manifest")
  {
    p.bucket->objects["f/a.py"] = "b";
    CHECK_THROWS_MATCHES(p.pull(target.root, "f", pushed.manifest_digest), RemoteError,
                         Message("the code in mem://bucket/f changed since it was deployed ('a.py' does not "
                                 "match its manifest): redeploy to run the current code"));
    CHECK_THROWS_MATCHES(p.pull(target.root, "f"), RemoteError,
                         Message("'a.py' in mem://bucket/f does not match its manifest: a push may have "
                                 "stopped half-way; push again"));
  }
  SECTION("a file is missing")
  {
    p.bucket->objects.erase("f/a.py");
    CHECK_THROWS_MATCHES(p.pull(target.root, "f"), RemoteError,
                         Message("'a.py' is listed in the manifest of mem://bucket/f but missing: a push may "
                                 "have stopped half-way; push again"));
    // The listing runs beside the downloads; its verdict wins over the download's "not found".
    CHECK_THROWS_MATCHES(p.pull(target.root, "f", pushed.manifest_digest), RemoteError,
                         Message("the code in mem://bucket/f changed since it was deployed ('a.py' is "
                                 "missing): redeploy to run the current code"));
  }
  // Whatever failed, the target is as it was.
  CHECK(files_below(target.root) == std::vector<std::string>{"a.py"});
  CHECK(target.read("a.py") == "mine");
}

TEST_CASE("storage::download_tree without a manifest pulls everything safe")
{
  auto bucket = std::make_shared<MemoryBucket>();
  MemoryStore store(bucket);
  for (const auto* key : {"f/ok.py", "f/sub/ok.txt", "f/../x", "f/a/../../x", "f//abs", "f/..\\x", "f/..%2Fx",
                          "f-2/sibling.py"}) {
    MemoryStore::plant(*bucket, key, "data");
  }
  MemoryStore::plant(*bucket, "f/dir/", "", true);
  TempTree target("pull");
  const auto sandbox = target.root / "work";
  std::ostringstream err;
  DownloadOptions options;
  options.target = sandbox;
  options.folder = "f";
  options.diagnostics = &err;
  const auto result = download_tree(store, options);
  CHECK(result.downloaded == 2);
  CHECK(files_below(target.root) == std::vector<std::string>{"work/ok.py", "work/sub/ok.txt"});
  CHECK(result.warnings ==
        std::vector<std::string>{
            "mem://bucket/f has no manifest (.syntask-manifest.json): pulling every file in it without "
            "verification",
            "skipped 'f/..%2Fx': it would be written outside the target: it contains a '..' segment once "
            "percent-decoded",
            "skipped 'f/../x': it would be written outside the target: it contains a '..' segment",
            "skipped 'f/..\\x': it would be written outside the target: it contains a backslash",
            "skipped 'f//abs': it would be written outside the target: it is an absolute path",
            "skipped 'f/a/../../x': it would be written outside the target: it contains a '..' segment"});
}

TEST_CASE("storage::download_tree with a manifest skips unlisted keys and replaces symlinked parents")
{
  Push p;
  p.tree.write("sub/a.py", "a");
  const auto pushed = p.push("f");
  MemoryStore::plant(*p.bucket, "f/../escape", "x");
  TempTree target("pull");
  TempTree outside("outside");
  std::filesystem::create_directory_symlink(outside.root, target.root / "sub");
  const auto result = p.pull(target.root, "f", pushed.manifest_digest);
  CHECK(result.warnings ==
        std::vector<std::string>{"skipped 1 object in mem://bucket/f that its manifest does not list"});
  CHECK(!std::filesystem::is_symlink(target.root / "sub"));
  CHECK(target.read("sub/a.py") == "a");
  CHECK(files_below(outside.root).empty());
}
