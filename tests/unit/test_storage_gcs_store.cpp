// SPDX-License-Identifier: Apache-2.0
// Against the firebase-tools storage emulator (tests/servers/gcs.sh; run through
// tests/integration/test_store_gcs.sh). The emulator checks no credentials, so a wrong key cannot be
// tested here; the token exchange is tested against a local token endpoint in test_storage_gcp_credentials.
#include <syntask/http/client.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/backends.hpp"
#include "support/env_scope.hpp"
#include "support/store_checks.hpp"
#include <algorithm>
#include <cstdlib>
#include <random>

using namespace syntask;
using namespace syntask::storage;

namespace {

std::string emulator_or_skip()
{
  const char* value = std::getenv("SYNTASK_GCS_EMULATOR_HOST");
  if (value == nullptr || *value == '\0') {
    SKIP("SYNTASK_GCS_EMULATOR_HOST is not set: run through tests/integration/test_store_gcs.sh");
  }
  return value;
}

std::string unique_bucket()
{
  return "syn-" + std::to_string(std::random_device{}()) + "-" + std::to_string(std::random_device{}());
}

std::unique_ptr<ObjectStore> open_bucket(const std::string& bucket)
{
  StoreLocation location;
  location.bucket = bucket;
  location.credentials = {{"project", "demo-test"}};
  location.credentials_label = "gcp-credentials/test";
  return backend("gcs").open(location);
}

} // namespace

TEST_CASE("storage::gcs store round trip, names, missing keys", "[.gcs]")
{
  test::EnvScope emulator("STORAGE_EMULATOR_HOST", emulator_or_skip());
  const auto bucket = unique_bucket();
  auto store = open_bucket(bucket);
  CHECK(store->describe() == "gs://" + bucket);
  test::check_round_trip(*store, "rt/");
  test::check_missing_keys(*store, "rt/");
  test::check_sibling_prefixes(*store, "sib/");
  CHECK(store->connect_again()->get_bytes("sib/folder/a.txt") == "a");
}

TEST_CASE("storage::gcs store lists past one page", "[.gcs]")
{
  test::EnvScope emulator("STORAGE_EMULATOR_HOST", emulator_or_skip());
  auto store = open_bucket(unique_bucket());
  test::check_paging(*store, "p/");
}

// The emulator takes request bodies up to 130 MB and has neither chunked resumable uploads nor compose,
// so a large file goes up in one streamed resumable PUT and the size tested here stays below that cap.
TEST_CASE("storage::gcs store sends a large file in one streamed resumable upload with flat memory", "[.gcs]")
{
  test::EnvScope emulator("STORAGE_EMULATOR_HOST", emulator_or_skip());
  auto store = open_bucket(unique_bucket());
  CHECK(store->multipart_threshold() == 0);
  test::check_large_file(*store, "big/", 120ULL << 20);
}

TEST_CASE("storage::gcs store lists planted keys verbatim and folder markers", "[.gcs]")
{
  const auto host = emulator_or_skip();
  test::EnvScope emulator("STORAGE_EMULATOR_HOST", host);
  const auto bucket = unique_bucket();
  // The emulator files objects under their normalised names, so two names that normalise alike (h/../x and
  // h/a/../../x) would overwrite each other there: each hostile name here normalises differently.
  const std::vector<std::string> hostile{"h/../x",   "h/a/../../y", "h//abs", "h/..%2Fx",
                                         "h\\..\\x", "h/..",        "h/dir/"};
  http::Client client;
  for (const auto& key : hostile) {
    http::StringSource body("x");
    http::Request request;
    request.method = "POST";
    request.url =
        host + "/upload/storage/v1/b/" + bucket + "/o?uploadType=media&name=" + http::percent_encode(key);
    request.headers = {{"Content-Type", "text/plain"}};
    request.body = &body;
    REQUIRE(client.send(request).status == 200);
  }
  auto store = open_bucket(bucket);
  std::vector<std::string> keys;
  std::vector<std::string> markers;
  store->list("h", [&](const ObjectInfo& info) {
    keys.push_back(info.key);
    if (info.is_directory_marker) {
      markers.push_back(info.key);
    }
  });
  std::sort(keys.begin(), keys.end());
  auto expected = hostile;
  std::sort(expected.begin(), expected.end());
  CHECK(keys == expected);
  CHECK(markers == std::vector<std::string>{"h/dir/"});
}
