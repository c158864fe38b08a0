// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/store/store.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_exception.hpp>

#include "store/secret_key.hpp"
#include "unit/test_store_support.hpp"
#include <regex>
#include <sys/stat.h>

using namespace syntask;
using namespace syntask::store;
using Catch::Matchers::Message;
using nlohmann::json;
using syntask::store::test::ScopedEnv;
using syntask::store::test::TempDir;

namespace {

const std::string k_key_a = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const std::string k_key_b = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

const std::string k_wrong_key =
    "cannot unseal block 'secret/token': the secret key does not match the one it was "
    "saved with (SYNTASK_HOME/secret.key or SYNTASK_SECRET_KEY)";

} // namespace

TEST_CASE("store::load_secret_key creates a private key file once and reuses it")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  const auto path = temp.path() / "secret.key";
  const auto first = load_secret_key(temp.path());
  const auto text = syntask::store::test::raw_bytes(path);
  CHECK(std::regex_match(text, std::regex("[0-9a-f]{64}\n")));
  CHECK(syntask::store::test::mode_of(path) == 0600);
  CHECK(text == first.to_hex() + "\n");
  CHECK(load_secret_key(temp.path()).to_hex() == first.to_hex());
  CHECK(syntask::store::test::raw_bytes(path) == text);
  // No temporary file is left behind.
  CHECK(std::distance(std::filesystem::directory_iterator(temp.path()),
                      std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("store::load_secret_key sets mode 0600 whatever the umask")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  const auto old_mask = ::umask(0277);
  load_secret_key(temp.path());
  ::umask(old_mask);
  CHECK(syntask::store::test::mode_of(temp.path() / "secret.key") == 0600);
}

TEST_CASE("store::load_secret_key refuses a key file others can read")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  const auto path = temp.path() / "secret.key";
  load_secret_key(temp.path());
  std::filesystem::permissions(path, std::filesystem::perms(0644));
  CHECK_THROWS_MATCHES(load_secret_key(temp.path()), StoreError,
                       Message("secret key file '" + path.string() +
                               "' has mode 0644; it must be 0600 (readable and writable by its owner only)"));
  std::filesystem::permissions(path, std::filesystem::perms(0620));
  CHECK_THROWS_MATCHES(Store::open(temp.path()), StoreError,
                       Message("secret key file '" + path.string() +
                               "' has mode 0620; it must be 0600 (readable and writable by its owner only)"));
  std::filesystem::permissions(path, std::filesystem::perms(0400));
  CHECK_NOTHROW(load_secret_key(temp.path()));
}

TEST_CASE("store::load_secret_key refuses a malformed key file")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  const auto path = temp.path() / "secret.key";
  {
    std::ofstream(path) << "not-a-key\n";
  }
  std::filesystem::permissions(path, std::filesystem::perms(0600));
  CHECK_THROWS_MATCHES(
      load_secret_key(temp.path()), StoreError,
      Message("secret key file '" + path.string() + "' must hold 64 hexadecimal characters"));
}

TEST_CASE("store::load_secret_key takes SYNTASK_SECRET_KEY instead of a file")
{
  TempDir temp;
  {
    ScopedEnv key("SYNTASK_SECRET_KEY", k_key_a);
    CHECK(load_secret_key(temp.path()).to_hex() == k_key_a);
    auto store = Store::open(temp.path());
    store->save_block({"secret", "token", {{"value", "from-env-key"}}, {}}, false);
    CHECK_FALSE(std::filesystem::exists(temp.path() / "secret.key"));
  }
  {
    ScopedEnv key("SYNTASK_SECRET_KEY", "FFEEDDCCBBAA99887766554433221100FFEEDDCCBBAA99887766554433221100");
    CHECK(load_secret_key(temp.path()).to_hex() == k_key_b);
  }
  for (const auto& bad : std::vector<std::string>{"", "abc", k_key_a + "0", k_key_a.substr(0, 63) + "g",
                                                  " " + k_key_a.substr(1)}) {
    ScopedEnv key("SYNTASK_SECRET_KEY", bad);
    CHECK_THROWS_MATCHES(load_secret_key(temp.path()), StoreError,
                         Message("SYNTASK_SECRET_KEY must hold 64 hexadecimal characters"));
  }
}

TEST_CASE("store::SqliteStore reports a wrong key without revealing anything")
{
  TempDir temp;
  {
    ScopedEnv key("SYNTASK_SECRET_KEY", k_key_a);
    Store::open(temp.path())->save_block({"secret", "token", {{"value", "sealed-with-a"}}, {}}, false);
  }
  SECTION("another SYNTASK_SECRET_KEY")
  {
    ScopedEnv key("SYNTASK_SECRET_KEY", k_key_b);
    auto store = Store::open(temp.path());
    CHECK_THROWS_MATCHES(store->get_block("secret", "token"), StoreError, Message(k_wrong_key));
    CHECK_THROWS_MATCHES(store->list_blocks(), StoreError, Message(k_wrong_key));
  }
  SECTION("a key file instead of the variable")
  {
    ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
    CHECK_THROWS_MATCHES(Store::open(temp.path())->get_block("secret", "token"), StoreError,
                         Message(k_wrong_key));
  }
}
