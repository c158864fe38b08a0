// SPDX-License-Identifier: Apache-2.0
#include "storage/s3_connection.hpp"

#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::storage::s3 {

namespace {

constexpr const char* k_service = "s3";

std::string scheme_of(const std::string& url)
{
  return url.substr(0, url.find("://"));
}

std::string after_scheme(const std::string& url)
{
  auto at = url.find("://");
  return at == std::string::npos ? url : url.substr(at + 3);
}

// A key as a URL path. Segments that are exactly "." or ".." are sent as %2E so that no URL parser on
// the way removes them; S3 decodes them back, and the signature covers the decoded form.
std::string key_path(std::string_view key)
{
  std::string out;
  std::size_t start = 0;
  while (true) {
    auto end = key.find('/', start);
    auto segment = key.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (segment == "." || segment == "..") {
      out += segment == "." ? "%2E" : "%2E%2E";
    } else {
      out += aws::uri_encode(segment, false);
    }
    if (end == std::string_view::npos) {
      return out;
    }
    out += '/';
    start = end + 1;
  }
}

} // namespace

bool virtual_host_compatible(std::string_view bucket)
{
  if (bucket.size() < 3 || bucket.size() > 63 || bucket.front() == '-' || bucket.back() == '-') {
    return false;
  }
  for (char c : bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

BucketConfig::BucketConfig(std::string bucket, aws::AwsSettings settings)
    : m_bucket(std::move(bucket)), m_settings(std::move(settings))
{
  // Custom endpoints (MinIO, Ceph, s3rver, R2) are addressed path-style unless told otherwise; AWS
  // itself virtual-hosted, except for names that cannot be a TLS host label.
  if (m_settings.addressing_style == "path") {
    m_path_style = true;
  } else if (m_settings.addressing_style == "virtual") {
    m_path_style = false;
  } else {
    m_path_style = !m_settings.endpoint_url.empty() || !virtual_host_compatible(m_bucket);
  }
}

aws::SigningKeys BucketConfig::keys(std::chrono::system_clock::time_point now)
{
  std::lock_guard lock(m_keys_mutex);
  aws::refresh_if_expiring(m_settings, now);
  return m_settings.keys;
}

std::string BucketConfig::url(std::string_view key, std::string_view query) const
{
  std::string base = m_settings.endpoint_url;
  if (base.empty()) {
    base = std::string(m_settings.use_ssl ? "https://" : "http://") + "s3." + m_settings.region +
           ".amazonaws.com";
  }
  std::string out;
  if (m_path_style) {
    out = base + "/" + aws::uri_encode(m_bucket, false);
    if (!key.empty()) {
      out += "/" + key_path(key);
    }
  } else {
    out = scheme_of(base) + "://" + m_bucket + "." + after_scheme(base) + "/" + key_path(key);
  }
  if (!query.empty()) {
    out += "?" + std::string(query);
  }
  return out;
}

http::ClientOptions BucketConfig::client_options() const
{
  http::ClientOptions options;
  options.ca_file = m_settings.ca_file;
  return options;
}

Connection::Connection(std::shared_ptr<BucketConfig> config)
    : m_config(std::move(config)), m_client(m_config->client_options())
{
}

http::Response Connection::send(Call& call)
{
  http::Request request;
  request.method = call.method;
  request.url = m_config->url(call.key, call.query);
  request.headers = call.headers;
  request.body = call.body;
  request.sink = call.sink;
  request.on_progress = call.progress;
  const auto region = m_config->settings().region;
  request.sign = [this, &call, region](http::Request& attempt) {
    auto now = m_client.now();
    aws::sign_request(attempt, m_config->keys(now), region, k_service, call.payload_hash, now);
  };
  auto response = m_client.send(request);
  if (response.status == 403 && error_code(response) == "RequestTimeTooSkewed") {
    if (call.body != nullptr) {
      call.body->rewind();
    }
    if (request.sink != nullptr) {
      request.sink->reset();
    }
    response = m_client.send(request);
  }
  return response;
}

http::Response Connection::send_checked(Call& call)
{
  auto response = send(call);
  if (response.status < 200 || response.status >= 300) {
    fail(response, call.key);
  }
  return response;
}

void Connection::fail(const http::Response& response, std::string_view key) const
{
  throw_error(response,
              Failure{m_config->describe(), std::string(key), m_config->settings().credentials_hint},
              m_config->settings().region);
}

} // namespace syntask::storage::s3
