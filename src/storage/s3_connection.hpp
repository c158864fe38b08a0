// SPDX-License-Identifier: Apache-2.0
// One HTTP connection to one S3 bucket: URLs (path-style for custom endpoints, virtual-hosted for AWS),
// SigV4 signing before every attempt with the client's skew-corrected clock, and errors turned into
// RemoteError. The resolved settings and keys are shared by every connection to the bucket (parallel
// workers, multipart parts), and temporary keys are refreshed under a lock.
#pragma once

#include <syntask/http/client.hpp>

#include "storage/aws_credentials.hpp"
#include "storage/s3_responses.hpp"
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace syntask::storage::s3 {

/// What every connection to one bucket shares.
class BucketConfig {
public:
  BucketConfig(std::string bucket, aws::AwsSettings settings);

  const std::string& bucket() const { return m_bucket; }
  /// "s3://bucket"
  std::string describe() const { return "s3://" + m_bucket; }
  const aws::AwsSettings& settings() const { return m_settings; }
  bool path_style() const { return m_path_style; }

  /// The keys to sign with now, fetched again first when temporary keys are about to expire.
  aws::SigningKeys keys(std::chrono::system_clock::time_point now);

  /// The URL of `key` ("" for the bucket itself) with an already encoded query (may be empty).
  std::string url(std::string_view key, std::string_view query) const;

  /// The client options for this bucket's endpoint (CA bundle).
  http::ClientOptions client_options() const;

private:
  std::string m_bucket;
  aws::AwsSettings m_settings;
  bool m_path_style = true;
  std::mutex m_keys_mutex;
};

/// Whether a bucket name can be a DNS label under TLS (lowercase letters, digits and '-', no dots).
bool virtual_host_compatible(std::string_view bucket);

/// One request to send on a connection.
struct Call {
  std::string method = "GET";
  std::string key; ///< "" for the bucket
  std::string query;
  http::Headers headers;
  http::BodySource* body = nullptr;
  http::BodySink* sink = nullptr;
  /// Hex SHA-256 of the body, or aws::k_unsigned_payload for a streamed file.
  std::string payload_hash = std::string(aws::k_empty_sha256);
  ProgressCallback progress;
};

class Connection {
public:
  explicit Connection(std::shared_ptr<BucketConfig> config);

  /// Sends and returns the response whatever its status (for callers that treat 404 as an answer).
  /// A RequestTimeTooSkewed answer is sent once more: the client has learnt the server's clock from it.
  http::Response send(Call& call);

  /// Sends and throws the RemoteError for any status outside 2xx.
  http::Response send_checked(Call& call);

  [[noreturn]] void fail(const http::Response& response, std::string_view key) const;

  const std::shared_ptr<BucketConfig>& config() const { return m_config; }

private:
  std::shared_ptr<BucketConfig> m_config;
  http::Client m_client;
};

} // namespace syntask::storage::s3
