// SPDX-License-Identifier: Apache-2.0
// Clone URLs: parts, the default directory name and the cache key.
#include <syntask/git/clone.hpp>
#include <syntask/util/digest.hpp>
#include <syntask/util/strings.hpp>

#include <array>
#include <cstdio>

namespace syntask::git {

namespace {

std::string percent_decode(std::string_view text)
{
  std::string result;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const auto hex = std::string(text.substr(i + 1, 2));
      char* end = nullptr;
      const auto value = std::strtol(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 2) {
        result += static_cast<char>(value);
        i += 2;
        continue;
      }
    }
    result += text[i];
  }
  return result;
}

void split_userinfo(std::string_view userinfo, RepositoryUrl& url)
{
  const auto colon = userinfo.find(':');
  url.username = percent_decode(userinfo.substr(0, colon));
  if (colon != std::string_view::npos) {
    url.password = percent_decode(userinfo.substr(colon + 1));
  }
}

void split_host_port(std::string_view authority, RepositoryUrl& url)
{
  // Bracketed IPv6 literals keep their colons.
  std::size_t port_colon = std::string_view::npos;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close != std::string_view::npos && close + 1 < authority.size() && authority[close + 1] == ':') {
      port_colon = close + 1;
    }
  } else {
    port_colon = authority.rfind(':');
  }
  url.host = std::string(authority.substr(0, port_colon));
  if (port_colon != std::string_view::npos) {
    try {
      url.port = std::stoi(std::string(authority.substr(port_colon + 1)));
    } catch (const std::exception&) {
      url.port = 0;
    }
  }
}

} // namespace

RepositoryUrl parse_repository_url(std::string_view text)
{
  RepositoryUrl url;
  const auto scheme_end = text.find("://");
  if (scheme_end != std::string_view::npos) {
    url.scheme = util::to_lower(text.substr(0, scheme_end));
    const auto rest = text.substr(scheme_end + 3);
    const auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    url.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
    const auto at = authority.rfind('@');
    std::string without(text.substr(0, scheme_end + 3));
    if (at != std::string_view::npos) {
      split_userinfo(authority.substr(0, at), url);
      authority = authority.substr(at + 1);
      // An SSH user name is the account to log in as, not a secret: keep it.
      if (url.scheme == "ssh" && !url.username.empty()) {
        without += url.username + "@";
      }
    }
    split_host_port(authority, url);
    url.without_userinfo = without + std::string(authority) + url.path;
    return url;
  }
  // scp-like user@host:path, as long as the part before ':' has no '/' (else it is a local path).
  const auto colon = text.find(':');
  const auto first_slash = text.find('/');
  if (colon != std::string_view::npos && colon > 0 &&
      (first_slash == std::string_view::npos || colon < first_slash)) {
    url.scheme = "ssh";
    auto authority = text.substr(0, colon);
    url.path = std::string(text.substr(colon + 1));
    const auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
      // scp-like URLs carry only a user name; a password here would be unusual, but never keep it.
      split_userinfo(authority.substr(0, at), url);
      url.without_userinfo =
          url.password.empty() ? std::string(text) : url.username + "@" + std::string(text.substr(at + 1));
      authority = authority.substr(at + 1);
    } else {
      url.without_userinfo = std::string(text);
    }
    url.host = std::string(authority);
    return url;
  }
  url.path = std::string(text);
  url.without_userinfo = std::string(text);
  return url;
}

std::string repository_name(std::string_view url)
{
  auto path = parse_repository_url(url).path;
  while (!path.empty() && (path.back() == '/' || path.back() == '\\')) {
    path.pop_back();
  }
  const auto slash = path.find_last_of("/:\\");
  auto name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (util::ends_with(name, ".git")) {
    name.resize(name.size() - 4);
  }
  return name;
}

std::string cache_key(std::string_view url)
{
  const auto text = parse_repository_url(url).without_userinfo;
  return util::sha256_hex(text);
}

} // namespace syntask::git
