// SPDX-License-Identifier: Apache-2.0
// Reading S3's answers: ListObjectsV2 pages, the multipart documents, and error responses turned into
// one-line syntask::RemoteError messages that name the object and never a secret.
#pragma once

#include <syntask/http/client.hpp>
#include <syntask/storage/object_store.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace syntask::storage::s3 {

/// One page of a ListObjectsV2 answer.
struct ListPage {
  std::vector<ObjectInfo> objects;
  bool truncated = false;
  std::string next_token;
};

/// Parses a ListBucketResult. Keys (and prefixes) are URL-decoded only when the document carries
/// <EncodingType>url</EncodingType> (S3 then writes a space as '+'); stores that ignore the request
/// for it (s3rver) send raw keys. Throws RemoteError for a document that is not a ListBucketResult.
ListPage parse_list_page(std::string_view body);

/// Decodes S3's url encoding-type: %XX sequences, and '+' as a space.
std::string url_decode_plus(std::string_view text);

/// The UploadId of an InitiateMultipartUploadResult; throws RemoteError when there is none.
std::string parse_upload_id(std::string_view body);

/// The <CompleteMultipartUpload> body for parts 1..N with their ETags (as the parts returned them).
std::string complete_multipart_body(const std::vector<std::string>& etags);

/// An ETag without its surrounding quotes.
std::string strip_quotes(std::string_view etag);

/// What a failed request was doing, for the message.
struct Failure {
  std::string store;            ///< "s3://bucket"
  std::string key;              ///< empty for bucket-level requests
  std::string credentials_hint; ///< completes "check the credentials ..."
};

/// S3's error code (from the XML body) or "" when the body has none (HEAD answers have no body).
std::string error_code(const http::Response& response);

/// Throws the RemoteError for a failed response:
///   AccessDenied, SignatureDoesNotMatch, InvalidAccessKeyId, InvalidToken, ExpiredToken, any 401/403:
///     "access denied by s3://bucket: check the credentials in aws-credentials/NAME"
///   NoSuchBucket: "no such bucket 's3://bucket'"
///   NoSuchKey, other 404: "'s3://bucket/key' not found"
///   a wrong region: "s3://bucket is in region 'X', not 'Y': set region_name"
///   otherwise: "s3://bucket/key: S3 answered HTTP 400 (InvalidArgument): <Message>"
/// 5xx and 429 are transient. Any secret registered with the global redactor is scrubbed.
[[noreturn]] void throw_error(const http::Response& response, const Failure& failure,
                              std::string_view region);

} // namespace syntask::storage::s3
