// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/base64.hpp>
#include <syntask/util/digest.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/azure_credentials.hpp"
#include "storage/azure_signing.hpp"

using namespace syntask;
using namespace syntask::storage;

namespace {

// A body of a given size; signing reads only its size.
class SizedSource : public http::BodySource {
public:
  explicit SizedSource(std::uint64_t size) : m_size(size) {}
  std::uint64_t size() const override { return m_size; }
  std::size_t read(char*, std::size_t) override { return 0; }
  void rewind() override {}

private:
  std::uint64_t m_size;
};

// Requests azurite 3.37.0 accepted, with the string to sign its debug log printed for each.
http::Request put_blob_request()
{
  http::Request request;
  request.method = "PUT";
  request.url = "http://127.0.0.1:10000/devstoreaccount1/probe/a%20b/%C3%A9.txt";
  request.headers = {{"x-ms-date", "Mon, 23 Nov 2026 12:50:28 GMT"},
                     {"x-ms-version", "2021-08-06"},
                     {"x-ms-blob-type", "BlockBlob"},
                     {"Content-Type", "application/octet-stream"}};
  return request;
}

std::string decoded_azurite_key()
{
  return *util::base64_decode(k_azurite_key);
}

} // namespace

TEST_CASE("storage::azure string to sign matches azurite's for Put Blob")
{
  auto request = put_blob_request();
  SizedSource body(5);
  request.body = &body;
  CHECK(azure_string_to_sign(request, "devstoreaccount1") ==
        "PUT\n\n\n5\n\napplication/octet-stream\n\n\n\n\n\n\nx-ms-blob-type:BlockBlob\n"
        "x-ms-date:Mon, 23 Nov 2026 12:50:28 GMT\nx-ms-version:2021-08-06\n"
        "/devstoreaccount1/devstoreaccount1/probe/a%20b/%C3%A9.txt");
  CHECK(util::base64_encode(
            util::hmac_sha256(decoded_azurite_key(), azure_string_to_sign(request, "devstoreaccount1"))) ==
        "yDWBccje515LkUUS6v3fe7IuWqf9YtOKeTqjC9nvYIE=");
}

TEST_CASE("storage::azure string to sign: empty body, query parameters lowercased, sorted and decoded")
{
  http::Request request;
  request.method = "PUT";
  request.url = "http://127.0.0.1:10000/devstoreaccount1/probe?restype=container";
  request.headers = {{"x-ms-version", "2021-08-06"}, {"X-MS-Date", "Mon, 23 Nov 2026 12:50:28 GMT"}};
  SizedSource empty(0);
  request.body = &empty;
  const auto text = azure_string_to_sign(request, "devstoreaccount1");
  CHECK(text ==
        "PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 23 Nov 2026 12:50:28 GMT\nx-ms-version:2021-08-06\n"
        "/devstoreaccount1/devstoreaccount1/probe\nrestype:container");
  CHECK(util::base64_encode(util::hmac_sha256(decoded_azurite_key(), text)) ==
        "rQSgMu39phFT58QjvUbN9Wft7rNKecos6f5xnFug31U=");

  CHECK(azure_canonical_resource(
            "https://acct.blob.core.windows.net/c?restype=container&comp=list&Prefix=a%2Fb&"
            "include=metadata&marker=m%20n",
            "acct") == "/acct/c\ncomp:list\ninclude:metadata\nmarker:m n\nprefix:a/b\nrestype:container");
  CHECK(azure_canonical_resource("https://acct.blob.core.windows.net/c/k?comp=block&blockid=QUFB%3D%3D",
                                 "acct") == "/acct/c/k\nblockid:QUFB==\ncomp:block");
}

TEST_CASE("storage::azure signing adds date, version and the SharedKey header")
{
  http::Request request;
  request.method = "GET";
  request.url = "http://127.0.0.1:10000/devstoreaccount1/probe/x";
  const auto when = std::chrono::system_clock::from_time_t(1795438228); // Mon, 23 Nov 2026 12:50:28 GMT
  azure_sign_shared_key(request, "devstoreaccount1", decoded_azurite_key(), when);
  CHECK(http::find_header(request.headers, "x-ms-date") == "Mon, 23 Nov 2026 12:50:28 GMT");
  CHECK(http::find_header(request.headers, "x-ms-version") == "2021-08-06");
  const auto authorization = http::find_header(request.headers, "Authorization").value_or("");
  CHECK(authorization.rfind("SharedKey devstoreaccount1:", 0) == 0);
  CHECK(rfc1123_date(std::chrono::system_clock::from_time_t(0)) == "Thu, 01 Jan 1970 00:00:00 GMT");
}
