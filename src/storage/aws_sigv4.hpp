// SPDX-License-Identifier: Apache-2.0
// AWS Signature Version 4 (header authorisation), as S3 and S3-compatible stores check it: the
// canonical request, the string to sign, the derived signing key and the Authorization header.
// Each stage is exposed so that tests can compare it with AWS's published examples.
#pragma once

#include <syntask/http/client.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace syntask::storage::aws {

/// The hex SHA-256 of an empty body.
inline constexpr std::string_view k_empty_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// The payload hash of a body that is streamed without being hashed first (files and parts). S3 and
/// s3rver accept it with header authorisation; the body is then protected by TLS alone (and by
/// nothing over plain http, which is only for local test servers and private networks).
inline constexpr std::string_view k_unsigned_payload = "UNSIGNED-PAYLOAD";

/// The request time as SigV4 writes it: "20130524T000000Z" (UTC).
std::string amz_date(std::chrono::system_clock::time_point time);

/// SigV4's URI encoding: unreserved characters (A-Z a-z 0-9 - _ . ~) kept, every other byte as %XX
/// with uppercase hex (a space is %20, never '+'); `keep_slash` keeps '/' (for paths).
std::string uri_encode(std::string_view text, bool keep_slash);

/// The canonical query string of a raw query (the part after '?', encoded or not): each parameter
/// decoded and encoded again with uri_encode, a bare name given an empty value ("uploads="), sorted
/// by name and then value, joined with '&'.
std::string canonical_query(std::string_view raw_query);

/// The canonical URI of a path as sent: decoded and encoded again once (S3 does not double-encode
/// and does not remove dot segments); "" becomes "/".
std::string canonical_uri(std::string_view raw_path);

/// What a signature covers.
struct SigningInput {
  std::string method;
  std::string path;  ///< as sent, percent-encoded
  std::string query; ///< raw, without '?'
  /// Headers to sign (names in any case); must hold host and x-amz-date. Repeated names are joined
  /// with ',', values are trimmed and inner runs of spaces collapsed.
  http::Headers headers;
  std::string payload_hash; ///< hex SHA-256 of the body, or k_unsigned_payload
};

/// "host;range;x-amz-content-sha256;x-amz-date": the lowercase names, sorted, without repeats.
std::string signed_headers(const http::Headers& headers);

std::string canonical_request(const SigningInput& input);

/// "YYYYMMDD/region/service/aws4_request".
std::string credential_scope(std::string_view date, std::string_view region, std::string_view service);

std::string string_to_sign(std::string_view amz_datetime, std::string_view scope, std::string_view canonical);

/// The raw signing key: HMAC chain over "AWS4" + secret, date (YYYYMMDD), region, service, "aws4_request".
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service);

/// The credentials a request is signed with. The secret and token never appear in any output.
struct SigningKeys {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token; ///< empty for long-term keys
};

/// The Authorization header value for `input` signed at `amz_datetime` ("20130524T000000Z").
std::string authorization(const SigningInput& input, const SigningKeys& keys, std::string_view amz_datetime,
                          std::string_view region, std::string_view service);

/// Signs an HTTP request in place for `service` in `region` at `time`: sets Host (so that the signed
/// host is the one sent), x-amz-date, x-amz-content-sha256 (= `payload_hash`), x-amz-security-token
/// when there is a session token, and Authorization, replacing earlier values of these (a retried
/// request is signed again). Every other header with a value is signed too; headers the HTTP layer
/// adds itself (Content-Length, Expect, User-Agent) are not. No checksum headers are added:
/// S3-compatible stores reject x-amz-checksum-* and x-amz-sdk-checksum-algorithm.
void sign_request(http::Request& request, const SigningKeys& keys, std::string_view region,
                  std::string_view service, std::string_view payload_hash,
                  std::chrono::system_clock::time_point time);

} // namespace syntask::storage::aws
