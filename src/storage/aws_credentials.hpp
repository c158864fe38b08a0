// SPDX-License-Identifier: Apache-2.0
// The AWS credential chain and client settings for S3, in the order AWS's SDKs use:
//   1. the credentials block: aws_access_key_id / aws_secret_access_key / aws_session_token (also
//      MinIO's minio_root_user / minio_root_password), or its profile_name (then only that profile);
//   2. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN;
//   3. the profile AWS_PROFILE (else "default") in the shared files (AWS_SHARED_CREDENTIALS_FILE,
//      AWS_CONFIG_FILE, else ~/.aws/credentials and ~/.aws/config);
//   4. the container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on 169.254.170.2, or
//      AWS_CONTAINER_CREDENTIALS_FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]);
//   5. the EC2 instance metadata service, IMDSv2 (AWS_EC2_METADATA_SERVICE_ENDPOINT,
//      AWS_EC2_METADATA_DISABLED).
// Region: region_name (block, then client parameters), AWS_REGION, AWS_DEFAULT_REGION, the profile,
// else us-east-1. Endpoint: client_parameters.endpoint_url, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the
// profile (s3.endpoint_url, endpoint_url). CA bundle: verify_cert_path, a path in verify,
// AWS_CA_BUNDLE, the profile's ca_bundle; verify: false turns certificate checks off.
#pragma once

#include <syntask/storage/object_store.hpp>

#include "storage/aws_sigv4.hpp"
#include <chrono>
#include <optional>
#include <string>

namespace syntask::storage::aws {

/// Where the signing keys came from, so that temporary keys can be fetched again.
enum class KeySource { block, environment, profile, container, instance };

/// Keys with an end of validity (temporary keys from the metadata endpoints).
struct TemporaryKeys {
  SigningKeys keys;
  std::optional<std::chrono::system_clock::time_point> expires;
};

/// Everything needed to talk to S3, resolved from a StoreLocation and the environment.
struct AwsSettings {
  SigningKeys keys;
  KeySource source = KeySource::block;
  /// Completes "check the credentials ...": "in aws-credentials/prod", "from the AWS_ACCESS_KEY_ID
  /// environment variable", "from profile 'dev' in ~/.aws/credentials", ...
  std::string credentials_hint;
  std::optional<std::chrono::system_clock::time_point> expires;
  std::string region;
  /// "scheme://host[:port][/base]" without a trailing '/'; empty for AWS itself.
  std::string endpoint_url;
  /// Explicit addressing style from client_parameters.config.s3.addressing_style or the profile's
  /// s3.addressing_style: "path", "virtual" or "" (auto).
  std::string addressing_style;
  bool use_ssl = true;
  std::string ca_file;
  bool verify_tls = true;
};

/// Resolves the chain for `location` (credentials, credentials_label, client_parameters) and registers
/// every secret found with location.redactor (or the global redactor when it has none). Throws
/// ConfigError when nothing gives credentials or a setting is wrong, RemoteError when a metadata
/// endpoint fails.
AwsSettings resolve_settings(const StoreLocation& location);

/// Fetches temporary keys again from the container or instance endpoint when they expire within five
/// minutes; does nothing for other sources. Registers the new secrets with the global redactor.
void refresh_if_expiring(AwsSettings& settings, std::chrono::system_clock::time_point now);

/// The container credentials URL from the environment: FULL_URI as given (only https, a loopback host
/// or the ECS / EKS link-local addresses), or http://169.254.170.2 + RELATIVE_URI; nullopt when
/// neither is set. Throws ConfigError for a FULL_URI host that is not allowed.
std::optional<std::string> container_credentials_url();

/// Temporary keys from the container endpoint, with AWS_CONTAINER_AUTHORIZATION_TOKEN (or the content of
/// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) as the Authorization header. Throws RemoteError.
TemporaryKeys fetch_container_keys(const std::string& url);

/// Temporary keys of the instance's role through IMDSv2 (token PUT, then the role name and its keys);
/// nullopt when AWS_EC2_METADATA_DISABLED is true or the service does not answer. Throws RemoteError
/// when it answers with an error.
std::optional<TemporaryKeys> fetch_instance_keys();

/// Parses "2026-11-23T18:00:00Z" (also with fractional seconds or a +00:00 offset).
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

} // namespace syntask::storage::aws
