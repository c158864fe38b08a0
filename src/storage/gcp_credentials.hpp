// SPDX-License-Identifier: Apache-2.0
// Google Cloud credentials for Cloud Storage: service-account keys (RS256 JWT exchanged for an access
// token), authorized_user files (refresh token exchanged for an access token), and the storage emulator
// (STORAGE_EMULATOR_HOST: no authentication at all, as Google's own clients do).
#pragma once

#include <syntask/storage/object_store.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace syntask::storage {

inline constexpr std::string_view k_gcp_scope = "https://www.googleapis.com/auth/cloud-platform";
inline constexpr std::string_view k_gcp_token_uri = "https://oauth2.googleapis.com/token";
inline constexpr std::string_view k_gcs_endpoint = "https://storage.googleapis.com";

struct GcpCredentials {
  enum class Kind { anonymous, service_account, authorized_user };
  Kind kind = Kind::anonymous;
  std::string endpoint = std::string(k_gcs_endpoint); ///< without a trailing '/'
  std::string token_uri = std::string(k_gcp_token_uri);
  // service_account
  std::string client_email;
  std::string private_key; ///< PEM
  std::string private_key_id;
  // authorized_user
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  std::string project;
  /// How to name these credentials in messages: the block label, or the source they came from.
  std::string source;
};

/// Reads a JSON key (a service_account or an authorized_user). `what` starts error messages.
/// Throws ConfigError; messages never hold a secret.
GcpCredentials parse_gcp_key(const nlohmann::json& key, const std::string& what);

/// The credentials for a step: STORAGE_EMULATOR_HOST first (anonymous, that endpoint), then the block
/// (service_account_info as an object or a JSON string, or service_account_file), then
/// GOOGLE_APPLICATION_CREDENTIALS, then gcloud's application_default_credentials.json (CLOUDSDK_CONFIG or
/// ~/.config/gcloud). Registers the private key, client secret and refresh token with the Redactors.
/// Throws ConfigError when nothing usable is found.
GcpCredentials resolve_gcp_credentials(const StoreLocation& location);

/// The signed RS256 JWT a service account exchanges for an access token (claims iss, scope, aud =
/// token_uri, iat = now, exp = now + 1 h; header kid = private_key_id).
std::string make_service_account_assertion(const GcpCredentials& credentials,
                                           std::chrono::system_clock::time_point now);

/// RSASSA-PKCS1-v1_5 SHA-256 signature of `data` with a PEM private key, raw bytes. Throws ConfigError
/// naming `what` when the key cannot be read.
std::string rs256_sign(std::string_view pem, std::string_view data, const std::string& what);

} // namespace syntask::storage
