// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch_test_macros.hpp>

#include "store/sealed_box.hpp"

using namespace syntask::store;

TEST_CASE("store::seal round trips and uses a fresh nonce each time")
{
  const auto key = SecretKey::generate();
  const auto first = seal(key, "hello secret");
  const auto second = seal(key, "hello secret");
  CHECK(first != second);
  CHECK(first.size() == 24 + 16 + 12);
  CHECK(unseal(key, first) == "hello secret");
  CHECK(unseal(key, second) == "hello secret");
  CHECK(unseal(key, seal(key, "")) == "");
}

TEST_CASE("store::unseal rejects a wrong key and altered or short boxes")
{
  const auto key = SecretKey::generate();
  auto box = seal(key, "hello secret");
  CHECK_FALSE(unseal(SecretKey::generate(), box));
  box.back() ^= 1;
  CHECK_FALSE(unseal(key, box));
  CHECK_FALSE(unseal(key, std::vector<unsigned char>(10)));
  CHECK_FALSE(unseal(key, {}));
}

TEST_CASE("store::SecretKey hex form")
{
  const auto key = SecretKey::generate();
  const auto hex = key.to_hex();
  CHECK(hex.size() == 64);
  REQUIRE(SecretKey::from_hex(hex));
  CHECK(SecretKey::from_hex(hex)->to_hex() == hex);
  CHECK_FALSE(SecretKey::from_hex(hex.substr(2)));
  CHECK_FALSE(SecretKey::from_hex(hex + "00"));
  CHECK_FALSE(SecretKey::from_hex(std::string(64, 'z')));
  CHECK_FALSE(SecretKey::from_hex(std::string(62, 'a') + ":a"));
}
