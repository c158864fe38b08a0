// SPDX-License-Identifier: Apache-2.0
#include <syntask/storage/transfer.hpp>
#include <syntask/util/digest.hpp>

#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>

#include "storage/hash_cache.hpp"
#include "unit/test_storage_support.hpp"
#include <fcntl.h>
#include <sys/stat.h>

using namespace syntask;
using namespace syntask::storage;
using detail::FileStamp;
using detail::HashCache;
using testing::MemoryBucket;
using testing::MemoryStore;
using testing::TempTree;

namespace {

namespace fs = std::filesystem;

constexpr std::int64_t k_second = 1'000'000'000;
constexpr std::int64_t k_taken_at = 1'800'000'000 * k_second;
const std::string k_hash_a(64, 'a');
const std::string k_hash_b(64, 'b');

FileStamp settled_stamp()
{
  return {4, k_taken_at - 3600 * k_second, k_taken_at - 3600 * k_second, 77, 5};
}

std::string read_text(const fs::path& file)
{
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Sets a file's mtime without touching its content, as `touch -d` does; the ctime becomes now.
void set_mtime(const fs::path& file, std::int64_t mtime_ns)
{
  const timespec times[2] = {{mtime_ns / k_second, mtime_ns % k_second},
                             {mtime_ns / k_second, mtime_ns % k_second}};
  REQUIRE(::utimensat(AT_FDCWD, file.c_str(), times, 0) == 0);
}

// A push with the hash cache on, into one in-memory bucket.
struct CachedPush {
  std::shared_ptr<MemoryBucket> bucket = std::make_shared<MemoryBucket>();
  MemoryStore store{bucket};
  TempTree tree{"hash-cache-tree"};
  TempTree home{"hash-cache-home"};

  UploadResult push()
  {
    UploadOptions options;
    options.root = tree.root;
    options.folder = "code";
    options.max_concurrency = 4;
    options.hash_cache_dir = home.root / "push-hashes";
    return upload_tree(store, options);
  }

  fs::path cache_file() const
  {
    return HashCache::file_for(home.root / "push-hashes", fs::canonical(tree.root));
  }

  nlohmann::json cache() const { return nlohmann::json::parse(read_text(cache_file())); }

  void edit_cache(const std::function<void(nlohmann::json&)>& edit) const
  {
    auto document = cache();
    edit(document);
    std::ofstream(cache_file(), std::ios::trunc) << document.dump();
  }

  std::string remote_sha256(const std::string& path)
  {
    const auto manifest = Manifest::decode(bucket->objects["code/.syntask-manifest.json"], "m");
    const auto* entry = manifest.find(path);
    return entry == nullptr ? "" : entry->sha256;
  }
};

} // namespace

TEST_CASE("storage::hash_cache trusts a hash only for the same stamp, settled before the cache was taken")
{
  HashCache cache;
  cache.set_taken_at(k_taken_at);
  cache.remember("a.txt", settled_stamp(), k_hash_a);
  CHECK(cache.lookup("a.txt", settled_stamp()) == k_hash_a);
  CHECK_FALSE(cache.lookup("b.txt", settled_stamp()));

  auto other = settled_stamp();
  SECTION("another size")
  {
    other.size = 5;
  }
  SECTION("another mtime")
  {
    other.mtime_ns += 1;
  }
  SECTION("another ctime: the mtime was set back after a change")
  {
    other.ctime_ns = k_taken_at + k_second;
  }
  SECTION("another inode: the file was replaced")
  {
    other.inode = 78;
  }
  SECTION("another device")
  {
    other.device = 6;
  }
  CHECK_FALSE(cache.lookup("a.txt", other));
}

TEST_CASE("storage::hash_cache reads racily clean files again")
{
  HashCache cache;
  cache.set_taken_at(k_taken_at);
  auto stamp = settled_stamp();
  SECTION("changed in the second before the cache was taken")
  {
    stamp.mtime_ns = k_taken_at - k_second / 2;
    stamp.ctime_ns = stamp.mtime_ns;
  }
  SECTION("ctime within the margin, mtime set back long before")
  {
    stamp.ctime_ns = k_taken_at - k_second;
  }
  SECTION("timestamps in the future")
  {
    stamp.mtime_ns = stamp.ctime_ns = k_taken_at + 3600 * k_second;
  }
  SECTION("exactly at the margin")
  {
    stamp.mtime_ns = stamp.ctime_ns = k_taken_at - detail::k_racy_margin.count();
  }
  cache.remember("a.txt", stamp, k_hash_a);
  CHECK_FALSE(cache.lookup("a.txt", stamp));

  // Just older than the margin: settled.
  stamp.mtime_ns = stamp.ctime_ns = k_taken_at - detail::k_racy_margin.count() - 1;
  cache.remember("a.txt", stamp, k_hash_a);
  CHECK(cache.lookup("a.txt", stamp) == k_hash_a);
}

TEST_CASE("storage::hash_cache saves privately and loads only its own root")
{
  TempTree dir{"hash-cache"};
  const fs::path root = "/projects/etl";
  const auto file = HashCache::file_for(dir.root / "cache", root);
  CHECK(file == dir.root / "cache" / (syntask::util::sha256_hex("/projects/etl") + ".json"));

  HashCache cache;
  cache.set_taken_at(k_taken_at);
  cache.remember("flows/a.py", settled_stamp(), k_hash_a);
  auto replaced = settled_stamp();
  replaced.inode = 1ULL << 62;
  cache.remember("b b/é.txt", replaced, k_hash_b);
  REQUIRE(cache.save(file, root));

  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  const auto loaded = HashCache::load(file, root);
  CHECK(loaded.same_entries(cache));
  CHECK(loaded.taken_at() == k_taken_at);
  CHECK(loaded.lookup("b b/é.txt", replaced) == k_hash_b);
  CHECK(fs::directory_iterator(dir.root / "cache")->path() == file); // no temporary file left behind

  CHECK(HashCache::load(file, "/projects/other").size() == 0);
  CHECK(HashCache::load(dir.root / "missing.json", root).size() == 0);

  auto broken = [&](const std::string& text) {
    std::ofstream(file, std::ios::trunc) << text;
    return HashCache::load(file, root).size() == 0;
  };
  CHECK(broken("{not json"));
  CHECK(broken(R"({"version": 2, "root": "/projects/etl", "taken_at_ns": 1, "files": {}})"));
  CHECK(broken(
      R"({"version": 1, "root": "/projects/etl", "taken_at_ns": 1, "files": {"a": [1, 2, 3, 4, 5]}})"));
  CHECK(broken(
      R"({"version": 1, "root": "/projects/etl", "taken_at_ns": 1, "files": {"a": [1, 2, 3, 4, 5, "x"]}})"));
  CHECK(broken(R"({"version": 1, "root": "/projects/etl", "files": {}})"));

  // A cache that cannot be written is no error: the next push reads every file again.
  std::ofstream(dir.root / "plain") << "a file where the directory should be";
  CHECK_FALSE(cache.save(dir.root / "plain" / "x.json", root));
}

TEST_CASE("storage::upload_tree remembers hashes and trusts them for settled files")
{
  CachedPush p;
  p.tree.write("a.txt", "aaaa");
  p.tree.write("b.txt", "bbbb");
  const auto first = p.push();
  REQUIRE(fs::exists(p.cache_file()));
  struct stat info {};
  REQUIRE(::stat(p.cache_file().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  const auto cache = p.cache();
  CHECK(cache["root"] == fs::canonical(p.tree.root).string());
  CHECK(cache["files"]["a.txt"][5] == syntask::util::sha256_hex("aaaa"));

  // As if the cache had been taken an hour later, when every file was long settled: a remembered hash is
  // used without reading the file (a wrong one shows in the manifest).
  p.edit_cache([](nlohmann::json& document) {
    document["taken_at_ns"] = document["taken_at_ns"].get<std::int64_t>() + 3600 * k_second;
    document["files"]["a.txt"][5] = std::string(64, '0');
  });
  const auto trusted = p.push();
  CHECK(p.remote_sha256("a.txt") == std::string(64, '0'));
  CHECK(trusted.manifest_digest != first.manifest_digest);
}

TEST_CASE("storage::upload_tree reads a file again when its stamp changed, whatever the cache says")
{
  CachedPush p;
  p.tree.write("a.txt", "aaaa");
  p.tree.write("b.txt", "bbbb");
  const auto a = p.tree.root / "a.txt";
  const auto b = p.tree.root / "b.txt";
  const auto old_time = detail::now_ns() - 3600 * k_second;
  set_mtime(a, old_time);
  set_mtime(b, old_time);
  p.push();
  p.edit_cache([](nlohmann::json& document) {
    document["taken_at_ns"] = document["taken_at_ns"].get<std::int64_t>() + 3600 * k_second;
  });
  p.bucket->writes.clear();

  SECTION("same size, mtime set back (touch -d): the ctime differs")
  {
    const auto before = detail::stamp_file(a);
    p.tree.write("a.txt", "AAAA");
    set_mtime(a, old_time);
    const auto after = detail::stamp_file(a);
    CHECK(after.size == before.size);
    CHECK(after.mtime_ns == before.mtime_ns);
    p.push();
    CHECK(p.remote_sha256("a.txt") == syntask::util::sha256_hex("AAAA"));
    CHECK(p.bucket->objects["code/a.txt"] == "AAAA");
    CHECK(p.bucket->writes == std::vector<std::string>{"code/.syntask-manifest.json", "code/a.txt",
                                                       "code/.syntask-manifest.json"});
  }
  SECTION("same size and mtime, replaced by another file: the inode differs")
  {
    p.tree.write("new.tmp", "BBBB");
    set_mtime(p.tree.root / "new.tmp", old_time);
    fs::rename(p.tree.root / "new.tmp", b);
    p.push();
    CHECK(p.remote_sha256("b.txt") == syntask::util::sha256_hex("BBBB"));
    CHECK(p.bucket->objects["code/b.txt"] == "BBBB");
    CHECK(p.bucket->writes == std::vector<std::string>{"code/.syntask-manifest.json", "code/b.txt",
                                                       "code/.syntask-manifest.json"});
  }
}

TEST_CASE("storage::upload_tree reads a file changed in the second it was hashed again")
{
  CachedPush p;
  p.tree.write("a.txt", "aaaa");
  const auto first = p.push();
  // The file changed right after the push read it, in the same tick of the file system clock, so its
  // stamp stayed the same: what the cache remembers no longer matches the content. The file's times are
  // not older than the push that filled the cache, so the next push reads it again.
  p.edit_cache([](nlohmann::json& document) { document["files"]["a.txt"][5] = std::string(64, '0'); });
  const auto stamp = detail::stamp_file(p.tree.root / "a.txt");
  REQUIRE(p.cache()["files"]["a.txt"][1] == stamp.mtime_ns);
  p.bucket->writes.clear();
  const auto again = p.push();
  CHECK(p.bucket->writes.empty());
  CHECK(again.manifest_digest == first.manifest_digest);
  CHECK(p.remote_sha256("a.txt") == syntask::util::sha256_hex("aaaa"));
  CHECK(p.cache()["files"]["a.txt"][5] == syntask::util::sha256_hex("aaaa"));
}

TEST_CASE("storage::upload_tree forgets files that left the tree and survives a broken cache")
{
  CachedPush p;
  p.tree.write("a.txt", "aaaa");
  p.tree.write("b.txt", "bbbb");
  p.push();
  fs::remove(p.tree.root / "b.txt");
  p.push();
  CHECK_FALSE(p.cache()["files"].contains("b.txt"));

  std::ofstream(p.cache_file(), std::ios::trunc) << "garbage";
  p.push();
  CHECK(p.cache()["files"]["a.txt"][5] == syntask::util::sha256_hex("aaaa"));
  CHECK(p.remote_sha256("a.txt") == syntask::util::sha256_hex("aaaa"));
}
