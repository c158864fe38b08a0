// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <regex>

namespace syntask::util {

void Redactor::add_secret(std::string_view value)
{
  if (value.size() < 4) {
    return;
  }
  const std::lock_guard lock(m_mutex);
  if (std::find(m_secrets.begin(), m_secrets.end(), value) == m_secrets.end()) {
    m_secrets.emplace_back(value);
    // Longest first, so a secret containing another is replaced whole.
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }
}

std::string Redactor::scrub(std::string_view text) const
{
  std::string result = redact_url(text);
  const std::lock_guard lock(m_mutex);
  for (const auto& secret : m_secrets) {
    std::size_t position = 0;
    while ((position = result.find(secret, position)) != std::string::npos) {
      result.replace(position, secret.size(), k_redacted);
      position += k_redacted.size();
    }
  }
  return result;
}

bool Redactor::contains_secret(std::string_view text) const
{
  const std::lock_guard lock(m_mutex);
  return std::any_of(m_secrets.begin(), m_secrets.end(),
                     [&](const std::string& secret) { return text.find(secret) != std::string_view::npos; });
}

Redactor& Redactor::global()
{
  static Redactor redactor;
  return redactor;
}

std::string redact_url(std::string_view url)
{
  // scheme://userinfo@host: userinfo is replaced wherever it appears in the text. Over SSH a bare user
  // name (ssh://git@host) is an account, not a credential, and stays readable; a password never does.
  static const std::regex userinfo(R"(([A-Za-z][A-Za-z0-9+.\-]*)://([^/\s@'"]+)@)");
  std::string result;
  std::string text(url);
  auto begin = std::sregex_iterator(text.begin(), text.end(), userinfo);
  std::size_t last = 0;
  for (auto match = begin; match != std::sregex_iterator(); ++match) {
    const auto scheme = to_lower((*match)[1].str());
    const auto info = (*match)[2].str();
    const bool account_only = (scheme == "ssh" || scheme == "git+ssh") && info.find(':') == std::string::npos;
    result += text.substr(last, static_cast<std::size_t>(match->position()) - last);
    result += (*match)[1].str() + "://" + (account_only ? info : std::string(k_redacted)) + "@";
    last = static_cast<std::size_t>(match->position() + match->length());
  }
  result += text.substr(last);
  return result;
}

} // namespace syntask::util
