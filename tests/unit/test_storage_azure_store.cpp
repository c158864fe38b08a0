// SPDX-License-Identifier: Apache-2.0
// Against azurite (tests/servers/azure.sh; run through tests/integration/test_store_azure.sh).
#include <syntask/util/base64.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/azure_credentials.hpp"
#include "storage/azure_listing.hpp"
#include "storage/azure_signing.hpp"
#include "storage/azure_store.hpp"
#include "storage/backends.hpp"
#include "support/env_scope.hpp"
#include "support/store_checks.hpp"
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <random>

using namespace syntask;
using namespace syntask::storage;

namespace {

std::string env_or_skip(const char* name)
{
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    SKIP(std::string(name) + " is not set: run through tests/integration/test_store_azure.sh");
  }
  return value;
}

std::string unique_container()
{
  return "syn-" + std::to_string(std::random_device{}()) + "-" + std::to_string(std::random_device{}());
}

// A signed request to azurite outside the store: containers, planted blobs.
long azurite_request(const std::string& method, const std::string& path_and_query,
                     const http::Headers& headers = {}, const std::string& body = {})
{
  http::Client client;
  http::StringSource source(body);
  http::Request request;
  request.method = method;
  request.url = env_or_skip("SYNTASK_AZURE_ENDPOINT") + path_and_query;
  request.headers = headers;
  request.body = &source;
  const auto key = *util::base64_decode(env_or_skip("SYNTASK_AZURE_KEY"));
  const auto account = env_or_skip("SYNTASK_AZURE_ACCOUNT");
  request.sign = [&](http::Request& attempt) { azure_sign_shared_key(attempt, account, key, client.now()); };
  return client.send(request).status;
}

std::unique_ptr<ObjectStore> open_container(const std::string& container,
                                            const std::string& connection_string,
                                            const std::string& label = "azure-blob-storage-credentials/test")
{
  StoreLocation location;
  location.bucket = container;
  location.credentials = {{"connection_string", connection_string}};
  location.credentials_label = label;
  return backend("azure").open(location);
}

struct Container {
  std::string name = unique_container();
  Container()
  {
    // Skips (outside REQUIRE) when the server's variables are not set.
    env_or_skip("SYNTASK_AZURE_KEY");
    REQUIRE(azurite_request("PUT", "/" + name + "?restype=container") == 201);
  }
  ~Container() { azurite_request("DELETE", "/" + name + "?restype=container"); }
};

} // namespace

TEST_CASE("storage::azure store round trip, names, missing keys", "[.azure]")
{
  const Container container;
  auto store = open_container(container.name, env_or_skip("SYNTASK_AZURE_CONNECTION_STRING"));
  CHECK(store->describe() == "az://devstoreaccount1/" + container.name);
  test::check_round_trip(*store, "rt/");
  test::check_missing_keys(*store, "rt/");
  test::check_sibling_prefixes(*store, "sib/");
  auto again = store->connect_again();
  CHECK(again->get_bytes("sib/folder/a.txt") == "a");
}

TEST_CASE("storage::azure store lists past one page", "[.azure]")
{
  const Container container;
  auto store = open_container(container.name, env_or_skip("SYNTASK_AZURE_CONNECTION_STRING"));
  test::check_paging(*store, "p/");
}

TEST_CASE("storage::azure store sends 200 MiB in blocks with flat memory", "[.azure]")
{
  const Container container;
  auto store = open_container(container.name, env_or_skip("SYNTASK_AZURE_CONNECTION_STRING"));
  CHECK(store->multipart_threshold() == 16ULL << 20);
  CHECK(store->part_size() == 8ULL << 20);
  test::check_large_file(*store, "big/", 200ULL << 20);
}

