// SPDX-License-Identifier: Apache-2.0
#include "storage/aws_sigv4.hpp"

#include <syntask/error.hpp>
#include <syntask/util/digest.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <map>
#include <utility>
#include <vector>

namespace syntask::storage::aws {

namespace {

constexpr std::string_view k_algorithm = "AWS4-HMAC-SHA256";

// Values are trimmed and inner runs of whitespace become one space, as the canonical form requires.
std::string normalise_value(std::string_view value)
{
  std::string out;
  bool in_space = false;
  for (char c : util::trim(value)) {
    if (c == ' ' || c == '\t') {
      in_space = true;
      continue;
    }
    if (in_space) {
      out += ' ';
      in_space = false;
    }
    out += c;
  }
  return out;
}

// Lowercase name -> joined values, sorted by name.
std::map<std::string, std::string> canonical_header_map(const http::Headers& headers)
{
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) {
    auto key = util::to_lower(util::trim(name));
    auto normalised = normalise_value(value);
    auto [it, inserted] = out.emplace(key, normalised);
    if (!inserted) {
      it->second += "," + normalised;
    }
  }
  return out;
}

struct UrlParts {
  std::string host; ///< as the Host header carries it
  std::string path;
  std::string query;
};

UrlParts split_url(std::string_view url)
{
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    throw Error("cannot sign a request for the URL " + util::quoted(url) + ": no scheme");
  }
  auto scheme = util::to_lower(url.substr(0, scheme_end));
  auto rest = url.substr(scheme_end + 3);
  auto fragment = rest.find('#');
  if (fragment != std::string_view::npos) {
    rest = rest.substr(0, fragment);
  }
  auto authority_end = rest.find_first_of("/?");
  auto authority = rest.substr(0, authority_end);
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  UrlParts parts;
  parts.host = std::string(authority);
  // A default port is not part of the Host header that HTTP clients send.
  if ((scheme == "http" && util::ends_with(parts.host, ":80")) ||
      (scheme == "https" && util::ends_with(parts.host, ":443"))) {
    parts.host.resize(parts.host.rfind(':'));
  }
  auto target = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  auto question = target.find('?');
  parts.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    parts.query = std::string(target.substr(question + 1));
  }
  return parts;
}

// Headers the HTTP layer owns or rewrites; signing them would break the signature in transit.
bool is_unsigned_header(std::string_view lower_name)
{
  return lower_name == "authorization" || lower_name == "content-length" || lower_name == "expect" ||
         lower_name == "user-agent" || lower_name == "transfer-encoding" || lower_name == "connection";
}

} // namespace

std::string amz_date(std::chrono::system_clock::time_point time)
{
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 20> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%Y%m%dT%H%M%SZ", &utc);
  return std::string(buffer.data());
}

std::string uri_encode(std::string_view text, bool keep_slash)
{
  return http::percent_encode(text, keep_slash);
}

std::string canonical_query(std::string_view raw_query)
{
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& part : util::split(raw_query, '&')) {
    if (part.empty()) {
      continue;
    }
    auto equals = part.find('=');
    auto name = part.substr(0, equals);
    auto value = equals == std::string::npos ? std::string{} : part.substr(equals + 1);
    params.emplace_back(uri_encode(http::percent_decode(name), false),
                        uri_encode(http::percent_decode(value), false));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) {
      out += '&';
    }
    out += name + "=" + value;
  }
  return out;
}

std::string canonical_uri(std::string_view raw_path)
{
  if (raw_path.empty()) {
    return "/";
  }
  return uri_encode(http::percent_decode(raw_path), true);
}

std::string signed_headers(const http::Headers& headers)
{
  std::string out;
  for (const auto& entry : canonical_header_map(headers)) {
    if (!out.empty()) {
      out += ';';
    }
    out += entry.first;
  }
  return out;
}

std::string canonical_request(const SigningInput& input)
{
  std::string out =
      input.method + "\n" + canonical_uri(input.path) + "\n" + canonical_query(input.query) + "\n";
  for (const auto& [name, value] : canonical_header_map(input.headers)) {
    out += name + ":" + value + "\n";
  }
  out += "\n" + signed_headers(input.headers) + "\n" + input.payload_hash;
  return out;
}

std::string credential_scope(std::string_view date, std::string_view region, std::string_view service)
{
  return std::string(date) + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
}

std::string string_to_sign(std::string_view amz_datetime, std::string_view scope, std::string_view canonical)
{
  return std::string(k_algorithm) + "\n" + std::string(amz_datetime) + "\n" + std::string(scope) + "\n" +
         util::sha256_hex(canonical);
}

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service)
{
  auto key = util::hmac_sha256("AWS4" + std::string(secret), date);
  key = util::hmac_sha256(key, region);
  key = util::hmac_sha256(key, service);
  return util::hmac_sha256(key, "aws4_request");
}

std::string authorization(const SigningInput& input, const SigningKeys& keys, std::string_view amz_datetime,
                          std::string_view region, std::string_view service)
{
  auto date = amz_datetime.substr(0, 8);
  auto scope = credential_scope(date, region, service);
  auto to_sign = string_to_sign(amz_datetime, scope, canonical_request(input));
  auto signature =
      util::hex(util::hmac_sha256(signing_key(keys.secret_access_key, date, region, service), to_sign));
  return std::string(k_algorithm) + " Credential=" + keys.access_key_id + "/" + scope +
         ", SignedHeaders=" + signed_headers(input.headers) + ", Signature=" + signature;
}

void sign_request(http::Request& request, const SigningKeys& keys, std::string_view region,
                  std::string_view service, std::string_view payload_hash,
                  std::chrono::system_clock::time_point time)
{
  auto parts = split_url(request.url);
  auto when = amz_date(time);

  // Replaced, not added to: sign runs again before every retry.
  std::erase_if(request.headers, [](const auto& header) {
    auto name = util::to_lower(header.first);
    return name == "host" || name == "authorization" || name == "x-amz-date" ||
           name == "x-amz-content-sha256" || name == "x-amz-security-token";
  });
  request.headers.emplace_back("Host", parts.host);
  request.headers.emplace_back("x-amz-date", when);
  request.headers.emplace_back("x-amz-content-sha256", std::string(payload_hash));
  if (!keys.session_token.empty()) {
    request.headers.emplace_back("x-amz-security-token", keys.session_token);
  }

  SigningInput input{request.method, parts.path, parts.query, {}, std::string(payload_hash)};
  for (const auto& header : request.headers) {
    if (!util::trim(header.second).empty() && !is_unsigned_header(util::to_lower(header.first))) {
      input.headers.push_back(header);
    }
  }
  request.headers.emplace_back("Authorization", authorization(input, keys, when, region, service));
}

} // namespace syntask::storage::aws
