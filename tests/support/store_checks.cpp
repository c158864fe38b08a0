// SPDX-License-Identifier: Apache-2.0
#include "support/store_checks.hpp"

#include <syntask/storage/transfer.hpp>

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sys/resource.h>
#include <unistd.h>

namespace syntask::test {

namespace {

namespace fs = std::filesystem;

// A scratch folder removed with the object.
struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("syntask-store-" + std::to_string(::getpid()) + "-" +
                                              std::to_string(std::random_device{}()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() { fs::remove_all(dir); }
};

std::string random_bytes(std::size_t size, std::mt19937_64& random)
{
  std::string out(size, '\0');
  for (auto& c : out) {
    c = static_cast<char>(random() & 0xff);
  }
  return out;
}

void write_file(const fs::path& file, const std::string& data)
{
  std::ofstream(file, std::ios::binary) << data;
}

std::string read_file(const fs::path& file)
{
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool same_files(const fs::path& a, const fs::path& b)
{
  if (fs::file_size(a) != fs::file_size(b)) {
    return false;
  }
  std::ifstream left(a, std::ios::binary);
  std::ifstream right(b, std::ios::binary);
  std::string left_chunk(1 << 20, '\0');
  std::string right_chunk(1 << 20, '\0');
  while (left && right) {
    left.read(left_chunk.data(), static_cast<std::streamsize>(left_chunk.size()));
    right.read(right_chunk.data(), static_cast<std::streamsize>(right_chunk.size()));
    if (left.gcount() != right.gcount() ||
        left_chunk.compare(0, static_cast<std::size_t>(left.gcount()), right_chunk, 0,
                           static_cast<std::size_t>(right.gcount())) != 0) {
      return false;
    }
  }
  return true;
}

long peak_rss_kib()
{
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

void write_random_file(const fs::path& file, std::uint64_t size)
{
  std::ofstream out(file, std::ios::binary);
  std::mt19937_64 random(7);
  std::string chunk;
  for (std::uint64_t written = 0; written < size; written += chunk.size()) {
    chunk = random_bytes(static_cast<std::size_t>(std::min<std::uint64_t>(1 << 20, size - written)), random);
    out << chunk;
  }
}

} // namespace

std::vector<std::string> listed_keys(storage::ObjectStore& store, const std::string& prefix)
{
  std::vector<std::string> keys;
  store.list(prefix, [&](const storage::ObjectInfo& info) { keys.push_back(info.key); });
  std::sort(keys.begin(), keys.end());
  return keys;
}

void check_round_trip(storage::ObjectStore& store, const std::string& prefix)
{
  const Scratch scratch;
  std::mt19937_64 random(42);
  const std::vector<std::pair<std::string, std::string>> files{
      {prefix + "bin/random.dat", random_bytes(300000, random)},
      {prefix + "empty.txt", ""},
      {prefix + "text/with spaces.txt", "hello, world\n"},
      {prefix + "text/\xC3\xA9t\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC.md", "UTF-8 name\n"},
      {prefix + "odd/a+b=c&d%20e#f.txt", "reserved characters\n"},
  };
  int index = 0;
  for (const auto& [key, data] : files) {
    const auto local = scratch.dir / ("up-" + std::to_string(index));
    const auto back = scratch.dir / ("down-" + std::to_string(index++));
    write_file(local, data);
    std::int64_t sent = 0;
    store.put_file(key, local, [&](std::int64_t n) { sent += n; });
    CHECK(sent == static_cast<std::int64_t>(data.size()));
    const auto info = store.stat(key);
    REQUIRE(info.has_value());
    CHECK(info->size == data.size());
    CHECK_FALSE(info->is_directory_marker);
    store.get_file(key, back, {});
    CHECK(read_file(back) == data);
    CHECK(store.get_bytes(key) == data);
  }
  store.put_bytes(prefix + "manifest.json", "{\"files\": []}", "application/json");
  CHECK(store.get_bytes(prefix + "manifest.json") == "{\"files\": []}");

  std::vector<std::string> expected{prefix + "manifest.json"};
  for (const auto& [key, data] : files) {
    expected.push_back(key);
  }
  std::sort(expected.begin(), expected.end());
  CHECK(listed_keys(store, prefix) == expected);

  std::uint64_t listed_size = 0;
  store.list(prefix + "bin/", [&](const storage::ObjectInfo& info) { listed_size += info.size; });
  CHECK(listed_size == 300000);

  store.remove(prefix + "empty.txt");
  CHECK_FALSE(store.stat(prefix + "empty.txt").has_value());
}

void check_large_file(storage::ObjectStore& store, const std::string& prefix, std::uint64_t size)
{
  const Scratch scratch;
  const auto local = scratch.dir / "large.bin";
  write_random_file(local, size);
  const auto key = prefix + "large.bin";
  const long rss_before = peak_rss_kib();
  std::int64_t sent = 0;
  const auto progress = [&](std::int64_t n) { sent += n; };
  const auto threshold = store.multipart_threshold();
  if (threshold > 0 && size >= threshold) {
    const auto part = store.part_size();
    auto upload = store.start_multipart(key);
    int number = 1;
    for (std::uint64_t offset = 0; offset < size; offset += part, ++number) {
      upload->put_part(number, local, offset, std::min(part, size - offset), progress);
    }
    upload->complete();
  } else {
    store.put_file(key, local, progress);
  }
  CHECK(sent == static_cast<std::int64_t>(size));
  const auto info = store.stat(key);
  REQUIRE(info.has_value());
  CHECK(info->size == size);
  store.get_file(key, scratch.dir / "back.bin", {});
  const long growth_mib = (peak_rss_kib() - rss_before) / 1024;
  INFO("peak RSS grew by " << growth_mib << " MiB for a " << (size >> 20) << " MiB file");
  CHECK(growth_mib < 48);
  CHECK(same_files(local, scratch.dir / "back.bin"));
  store.remove(key);
}

void check_large_push(storage::ObjectStore& store, const std::string& folder, std::uint64_t size)
{
  const Scratch scratch;
  fs::create_directories(scratch.dir / "tree/small");
  write_random_file(scratch.dir / "tree/large.bin", size);
  for (int i = 0; i < 6; ++i) {
    write_file(scratch.dir / "tree/small" / (std::to_string(i) + ".txt"), std::to_string(i) + "\n");
  }
  const long rss_before = peak_rss_kib();
  storage::UploadOptions push;
  push.root = scratch.dir / "tree";
  push.folder = folder;
  push.max_concurrency = 4;
  const auto pushed = storage::upload_tree(store, push);
  CHECK(pushed.uploaded == 7);
  storage::DownloadOptions pull;
  pull.target = scratch.dir / "back";
  pull.folder = folder;
  pull.expected_digest = pushed.manifest_digest;
  pull.max_concurrency = 4;
  const auto pulled = storage::download_tree(store, pull);
  CHECK(pulled.downloaded == 7);
  const long growth_mib = (peak_rss_kib() - rss_before) / 1024;
  INFO("peak RSS grew by " << growth_mib << " MiB pushing and pulling a " << (size >> 20) << " MiB file");
  CHECK(growth_mib < 48);
  CHECK(same_files(scratch.dir / "tree/large.bin", scratch.dir / "back/large.bin"));
  CHECK(read_file(scratch.dir / "back/small/5.txt") == "5\n");
}

void check_paging(storage::ObjectStore& store, const std::string& prefix)
{
  constexpr int k_count = 1100;
  std::vector<std::string> expected;
  for (int i = 0; i < k_count; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "page/%05d.txt", i);
    expected.push_back(prefix + name);
    store.put_bytes(expected.back(), std::to_string(i), "text/plain");
  }
  std::sort(expected.begin(), expected.end());
  CHECK(listed_keys(store, prefix + "page/") == expected);
}

void check_sibling_prefixes(storage::ObjectStore& store, const std::string& prefix)
{
  store.put_bytes(prefix + "folder/a.txt", "a", "text/plain");
  store.put_bytes(prefix + "folder-2/b.txt", "b", "text/plain");
  CHECK(listed_keys(store, prefix + "folder/") == std::vector<std::string>{prefix + "folder/a.txt"});
  CHECK(listed_keys(store, prefix + "folder") ==
        std::vector<std::string>{prefix + "folder-2/b.txt", prefix + "folder/a.txt"});
}

void check_missing_keys(storage::ObjectStore& store, const std::string& prefix)
{
  const Scratch scratch;
  const auto key = prefix + "no/such key.txt";
  CHECK_FALSE(store.stat(key).has_value());
  CHECK_FALSE(store.get_bytes(key).has_value());
  CHECK_NOTHROW(store.remove(key));
  try {
    store.get_file(key, scratch.dir / "x", {});
    FAIL("get_file of a missing key succeeded");
  } catch (const RemoteError& error) {
    CHECK(std::string(error.what()) == "'" + store.describe() + "/" + key + "' not found");
    CHECK_FALSE(error.transient());
  }
  CHECK(listed_keys(store, prefix + "no/").empty());
}

} // namespace syntask::test
