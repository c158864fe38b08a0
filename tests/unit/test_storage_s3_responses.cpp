// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/s3_responses.hpp"

using namespace syntask::storage;
using namespace syntask::storage::s3;

namespace {

struct Thrown {
  std::string message;
  bool transient = false;
};

Thrown thrown_for(long status, std::string body, syntask::http::Headers headers = {},
                  std::string key = "dir/a.txt")
{
  syntask::http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  try {
    throw_error(response, Failure{"s3://bucket", std::move(key), "in aws-credentials/prod"}, "us-east-1");
  } catch (const syntask::RemoteError& error) {
    return {error.what(), error.transient()};
  }
  return {"<no error>", false};
}

std::string error_body(const std::string& code, const std::string& message = "text")
{
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message +
         "</Message><RequestId>1</RequestId></Error>";
}

} // namespace

TEST_CASE("storage::s3 listing pages decode keys only when the answer says EncodingType url")
{
  auto raw =
      parse_list_page("<ListBucketResult><IsTruncated>false</IsTruncated>"
                      "<Contents><Key>f/a+b%20c</Key><ETag>&quot;abc&quot;</ETag><Size>12</Size></Contents>"
                      "<Contents><Key>f/dir/</Key><ETag>\"d\"</ETag><Size>0</Size></Contents>"
                      "</ListBucketResult>");
  REQUIRE(raw.objects.size() == 2);
  CHECK(raw.objects[0].key == "f/a+b%20c");
  CHECK(raw.objects[0].size == 12);
  CHECK(raw.objects[0].etag == "abc");
  CHECK_FALSE(raw.objects[0].is_directory_marker);
  CHECK(raw.objects[1].is_directory_marker);
  CHECK_FALSE(raw.truncated);

  auto encoded =
      parse_list_page("<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
                      "<NextContinuationToken>tok+/=</NextContinuationToken>"
                      "<Contents><Key>f/a%2Bb+c%C3%A9%2F..%5C</Key><Size>1</Size></Contents>"
                      "</ListBucketResult>");
  REQUIRE(encoded.objects.size() == 1);
  CHECK(encoded.objects[0].key == "f/a+b c\xC3\xA9/..\\");
  CHECK(encoded.truncated);
  CHECK(encoded.next_token == "tok+/=");
}

TEST_CASE("storage::s3 listing pages that make no sense are errors")
{
  auto message = [](std::string_view body) {
    try {
      parse_list_page(body);
    } catch (const syntask::RemoteError& error) {
      return std::string(error.what());
    }
    return std::string("<no error>");
  };
  CHECK(message("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>") ==
        "S3 answered a truncated listing without a continuation token");
  CHECK(message("<Other/>") == "S3 answered a listing with <Other> instead of <ListBucketResult>");
  CHECK(message("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>") ==
        "S3 listed an object with the size '-1'");
}

TEST_CASE("storage::s3 multipart documents")
{
  CHECK(parse_upload_id("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                        "<UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>") ==
        "VXBsb2FkIElE");
  CHECK_THROWS_AS(parse_upload_id("<InitiateMultipartUploadResult/>"), syntask::RemoteError);
  CHECK(complete_multipart_body({"\"a\"", "\"b\""}) ==
        "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<Part><PartNumber>1</PartNumber><ETag>&quot;a&quot;</ETag></Part>"
        "<Part><PartNumber>2</PartNumber><ETag>&quot;b&quot;</ETag></Part></CompleteMultipartUpload>");
  CHECK(strip_quotes("\"abc\"") == "abc");
  CHECK(strip_quotes("abc") == "abc");
  CHECK(url_decode_plus("a+b%2b%zz") == "a b+%zz");
}

TEST_CASE("storage::s3 errors become one line naming the object")
{
  for (auto code : {"AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "ExpiredToken"}) {
    auto denied = thrown_for(403, error_body(code, "The request signature we calculated does not match"));
    CHECK(denied.message == "access denied by s3://bucket: check the credentials in aws-credentials/prod");
    CHECK_FALSE(denied.transient);
  }
  // HEAD answers carry no body.
  CHECK(thrown_for(403, "").message ==
        "access denied by s3://bucket: check the credentials in aws-credentials/prod");
  CHECK(thrown_for(404, error_body("NoSuchBucket")).message == "no such bucket 's3://bucket'");
  CHECK(thrown_for(404, error_body("NoSuchKey")).message == "'s3://bucket/dir/a.txt' not found");
  CHECK(thrown_for(404, "").message == "'s3://bucket/dir/a.txt' not found");
  CHECK(thrown_for(301, error_body("PermanentRedirect"), {{"x-amz-bucket-region", "eu-west-1"}}).message ==
        "s3://bucket is in region 'eu-west-1', not 'us-east-1': set region_name");
  CHECK(thrown_for(400, "<Error><Code>AuthorizationHeaderMalformed</Code><Region>ap-south-1</Region></Error>")
            .message == "s3://bucket is in region 'ap-south-1', not 'us-east-1': set region_name");

  auto slow = thrown_for(503, error_body("SlowDown", "Please reduce\nyour request rate."));
  CHECK(slow.message ==
        "s3://bucket/dir/a.txt: S3 answered HTTP 503 (SlowDown): Please reduce your request rate.");
  CHECK(slow.transient);
  auto throttled = thrown_for(429, "");
  CHECK(throttled.message == "s3://bucket/dir/a.txt: S3 answered HTTP 429");
  CHECK(throttled.transient);
  auto bad = thrown_for(400, error_body("InvalidArgument", "Part number must be an integer"), {}, "");
  CHECK(bad.message == "s3://bucket: S3 answered HTTP 400 (InvalidArgument): Part number must be an integer");
  CHECK_FALSE(bad.transient);
  CHECK(thrown_for(500, "<html>oops").message == "s3://bucket/dir/a.txt: S3 answered HTTP 500");
}
