// SPDX-License-Identifier: Apache-2.0
#include "storage/gcp_token.hpp"

#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::storage {

namespace {

constexpr auto k_refresh_margin = std::chrono::minutes(5);

std::string form_body(const GcpCredentials& credentials, std::chrono::system_clock::time_point now)
{
  if (credentials.kind == GcpCredentials::Kind::service_account) {
    return "grant_type=" + http::percent_encode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
           "&assertion=" + make_service_account_assertion(credentials, now);
  }
  return "grant_type=refresh_token&client_id=" + http::percent_encode(credentials.client_id) +
         "&client_secret=" + http::percent_encode(credentials.client_secret) +
         "&refresh_token=" + http::percent_encode(credentials.refresh_token);
}

} // namespace

std::string GcpTokenSource::token(http::Client& client, const std::string& where)
{
  if (m_credentials.kind == GcpCredentials::Kind::anonymous) {
    return {};
  }
  const std::lock_guard lock(m_mutex);
  const auto now = client.now();
  if (!m_token.empty() && now + k_refresh_margin < m_expiry) {
    return m_token;
  }
  http::StringSource body(form_body(m_credentials, now));
  http::Request request;
  request.method = "POST";
  request.url = m_credentials.token_uri;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  request.body = &body;
  http::Response response;
  try {
    response = client.send(request);
  } catch (const RemoteError& error) {
    throw RemoteError(util::Redactor::global().scrub(error.what()), error.transient());
  }
  nlohmann::json answer;
  try {
    answer = nlohmann::json::parse(response.body);
  } catch (const nlohmann::json::parse_error&) {
    answer = nlohmann::json::object();
  }
  if (response.status == 400 || response.status == 401 || response.status == 403) {
    std::string reason;
    if (answer.is_object() && answer.contains("error") && answer["error"].is_string()) {
      reason = " (the token endpoint said " + util::quoted(answer["error"].get<std::string>()) + ")";
    }
    throw RemoteError(
        "access denied by " + where + ": check the credentials in " + m_credentials.source + reason, false);
  }
  if (response.status != 200 || !answer.is_object() || !answer.contains("access_token") ||
      !answer["access_token"].is_string()) {
    throw RemoteError("cannot get an access token from " + util::quoted(m_credentials.token_uri) + " for " +
                          where + ": HTTP " + std::to_string(response.status),
                      http::is_transient_status(response.status));
  }
  m_token = answer["access_token"].get<std::string>();
  util::Redactor::global().add_secret(m_token);
  const auto lifetime = answer.value("expires_in", 3600);
  m_expiry = now + std::chrono::seconds(lifetime);
  return m_token;
}

void GcpTokenSource::invalidate()
{
  const std::lock_guard lock(m_mutex);
  m_token.clear();
}

} // namespace syntask::storage
