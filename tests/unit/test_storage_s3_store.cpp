// SPDX-License-Identifier: Apache-2.0
// The S3 ObjectStore against the loopback s3rver of tests/servers/s3.sh. Hidden ([.s3]): run by
// tests/integration/test_store_s3.sh with the server's variables (SYNTASK_S3_*) in the environment.
#include <syntask/error.hpp>
#include <syntask/storage/object_store.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/s3_connection.hpp"
#include "support/env_scope.hpp"
#include "support/store_checks.hpp"
#include "support/temp_dir.hpp"
#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <sys/resource.h>

using namespace syntask::storage;

namespace {

using syntask::test::TempDir;

std::string required_env(const char* name)
{
  auto value = syntask::util::get_env(name);
  if (!value || value->empty()) {
    FAIL(std::string(name) + " is not set: run through tests/integration/test_store_s3.sh");
  }
  return *value;
}

std::string unique_bucket()
{
  static std::mt19937_64 random{std::random_device{}()};
  return "syntask-test-" + std::to_string(random() % 1000000000000ULL);
}

struct Server {
  std::string endpoint = required_env("SYNTASK_S3_ENDPOINT");
  std::string access_key = required_env("SYNTASK_S3_ACCESS_KEY");
  std::string secret_key = required_env("SYNTASK_S3_SECRET_KEY");
  std::string region = required_env("SYNTASK_S3_REGION");
};

StoreLocation location_for(const Server& server, const std::string& bucket, const std::string& secret)
{
  StoreLocation location;
  location.bucket = bucket;
  location.credentials = {{"aws_access_key_id", server.access_key},
                          {"aws_secret_access_key", secret},
                          {"region_name", server.region},
                          {"aws_client_parameters", {{"endpoint_url", server.endpoint}}}};
  location.credentials_label = "aws-credentials/test";
  return location;
}

// A new bucket on the server; its objects are removed (and the bucket with them) at the end.
class TestBucket {
public:
  TestBucket() : m_name(unique_bucket())
  {
    s3::Connection connection(config());
    s3::Call call;
    call.method = "PUT";
    connection.send_checked(call);
    m_store = backend("s3").open(location_for(m_server, m_name, m_server.secret_key));
  }
  ~TestBucket()
  {
    try {
      std::vector<std::string> keys;
      m_store->list("", [&](const ObjectInfo& info) { keys.push_back(info.key); });
      for (const auto& key : keys) {
        m_store->remove(key);
      }
      s3::Connection connection(config());
      s3::Call call;
      call.method = "DELETE";
      connection.send(call);
    } catch (...) {
    }
  }
  TestBucket(const TestBucket&) = delete;
  TestBucket& operator=(const TestBucket&) = delete;

  ObjectStore& store() { return *m_store; }
  const std::string& name() const { return m_name; }
  const Server& server() const { return m_server; }

private:
  std::shared_ptr<s3::BucketConfig> config() const
  {
    return std::make_shared<s3::BucketConfig>(
        m_name, aws::resolve_settings(location_for(m_server, m_name, m_server.secret_key)));
  }

