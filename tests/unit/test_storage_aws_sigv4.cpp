// SPDX-License-Identifier: Apache-2.0
// AWS Signature V4 against the examples AWS publishes: the IAM ListUsers example of the general
// signing guide and the S3 header-authorisation examples (GET object, PUT object, GET bucket
// lifecycle, GET bucket list objects). A wrong canonicalisation changes every signature here.
#include <syntask/util/digest.hpp>
#include <syntask/util/strings.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/aws_sigv4.hpp"
#include <algorithm>
#include <chrono>

using namespace syntask::storage::aws;
using syntask::http::Headers;
using syntask::http::Request;

namespace {

// 2013-05-24T00:00:00Z, the time of the S3 examples.
const auto k_s3_example_time = std::chrono::system_clock::time_point{std::chrono::seconds{1369353600}};
const SigningKeys k_s3_keys{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};

std::string signature_of(const std::string& authorization_value)
{
  auto at = authorization_value.find("Signature=");
  REQUIRE(at != std::string::npos);
  return authorization_value.substr(at + 10);
}

std::size_t count_headers(const Headers& headers, std::string_view name)
{
  return static_cast<std::size_t>(std::count_if(headers.begin(), headers.end(), [&](const auto& header) {
    return syntask::util::to_lower(header.first) == name;
  }));
}

std::string header_value(const Headers& headers, std::string_view name)
{
  for (const auto& [key, value] : headers) {
    if (syntask::util::to_lower(key) == name) {
      return value;
    }
  }
  return "<absent>";
}

} // namespace

