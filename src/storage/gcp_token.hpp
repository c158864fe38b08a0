// SPDX-License-Identifier: Apache-2.0
// OAuth 2.0 access tokens for Google Cloud, fetched on first use and cached until shortly before they
// expire. One source is shared by every connection to a bucket.
#pragma once

#include <syntask/http/client.hpp>

#include "storage/gcp_credentials.hpp"
#include <chrono>
#include <mutex>
#include <string>

namespace syntask::storage {

class GcpTokenSource {
public:
  explicit GcpTokenSource(GcpCredentials credentials) : m_credentials(std::move(credentials)) {}

  /// A valid access token ("" for anonymous credentials), exchanging the JWT or refresh token when the
  /// cached one is missing or expires within 5 minutes. `where` names the bucket in messages ("gs://b").
  /// Throws RemoteError: "access denied by WHERE: check the credentials in SOURCE" when the token endpoint
  /// refuses them. Thread-safe.
  std::string token(http::Client& client, const std::string& where);

  /// Forgets the cached token (after the service refused it).
  void invalidate();

  const GcpCredentials& credentials() const { return m_credentials; }

private:
  GcpCredentials m_credentials;
  std::mutex m_mutex;
  std::string m_token;
  std::chrono::system_clock::time_point m_expiry;
};

} // namespace syntask::storage
