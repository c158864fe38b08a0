// SPDX-License-Identifier: Apache-2.0
// Header lookup and URL percent-encoding shared by every service's requests.
#include <syntask/http/client.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::http {

namespace {

bool is_unreserved(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hex_value(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

} // namespace

std::optional<std::string> find_header(const Headers& headers, std::string_view name)
{
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && util::to_lower(key) == util::to_lower(name)) {
      return value;
    }
  }
  return std::nullopt;
}

std::string percent_encode(std::string_view text, bool keep_slash)
{
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_unreserved(byte) || (keep_slash && c == '/')) {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 0x0f];
    }
  }
  return out;
}

std::string percent_decode(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

bool is_transient_status(long status)
{
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

} // namespace syntask::http