  Server m_server;
  std::string m_name;
  std::unique_ptr<ObjectStore> m_store;
};

void write_file(const std::filesystem::path& path, const std::string& content)
{
  std::ofstream(path, std::ios::binary) << content;
}

std::string random_bytes(std::size_t size)
{
  std::mt19937 random{42};
  std::string out(size, '\0');
  for (auto& c : out) {
    c = static_cast<char>(random() & 0xFF);
  }
  return out;
}

std::vector<std::string> listed_keys(ObjectStore& store, std::string_view prefix)
{
  std::vector<std::string> keys;
  store.list(prefix, [&](const ObjectInfo& info) { keys.push_back(info.key); });
  std::sort(keys.begin(), keys.end());
  return keys;
}

long peak_rss_kib()
{
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

std::string remote_error(const std::function<void()>& action)
{
  try {
    action();
  } catch (const syntask::RemoteError& error) {
    return error.what();
  }
  return "<no error>";
}

} // namespace

TEST_CASE("storage::s3 round trip keeps bytes and names exactly", "[.s3]")
{
  TestBucket bucket;
  TempDir dir;
  auto& store = bucket.store();
  CHECK(store.describe() == "s3://" + bucket.name());

  // No '&' or '\'' in names: s3rver escapes them twice in listings (real S3 does not).
  const std::vector<std::pair<std::string, std::string>> files{
      {"folder/binary.bin", random_bytes(300000)},
      {"folder/empty.txt", ""},
      {"folder/with space/file name.txt", "spaces\n"},
      {"folder/\xC3\xBCnic\xC3\xB6"
       "de/\xE6\x97\xA5\xE6\x9C\xAC.txt",
       "utf-8\n"},
      {"folder/odd+chars=;,$@!()*[]~.txt", "odd\n"},
  };
  int index = 0;
  for (const auto& [key, content] : files) {
    auto local = dir / ("up-" + std::to_string(index));
    write_file(local, content);
    std::int64_t reported = 0;
    store.put_file(key, local, [&](std::int64_t bytes) { reported += bytes; });
    CHECK(reported == static_cast<std::int64_t>(content.size()));

    auto back = dir / ("down-" + std::to_string(index++));
    store.get_file(key, back, nullptr);
    CHECK(syntask::util::read_file(back) == content);
    auto info = store.stat(key);
    REQUIRE(info.has_value());
    CHECK(info->size == content.size());
    CHECK_FALSE(info->etag.empty());
    CHECK(info->etag.find('"') == std::string::npos);
  }
  std::vector<std::string> expected;
  for (const auto& entry : files) {
    expected.push_back(entry.first);
  }
  std::sort(expected.begin(), expected.end());
  CHECK(listed_keys(store, "folder/") == expected);

  store.put_bytes("folder/.syntask-manifest.json", "{\"files\": []}", "application/json");
  CHECK(store.get_bytes("folder/.syntask-manifest.json") == "{\"files\": []}");

  // Another connection sees the same bucket.
  auto again = store.connect_again();
  CHECK(again->describe() == store.describe());
  CHECK(again->get_bytes("folder/empty.txt") == "");
}

TEST_CASE("storage::s3 missing keys: stat and get_bytes say nothing, remove is quiet, get_file fails",
          "[.s3]")
{
  TestBucket bucket;
  TempDir dir;
  auto& store = bucket.store();
  CHECK_FALSE(store.stat("no/such key").has_value());
  CHECK_FALSE(store.get_bytes("no/such key").has_value());
  CHECK_NOTHROW(store.remove("no/such key"));
  CHECK(remote_error([&] { store.get_file("no/such key", dir / "x", nullptr); }) ==
        "'s3://" + bucket.name() + "/no/such key' not found");

  store.put_bytes("gone", "x", "");
  store.remove("gone");
  CHECK_FALSE(store.stat("gone").has_value());

  auto missing_bucket = location_for(bucket.server(), bucket.name() + "-missing", bucket.server().secret_key);
  auto nowhere = backend("s3").open(missing_bucket);
  CHECK(remote_error([&] { nowhere->list("", [](const ObjectInfo&) {}); }) ==
        "no such bucket 's3://" + bucket.name() + "-missing'");
  CHECK(remote_error([&] { nowhere->get_bytes("k"); }) ==
        "no such bucket 's3://" + bucket.name() + "-missing'");
}

TEST_CASE("storage::s3 listing pages past 1,000 keys and keeps folder apart from folder-2", "[.s3]")
{
  TestBucket bucket;
  auto& store = bucket.store();
  constexpr int k_count = 1005;
  for (int i = 0; i < k_count; ++i) {
    store.put_bytes("folder/many/" + std::to_string(10000 + i), "", "");
  }
  store.put_bytes("folder-2/other", "x", "");
  store.put_bytes("folder/dir/", "", "");

  auto before = syntask::util::read_file(required_env("SYNTASK_S3_LOG")).size();
  auto keys = listed_keys(store, "folder/");
  CHECK(keys.size() == k_count + 1);
  CHECK(std::set<std::string>(keys.begin(), keys.end()).size() == keys.size());
  CHECK(
      std::none_of(keys.begin(), keys.end(), [](const auto& key) { return key.rfind("folder-2", 0) == 0; }));
  auto log = syntask::util::read_file(required_env("SYNTASK_S3_LOG")).substr(before);
  CHECK(log.find("continuation-token=") != std::string::npos);

  int markers = 0;
  store.list("folder/dir", [&](const ObjectInfo& info) { markers += info.is_directory_marker ? 1 : 0; });
  CHECK(markers == 1);
  CHECK(listed_keys(store, "folder-2/") == std::vector<std::string>{"folder-2/other"});
}

TEST_CASE("storage::s3 lists planted hostile keys verbatim", "[.s3]")
{
  TestBucket bucket;
  auto& store = bucket.store();
  // Every escaping form s3rver stores as written (it normalises '..', '//' and leading '/' segments).
  const std::vector<std::string> hostile{
      "folder/..",           "folder/..%2Fescape", "folder/%2e%2e/escape", "folder/..\\escape",
      "folder/a\\..\\..\\x", "folder/%2F%2Fabs",   "folder/C:\\x",         "folder/.",
  };
  for (const auto& key : hostile) {
    store.put_bytes(key, "planted", "");
  }
  auto expected = hostile;
  std::sort(expected.begin(), expected.end());
  CHECK(listed_keys(store, "folder/") == expected);
  for (const auto& key : hostile) {
    CHECK(store.get_bytes(key) == "planted");
  }
}

TEST_CASE("storage::s3 a wrong secret is one line naming the block, never the secret", "[.s3]")
{
  TestBucket bucket;
  TempDir dir;
  bucket.store().put_bytes("k", "v", "");
  const std::string wrong = "wrong-secret-value-1234";
  syntask::util::Redactor redactor;
  auto location = location_for(bucket.server(), bucket.name(), wrong);
  location.redactor = &redactor;
  auto store = backend("s3").open(location);
  CHECK(redactor.contains_secret(wrong));
  auto expected =
      "access denied by s3://" + bucket.name() + ": check the credentials in aws-credentials/test";
  write_file(dir / "f", "data");
  CHECK(remote_error([&] { store->put_file("k2", dir / "f", nullptr); }) == expected);
  CHECK(remote_error([&] { store->list("", [](const ObjectInfo&) {}); }) == expected);
  CHECK(remote_error([&] { store->get_bytes("k"); }) == expected);
  CHECK(remote_error([&] { store->stat("k"); }) == expected);
  CHECK(remote_error([&] { store->start_multipart("big"); }) == expected);

  // Without a block, the message names the variable the keys came from.
  location.credentials = {{"aws_client_parameters", {{"endpoint_url", bucket.server().endpoint}}}};
  location.credentials_label.clear();
  syntask::test::EnvScope key_id("AWS_ACCESS_KEY_ID", bucket.server().access_key);
  syntask::test::EnvScope secret("AWS_SECRET_ACCESS_KEY", wrong);
  auto from_env = backend("s3").open(location);
  CHECK(remote_error([&] { from_env->get_bytes("k"); }) ==
        "access denied by s3://" + bucket.name() +
            ": check the credentials from the AWS_ACCESS_KEY_ID environment variable");
}

TEST_CASE("storage::s3 uploads 200 MiB in parts with flat memory", "[.s3]")
{
  TestBucket bucket;
  TempDir dir;
  auto& store = bucket.store();
  CHECK(store.part_size() == 16u * 1024 * 1024);
  CHECK(store.multipart_threshold() == 100u * 1024 * 1024);

  constexpr std::uint64_t k_size = 200ull * 1024 * 1024;
  auto big = dir / "big.bin";
  {
    std::ofstream out(big, std::ios::binary);
    auto block = random_bytes(1024 * 1024);
    for (std::uint64_t written = 0; written < k_size; written += block.size()) {
      block[0] = static_cast<char>(written >> 20); // every MiB differs
      out.write(block.data(), static_cast<std::streamsize>(block.size()));
    }
  }
  auto rss_before = peak_rss_kib();
  auto upload = store.start_multipart("big/file.bin");
  std::int64_t reported = 0;
  int part = 1;
  for (std::uint64_t offset = 0; offset < k_size; offset += store.part_size(), ++part) {
    auto length = std::min<std::uint64_t>(store.part_size(), k_size - offset);
    upload->put_part(part, big, offset, length, [&](std::int64_t bytes) { reported += bytes; });
  }
  upload->complete();
  CHECK(reported == static_cast<std::int64_t>(k_size));
  auto info = store.stat("big/file.bin");
  REQUIRE(info.has_value());
  CHECK(info->size == k_size);

  auto back = dir / "back.bin";
  store.get_file("big/file.bin", back, nullptr);
  auto rss_growth_mib = (peak_rss_kib() - rss_before) / 1024;
  CHECK(rss_growth_mib < 48);
  REQUIRE(std::filesystem::file_size(back) == k_size);
  std::ifstream a(big, std::ios::binary);
  std::ifstream b(back, std::ios::binary);
  std::string chunk_a(1 << 20, '\0');
  std::string chunk_b(1 << 20, '\0');
  bool same = true;
  while (same && a.read(chunk_a.data(), static_cast<std::streamsize>(chunk_a.size()))) {
    b.read(chunk_b.data(), static_cast<std::streamsize>(chunk_b.size()));
    same = chunk_a == chunk_b;
  }
  CHECK(same);

  // An aborted upload leaves no object.
  auto aborted = store.start_multipart("big/aborted.bin");
  aborted->put_part(1, big, 0, store.part_size(), nullptr);
  aborted->abort();
  CHECK_FALSE(store.stat("big/aborted.bin").has_value());
}

TEST_CASE("storage::s3 upload_tree sends the parts of a large file side by side", "[.s3]")
{
  TestBucket bucket;
  auto& store = bucket.store();
  syntask::test::check_large_push(store, "tree", store.multipart_threshold() + store.part_size() / 2);
}
