// SPDX-License-Identifier: Apache-2.0
#include "storage/azure_signing.hpp"

#include <syntask/util/base64.hpp>
#include <syntask/util/digest.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <map>
#include <vector>

namespace syntask::storage {

std::string rfc1123_date(std::chrono::system_clock::time_point when)
{
  static constexpr std::array<const char*, 7> k_days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> k_months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT", k_days.at(parts.tm_wday),
                parts.tm_mday, k_months.at(parts.tm_mon), parts.tm_year + 1900, parts.tm_hour, parts.tm_min,
                parts.tm_sec);
  return buffer;
}

std::string azure_canonical_resource(std::string_view url, std::string_view account)
{
  const auto scheme_end = url.find("://");
  const auto path_start = url.find('/', scheme_end == std::string_view::npos ? 0 : scheme_end + 3);
  const auto query_start = url.find('?');
  std::string_view path = "/";
  if (path_start != std::string_view::npos &&
      (query_start == std::string_view::npos || path_start < query_start)) {
    path = url.substr(path_start, query_start == std::string_view::npos ? std::string_view::npos
                                                                        : query_start - path_start);
  }
  std::string resource = "/" + std::string(account) + std::string(path);
  if (query_start == std::string_view::npos) {
    return resource;
  }
  std::map<std::string, std::vector<std::string>> parameters;
  for (const auto& pair : util::split(url.substr(query_start + 1), '&')) {
    if (pair.empty()) {
      continue;
    }
    const auto equals = pair.find('=');
    const auto name = http::percent_decode(pair.substr(0, equals));
    const auto value =
        equals == std::string::npos ? std::string() : http::percent_decode(pair.substr(equals + 1));
    parameters[util::to_lower(name)].push_back(value);
  }
  for (auto& [name, values] : parameters) {
    std::sort(values.begin(), values.end());
    resource += "\n" + name + ":" + util::join(values, ",");
  }
  return resource;
}

std::string azure_string_to_sign(const http::Request& request, std::string_view account)
{
  const auto header = [&](std::string_view name) {
    return http::find_header(request.headers, name).value_or("");
  };
  std::string length;
  if (request.body != nullptr && request.body->size() > 0) {
    length = std::to_string(request.body->size());
  }
  std::string text = request.method + "\n";
  text += header("Content-Encoding") + "\n";
  text += header("Content-Language") + "\n";
  text += length + "\n";
  text += header("Content-MD5") + "\n";
  text += header("Content-Type") + "\n";
  // Date stays empty: x-ms-date is always sent.
  text += "\n";
  text += header("If-Modified-Since") + "\n";
  text += header("If-Match") + "\n";
  text += header("If-None-Match") + "\n";
  text += header("If-Unmodified-Since") + "\n";
  text += header("Range") + "\n";

  std::map<std::string, std::string> ms_headers;
  for (const auto& [name, value] : request.headers) {
    const auto lower = util::to_lower(name);
    if (util::starts_with(lower, "x-ms-")) {
      ms_headers.emplace(lower, util::trim(value));
    }
  }
  for (const auto& [name, value] : ms_headers) {
    text += name + ":" + value + "\n";
  }
  text += azure_canonical_resource(request.url, account);
  return text;
}

void azure_sign_shared_key(http::Request& request, std::string_view account, std::string_view key,
                           std::chrono::system_clock::time_point now)
{
  request.headers.emplace_back("x-ms-date", rfc1123_date(now));
  if (!http::find_header(request.headers, "x-ms-version")) {
    request.headers.emplace_back("x-ms-version", std::string(k_azure_version));
  }
  const auto signature = util::base64_encode(util::hmac_sha256(key, azure_string_to_sign(request, account)));
  request.headers.emplace_back("Authorization", "SharedKey " + std::string(account) + ":" + signature);
}

} // namespace syntask::storage