TEST_CASE("storage::aws_sigv4 signs the IAM ListUsers example of the signing guide")
{
  SigningInput input{"GET",
                     "/",
                     "Action=ListUsers&Version=2010-05-08",
                     {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                      {"Host", "iam.amazonaws.com"},
                      {"X-Amz-Date", "20150830T123600Z"}},
                     std::string(k_empty_sha256)};
  auto canonical = canonical_request(input);
  CHECK(canonical == "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
                     "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
                     "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                     "content-type;host;x-amz-date\n"
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(syntask::util::sha256_hex(canonical) ==
        "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  auto scope = credential_scope("20150830", "us-east-1", "iam");
  CHECK(string_to_sign("20150830T123600Z", scope, canonical) ==
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
        "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  CHECK(syntask::util::hex(
            signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")) ==
        "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  SigningKeys keys{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  CHECK(authorization(input, keys, "20150830T123600Z", "us-east-1", "iam") ==
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, "
        "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST_CASE("storage::aws_sigv4 signs S3's GET object example")
{
  SigningInput input{"GET",
                     "/test.txt",
                     "",
                     {{"Host", "examplebucket.s3.amazonaws.com"},
                      {"Range", "bytes=0-9"},
                      {"x-amz-content-sha256", std::string(k_empty_sha256)},
                      {"x-amz-date", "20130524T000000Z"}},
                     std::string(k_empty_sha256)};
  auto canonical = canonical_request(input);
  CHECK(canonical == "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
                     "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                     "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(string_to_sign("20130524T000000Z", credential_scope("20130524", "us-east-1", "s3"), canonical) ==
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
        "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  CHECK(authorization(input, k_s3_keys, "20130524T000000Z", "us-east-1", "s3") ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST_CASE("storage::aws_sigv4 signs S3's PUT object example with an encoded key")
{
  auto body_hash = syntask::util::sha256_hex("Welcome to Amazon S3.");
  CHECK(body_hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  SigningInput input{"PUT",
                     "/" + uri_encode("test$file.text", true),
                     "",
                     {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                      {"Host", "examplebucket.s3.amazonaws.com"},
                      {"x-amz-content-sha256", body_hash},
                      {"x-amz-date", "20130524T000000Z"},
                      {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                     body_hash};
  CHECK(input.path == "/test%24file.text");
  auto canonical = canonical_request(input);
  CHECK(canonical.substr(0, canonical.find('\n', 4)) == "PUT\n/test%24file.text");
  CHECK(string_to_sign("20130524T000000Z", credential_scope("20130524", "us-east-1", "s3"), canonical) ==
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
        "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
  CHECK(signature_of(authorization(input, k_s3_keys, "20130524T000000Z", "us-east-1", "s3")) ==
        "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST_CASE("storage::aws_sigv4 signs S3's lifecycle and list objects examples (query canonicalisation)")
{
  Headers headers{{"Host", "examplebucket.s3.amazonaws.com"},
                  {"x-amz-content-sha256", std::string(k_empty_sha256)},
                  {"x-amz-date", "20130524T000000Z"}};
  SigningInput lifecycle{"GET", "/", "lifecycle", headers, std::string(k_empty_sha256)};
  CHECK(signature_of(authorization(lifecycle, k_s3_keys, "20130524T000000Z", "us-east-1", "s3")) ==
        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  // Sent in another order and with an encoded value: the canonical query is the same.
  SigningInput list{"GET", "/", "prefix=%4A&max-keys=2", headers, std::string(k_empty_sha256)};
  CHECK(canonical_query(list.query) == "max-keys=2&prefix=J");
  CHECK(signature_of(authorization(list, k_s3_keys, "20130524T000000Z", "us-east-1", "s3")) ==
        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  list.query = "prefix=K&max-keys=2";
  CHECK(signature_of(authorization(list, k_s3_keys, "20130524T000000Z", "us-east-1", "s3")) !=
        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST_CASE("storage::aws_sigv4 encodes as SigV4 requires")
{
  CHECK(uri_encode("a-b_c.d~e", false) == "a-b_c.d~e");
  CHECK(uri_encode("a b/c+d=é", false) == "a%20b%2Fc%2Bd%3D%C3%A9");
  CHECK(uri_encode("a b/c", true) == "a%20b/c");
  CHECK(uri_encode("!'()*", false) == "%21%27%28%29%2A");
  CHECK(canonical_query("uploads") == "uploads=");
  CHECK(canonical_query("uploadId=a%2Fb%2Bc%3D%3D&partNumber=2") == "partNumber=2&uploadId=a%2Fb%2Bc%3D%3D");
  CHECK(canonical_query("list-type=2&prefix=a/b c&encoding-type=url") ==
        "encoding-type=url&list-type=2&prefix=a%2Fb%20c");
  CHECK(canonical_query("") == "");
  CHECK(canonical_uri("") == "/");
  // No dot-segment removal and no double encoding.
  CHECK(canonical_uri("/bucket/a/../b%20c/%25") == "/bucket/a/../b%20c/%25");
  CHECK(canonical_uri("/bucket/a:b") == "/bucket/a%3Ab");
  CHECK(amz_date(k_s3_example_time) == "20130524T000000Z");
  CHECK(amz_date(std::chrono::system_clock::time_point{std::chrono::seconds{951782400}}) ==
        "20000229T000000Z");
}

TEST_CASE("storage::aws_sigv4 normalises header values and joins repeated names")
{
  SigningInput input{
      "GET",
      "/",
      "",
      {{"Host", "h"}, {"X-Amz-Meta-A", "  one   two  "}, {"x-amz-meta-a", "three"}, {"x-amz-date", "d"}},
      "p"};
  CHECK(canonical_request(input) == "GET\n/\n\nhost:h\nx-amz-date:d\nx-amz-meta-a:one two,three\n\n"
                                    "host;x-amz-date;x-amz-meta-a\np");
}

TEST_CASE("storage::aws_sigv4 signs an HTTP request in place")
{
  Request request;
  request.method = "GET";
  request.url = "https://examplebucket.s3.amazonaws.com/test.txt";
  request.headers = {{"Range", "bytes=0-9"}, {"Expect", ""}};
  sign_request(request, k_s3_keys, "us-east-1", "s3", k_empty_sha256, k_s3_example_time);
  CHECK(header_value(request.headers, "host") == "examplebucket.s3.amazonaws.com");
  CHECK(header_value(request.headers, "x-amz-date") == "20130524T000000Z");
  CHECK(header_value(request.headers, "authorization") ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

  // A retry signs again: one of each header, with the new time.
  sign_request(request, k_s3_keys, "us-east-1", "s3", k_empty_sha256,
               k_s3_example_time + std::chrono::hours(1));
  for (auto name : {"host", "authorization", "x-amz-date", "x-amz-content-sha256"}) {
    CHECK(count_headers(request.headers, name) == 1);
  }
  CHECK(header_value(request.headers, "x-amz-date") == "20130524T010000Z");
  CHECK(count_headers(request.headers, "range") == 1);
}

TEST_CASE("storage::aws_sigv4 signs the host with its port, a session token and unsigned payloads")
{
  Request request;
  request.method = "PUT";
  request.url = "http://127.0.0.1:4568/bucket/dir/a%20b?partNumber=1&uploadId=x";
  SigningKeys keys{"AKID", "secret-value", "session-token-value"};
  sign_request(request, keys, "us-east-1", "s3", k_unsigned_payload, k_s3_example_time);
  CHECK(header_value(request.headers, "host") == "127.0.0.1:4568");
  CHECK(header_value(request.headers, "x-amz-content-sha256") == "UNSIGNED-PAYLOAD");
  CHECK(header_value(request.headers, "x-amz-security-token") == "session-token-value");
  auto auth = header_value(request.headers, "authorization");
  CHECK(auth.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,") !=
        std::string::npos);
  CHECK(auth.find("secret-value") == std::string::npos);
  CHECK(count_headers(request.headers, "x-amz-checksum-crc32") == 0);
  CHECK(count_headers(request.headers, "x-amz-sdk-checksum-algorithm") == 0);

  Request https;
  https.url = "https://user:pw@bucket.s3.us-west-2.amazonaws.com:443/k";
  sign_request(https, keys, "us-west-2", "s3", k_empty_sha256, k_s3_example_time);
  CHECK(header_value(https.headers, "host") == "bucket.s3.us-west-2.amazonaws.com");
}