TEST_CASE("storage::azure store lists planted keys verbatim and folder markers", "[.azure]")
{
  const Container container;
  const http::Headers block_blob{{"x-ms-blob-type", "BlockBlob"}};
  const std::vector<std::string> hostile{"h/../x", "h/a/../../x", "h//abs", "h/..%2Fx", "h/%2e%2e/x", "h/.."};
  for (const auto& key : hostile) {
    REQUIRE(azurite_request("PUT", "/" + container.name + "/" + encode_blob_name(key), block_blob, "x") ==
            201);
  }
  REQUIRE(azurite_request("PUT", "/" + container.name + "/h/dir",
                          {{"x-ms-blob-type", "BlockBlob"}, {"x-ms-meta-hdi_isfolder", "true"}}) == 201);
  auto store = open_container(container.name, env_or_skip("SYNTASK_AZURE_CONNECTION_STRING"));
  std::vector<std::string> keys;
  std::vector<std::string> markers;
  store->list("h/", [&](const ObjectInfo& info) {
    keys.push_back(info.key);
    if (info.is_directory_marker) {
      markers.push_back(info.key);
    }
  });
  std::sort(keys.begin(), keys.end());
  auto expected = hostile;
  expected.push_back("h/dir");
  std::sort(expected.begin(), expected.end());
  CHECK(keys == expected);
  CHECK(markers == std::vector<std::string>{"h/dir"});
  CHECK(store->stat("h/dir")->is_directory_marker);
}

TEST_CASE("storage::azure wrong key and missing container are one line without the secret", "[.azure]")
{
  const Container container;
  const std::string wrong_key = util::base64_encode("wrong-key-wrong-key-wrong");
  const auto wrong = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + wrong_key +
                     ";BlobEndpoint=" + env_or_skip("SYNTASK_AZURE_ENDPOINT");
  auto store = open_container(container.name, wrong, "azure-blob-storage-credentials/wrong");
  const auto expected = "access denied by az://devstoreaccount1/" + container.name +
                        ": check the credentials in azure-blob-storage-credentials/wrong";
  for (const auto& action : std::vector<std::function<void()>>{
           [&] { store->list("", [](const ObjectInfo&) {}); },
           [&] { store->put_bytes("k", "v", "text/plain"); },
           [&] { store->stat("k"); },
       }) {
    try {
      action();
      FAIL("a wrong key was accepted");
    } catch (const RemoteError& error) {
      CHECK(std::string(error.what()) == expected);
      CHECK(std::string(error.what()).find(wrong_key) == std::string::npos);
      CHECK_FALSE(error.transient());
    }
  }

  auto nowhere =
      open_container("no-such-container-" + container.name, env_or_skip("SYNTASK_AZURE_CONNECTION_STRING"));
  try {
    nowhere->list("", [](const ObjectInfo&) {});
    FAIL("listing a missing container succeeded");
  } catch (const RemoteError& error) {
    CHECK(std::string(error.what()) ==
          "no such container 'az://devstoreaccount1/no-such-container-" + container.name + "'");
  }
}

TEST_CASE("storage::azure store from AZURE_STORAGE_CONNECTION_STRING and from a SAS-less account URL key",
          "[.azure]")
{
  const Container container;
  test::EnvScope env("AZURE_STORAGE_CONNECTION_STRING", env_or_skip("SYNTASK_AZURE_CONNECTION_STRING"));
  StoreLocation location;
  location.bucket = container.name;
  auto store = backend("azure").open(location);
  store->put_bytes("env.txt", "from the environment", "text/plain");

  test::EnvScope key("AZURE_STORAGE_KEY", env_or_skip("SYNTASK_AZURE_KEY"));
  location.credentials = {{"account_url", env_or_skip("SYNTASK_AZURE_ENDPOINT")}};
  location.credentials_label = "azure-blob-storage-credentials/url";
  auto by_url = backend("azure").open(location);
  CHECK(by_url->get_bytes("env.txt") == "from the environment");
}

TEST_CASE("storage::azure upload_tree sends the blocks of a large file side by side", "[.azure]")
{
  const Container container;
  auto store = open_container(container.name, env_or_skip("SYNTASK_AZURE_CONNECTION_STRING"));
  test::check_large_push(*store, "tree", 64ULL << 20);
}
