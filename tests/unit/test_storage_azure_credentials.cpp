// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/azure_credentials.hpp"
#include "support/env_scope.hpp"

using namespace syntask;
using namespace syntask::storage;
using syntask::test::EnvScope;

namespace {

constexpr const char* k_key = "a2V5a2V5a2V5a2V5";

std::string error_of(const std::function<void()>& action)
{
  try {
    action();
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "(no error)";
}

} // namespace

TEST_CASE("storage::azure connection string with account name, key, protocol and suffix")
{
  const auto account =
      parse_connection_string(std::string("DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=") +
                              k_key + ";EndpointSuffix=core.chinacloudapi.cn;");
  CHECK(account.name == "acct");
  CHECK(account.key == k_key);
  CHECK(account.sas.empty());
  CHECK(account.endpoint == "http://acct.blob.core.chinacloudapi.cn");

  const auto defaults = parse_connection_string(std::string("accountname=acct;ACCOUNTKEY=") + k_key);
  CHECK(defaults.endpoint == "https://acct.blob.core.windows.net");
}

TEST_CASE("storage::azure connection string with BlobEndpoint and SharedAccessSignature")
{
  const auto azurite = parse_connection_string(
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + std::string(k_azurite_key) +
      ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1/;QueueEndpoint=http://127.0.0.1:10001/"
      "devstoreaccount1;");
  CHECK(azurite.endpoint == "http://127.0.0.1:10000/devstoreaccount1");
  CHECK(azurite.name == "devstoreaccount1");

  const auto sas = parse_connection_string(
      "BlobEndpoint=https://acct.blob.core.windows.net;SharedAccessSignature=?sv=2021-08-06&sig=abc%3D");
  CHECK(sas.name == "acct");
  CHECK(sas.key.empty());
  CHECK(sas.sas == "sv=2021-08-06&sig=abc%3D");

  const auto emulator_sas = parse_connection_string(
      "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;SharedAccessSignature=sv=1&sig=x");
  CHECK(emulator_sas.name == "devstoreaccount1");
}

TEST_CASE("storage::azure UseDevelopmentStorage=true is azurite's account")
{
  const auto account = parse_connection_string("UseDevelopmentStorage=true");
  CHECK(account.name == "devstoreaccount1");
  CHECK(account.key == k_azurite_key);
  CHECK(account.endpoint == "http://127.0.0.1:10000/devstoreaccount1");
  CHECK(error_of([] { parse_connection_string("UseDevelopmentStorage=yes"); }) ==
        "connection string: UseDevelopmentStorage must be 'true'");
}

TEST_CASE("storage::azure connection string errors name the problem and never the key")
{
  CHECK(error_of([] { parse_connection_string("AccountName=acct;garbage;AccountKey=x"); }) ==
        "connection string: part 2 is not Name=Value");
  CHECK(error_of([] { parse_connection_string(std::string("AccountKey=") + k_key); }) ==
        "connection string: AccountName is missing (or give BlobEndpoint)");
  CHECK(error_of([] { parse_connection_string("AccountName=acct"); }) ==
        "connection string: it has neither AccountKey nor SharedAccessSignature");
  CHECK(error_of([] { parse_connection_string("AccountName=acct;AccountKey=not*base64!"); }) ==
        "connection string: AccountKey is not base64");
  CHECK(error_of([] {
          parse_connection_string(std::string("DefaultEndpointsProtocol=ftp;AccountName=acct;AccountKey=") +
                                  k_key);
        }) == "connection string: DefaultEndpointsProtocol must be 'http' or 'https', not 'ftp'");
  CHECK(error_of([] {
          parse_connection_string("BlobEndpoint=acct.blob;AccountKey=x", "aws/x: connection_string");
        }) == "aws/x: connection_string: BlobEndpoint 'acct.blob' is not an http(s) URL");
}

TEST_CASE("storage::azure account from a block, an account URL or the environment")
{
  EnvScope no_env("AZURE_STORAGE_CONNECTION_STRING", std::nullopt);
  EnvScope no_key("AZURE_STORAGE_KEY", std::nullopt);
  EnvScope no_sas("AZURE_STORAGE_SAS_TOKEN", std::nullopt);
  util::Redactor redactor;
  StoreLocation location;
  location.bucket = "c";
  location.redactor = &redactor;
  location.credentials_label = "azure-blob-storage-credentials/dev";

  location.credentials = {{"connection_string", "UseDevelopmentStorage=true"}};
  auto account = resolve_azure_account(location);
  CHECK(account.name == "devstoreaccount1");
  CHECK(account.source == "azure-blob-storage-credentials/dev");
  CHECK(redactor.scrub(std::string("key ") + std::string(k_azurite_key)) == "key ********");

  location.credentials = {{"account_url", "https://acct.blob.core.windows.net/?sv=2021&sig=s3cr%2Bt"}};
  account = resolve_azure_account(location);
  CHECK(account.endpoint == "https://acct.blob.core.windows.net");
  CHECK(account.sas == "sv=2021&sig=s3cr%2Bt");
  CHECK(redactor.scrub("x sig=s3cr%2Bt") == "x sig=********");

  location.credentials = {{"account_url", "https://acct.blob.core.windows.net"}};
  CHECK(error_of([&] { resolve_azure_account(location); }) ==
        "azure-blob-storage-credentials/dev: account_url needs account_key or sas_token (or a SAS in the "
        "URL's query, AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN)");
  {
    EnvScope key("AZURE_STORAGE_KEY", std::string(k_key));
    account = resolve_azure_account(location);
    CHECK(account.name == "acct");
    CHECK(account.key == k_key);
  }
  location.credentials = {{"account_url", "https://acct.blob.core.windows.net"},
                          {"tenant_id", "t"},
                          {"client_id", "c"},
                          {"client_secret", "s"}};
  CHECK(error_of([&] { resolve_azure_account(location); }) ==
        "azure-blob-storage-credentials/dev: account_url needs account_key or sas_token (or a SAS in the "
        "URL's query, AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN); tenant_id, client_id and client_secret "
        "are not used for signing");
  location.credentials = {{"project", "p"}};
  CHECK(error_of([&] { resolve_azure_account(location); }) ==
        "azure-blob-storage-credentials/dev: credentials need connection_string, or account_url with "
        "account_key or sas_token");

  location.credentials = nullptr;
  location.credentials_label.clear();
  CHECK(error_of([&] { resolve_azure_account(location); }) ==
        "no azure credentials: give the step a credentials block (azure-blob-storage-credentials) or set "
        "AZURE_STORAGE_CONNECTION_STRING");
  EnvScope env("AZURE_STORAGE_CONNECTION_STRING", std::string("UseDevelopmentStorage=true"));
  account = resolve_azure_account(location);
  CHECK(account.source == "the AZURE_STORAGE_CONNECTION_STRING environment variable");
}

TEST_CASE("storage::azure account_url with account_key or sas_token: which one signs")
{
  EnvScope no_env("AZURE_STORAGE_CONNECTION_STRING", std::nullopt);
  EnvScope env_key("AZURE_STORAGE_KEY", std::string("ZW52a2V5ZW52a2V5"));
  EnvScope env_sas("AZURE_STORAGE_SAS_TOKEN", std::string("sv=env&sig=envsig"));
  util::Redactor redactor;
  StoreLocation location;
  location.bucket = "c";
  location.redactor = &redactor;
  location.credentials_label = "azure-blob-storage-credentials/dev";
  const std::string url = "http://127.0.0.1:10000/devstoreaccount1";

  SECTION("the account key signs, whatever else is given")
  {
    location.credentials = {{"account_url", url + "/?sv=url&sig=urlsig"},
                            {"account_key", k_key},
                            {"sas_token", "?sv=field&sig=fieldsig"},
                            {"tenant_id", "t"},
                            {"client_id", "c"},
                            {"client_secret", "s"}};
    const auto account = resolve_azure_account(location);
    CHECK(account.name == "devstoreaccount1");
    CHECK(account.endpoint == url);
    CHECK(account.key == k_key);
    CHECK(account.sas.empty());
    CHECK(account.source == "azure-blob-storage-credentials/dev");
    CHECK(redactor.scrub(std::string("k=") + k_key) == "k=********");
  }
  SECTION("sas_token comes before a SAS in the URL and before the environment")
  {
    location.credentials = {{"account_url", url + "?sv=url&sig=urlsig"},
                            {"sas_token", "?sv=field&sig=f%2Bs"}};
    const auto account = resolve_azure_account(location);
    CHECK(account.key.empty());
    CHECK(account.sas == "sv=field&sig=f%2Bs");
    CHECK(redactor.scrub("sv=field&sig=f%2Bs") == "********");
    CHECK(redactor.scrub("&sig=f%2Bs") == "&sig=********");
  }
  SECTION("a SAS in the URL comes before the environment")
  {
    location.credentials = {{"account_url", url + "?sv=url&sig=urlsig"}};
    CHECK(resolve_azure_account(location).sas == "sv=url&sig=urlsig");
  }
  SECTION("the environment's key comes before its SAS")
  {
    location.credentials = {{"account_url", url}};
    const auto account = resolve_azure_account(location);
    CHECK(account.key == "ZW52a2V5ZW52a2V5");
    CHECK(account.sas.empty());
  }
  SECTION("a connection string comes before account_url and its key")
  {
    location.credentials = {{"connection_string", "UseDevelopmentStorage=true"},
                            {"account_url", "https://other.blob.core.windows.net"},
                            {"account_key", k_key}};
    const auto account = resolve_azure_account(location);
    CHECK(account.key == k_azurite_key);
    CHECK(account.endpoint == k_azurite_endpoint);
  }
  SECTION("a connection string with both AccountKey and SharedAccessSignature signs with the key")
  {
    location.credentials = {{"connection_string", "BlobEndpoint=" + url +
                                                      ";AccountName=devstoreaccount1;"
                                                      "AccountKey=" +
                                                      std::string(k_key) +
                                                      ";SharedAccessSignature=sv=1&sig=x"}};
    const auto account = resolve_azure_account(location);
    CHECK(account.key == k_key);
    CHECK(account.sas.empty());
  }
  SECTION("a key that is not base64 is named by its field, never shown")
  {
    location.credentials = {{"account_url", url}, {"account_key", "not*base64!"}};
    CHECK(error_of([&] { resolve_azure_account(location); }) ==
          "azure-blob-storage-credentials/dev: account_key is not base64");
  }
}
