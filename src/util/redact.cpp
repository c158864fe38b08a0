// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <cctype>
#include <vector>

namespace syntask::util {

void Redactor::add_secret(std::string_view value)
{
  // A multi-line secret (a PEM key, a service account's JSON) may be printed a line at a time, so each
  // of its lines is a secret too.
  std::vector<std::string_view> parts{value};
  if (value.find('\n') != std::string_view::npos) {
    for (std::size_t start = 0; start < value.size();) {
      auto end = value.find('\n', start);
      end = end == std::string_view::npos ? value.size() : end;
      auto line = value.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
      }
      parts.push_back(line);
      start = end + 1;
    }
  }
  const std::lock_guard lock(m_mutex);
  const auto known = m_secrets.size();
  for (const auto part : parts) {
    if (part.size() >= k_min_secret_length &&
        std::find(m_secrets.begin(), m_secrets.end(), part) == m_secrets.end()) {
      m_secrets.emplace_back(part);
    }
  }
  if (m_secrets.size() != known) {
    // Longest first, so a secret containing another is replaced whole.
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }
}

std::string Redactor::scrub(std::string_view text) const
{
  std::string result = redact_url(text);
  const std::lock_guard lock(m_mutex);
  // Each secret is replaced in one pass that builds a new string, so many occurrences cost no more
  // than one long copy.
  for (const auto& secret : m_secrets) {
    auto position = result.find(secret);
    if (position == std::string::npos) {
      continue;
    }
    std::string replaced;
    replaced.reserve(result.size());
    std::size_t copied = 0;
    for (; position != std::string::npos; position = result.find(secret, copied)) {
      replaced.append(result, copied, position - copied);
      replaced.append(k_redacted);
      copied = position + secret.size();
    }
    replaced.append(result, copied, std::string::npos);
    result = std::move(replaced);
  }
  return result;
}

bool Redactor::contains_secret(std::string_view text) const
{
  const std::lock_guard lock(m_mutex);
  return std::any_of(m_secrets.begin(), m_secrets.end(),
                     [&](const std::string& secret) { return text.find(secret) != std::string_view::npos; });
}

nlohmann::json Redactor::scrub_document(const nlohmann::json& document) const
{
  if (document.is_string()) {
    return scrub(document.get_ref<const std::string&>());
  }
  if (document.is_array()) {
    auto result = nlohmann::json::array();
    for (const auto& element : document) {
      result.push_back(scrub_document(element));
    }
    return result;
  }
  if (document.is_object()) {
    auto result = nlohmann::json::object();
    for (const auto& [key, value] : document.items()) {
      result[scrub(std::string_view(key))] = scrub_document(value);
    }
    return result;
  }
  return document;
}

bool Redactor::document_contains_secret(const nlohmann::json& document) const
{
  if (document.is_string()) {
    return contains_secret(std::string_view(document.get_ref<const std::string&>()));
  }
  if (document.is_array()) {
    return std::any_of(document.begin(), document.end(),
                       [this](const nlohmann::json& element) { return document_contains_secret(element); });
  }
  if (document.is_object()) {
    for (const auto& [key, value] : document.items()) {
      if (contains_secret(std::string_view(key)) || document_contains_secret(value)) {
        return true;
      }
    }
  }
  return false;
}

Redactor& Redactor::global()
{
  static Redactor redactor;
  return redactor;
}

namespace {

bool is_scheme_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '.' || c == '-';
}

// What may stand between "://" and '@' as user-info: no '/', no white space, no quote, no second '@'.
bool is_userinfo_char(char c)
{
  return c != '/' && c != '@' && c != '\'' && c != '"' && std::isspace(static_cast<unsigned char>(c)) == 0;
}

} // namespace

std::string redact_url(std::string_view url)
{
  // scheme://userinfo@host: userinfo is replaced wherever it appears in the text. Over SSH a bare user
  // name (ssh://git@host) is an account, not a credential, and stays readable; a password never does.
  // One pass over the text (no regular expression: printed lines can be arbitrarily long): each "://"
  // is looked at once, its scheme scanned back to the previous non-scheme character and its user-info
  // forward to the first character user-info cannot hold, which is the '/' of any later "://".
  std::string result;
  result.reserve(url.size());
  std::size_t copied = 0;
  std::size_t search = 0;
  while (true) {
    const auto separator = url.find("://", search);
    if (separator == std::string_view::npos) {
      break;
    }
    search = separator + 3;
    std::size_t scheme_start = separator;
    while (scheme_start > copied && is_scheme_char(url[scheme_start - 1])) {
      --scheme_start;
    }
    // The scheme starts at its first letter ("1x+y://" has the scheme "x+y").
    while (scheme_start < separator && std::isalpha(static_cast<unsigned char>(url[scheme_start])) == 0) {
      ++scheme_start;
    }
    std::size_t info_end = separator + 3;
    while (info_end < url.size() && is_userinfo_char(url[info_end])) {
      ++info_end;
    }
    if (scheme_start == separator || info_end == separator + 3 || info_end == url.size() ||
        url[info_end] != '@') {
      continue;
    }
    const auto scheme = to_lower(url.substr(scheme_start, separator - scheme_start));
    const auto info = url.substr(separator + 3, info_end - separator - 3);
    const bool account_only =
        (scheme == "ssh" || scheme == "git+ssh") && info.find(':') == std::string_view::npos;
    result.append(url.substr(copied, separator + 3 - copied));
    result.append(account_only ? info : k_redacted);
    result.push_back('@');
    copied = info_end + 1;
    search = copied;
  }
  result.append(url.substr(copied));
  return result;
}

} // namespace syntask::util
