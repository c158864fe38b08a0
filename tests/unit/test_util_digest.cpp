// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/base64.hpp>
#include <syntask/util/digest.hpp>

#include <catch2/catch_test_macros.hpp>

namespace util = syntask::util;

TEST_CASE("util::sha256_hex, hex and hmac_sha256 give the standard values")
{
  CHECK(util::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(util::hex(util::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(util::hex(std::string("\x00\x0f\xf0\xff", 4)) == "000ff0ff");
  // RFC 4231, test case 2.
  CHECK(util::hex(util::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("util::base64url_encode pads for Docker and not for JSON Web Tokens")
{
  CHECK(util::base64url_encode("\xfb\xff") == "-_8=");
  CHECK(util::base64url_encode("\xfb\xff", false) == "-_8");
  CHECK(util::base64url_encode("abc", false) == "YWJj");
  CHECK(util::base64_decode("-_8").value() == "\xfb\xff");
}
