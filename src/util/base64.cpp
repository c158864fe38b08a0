// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/base64.hpp>

#include <array>
#include <cctype>

namespace syntask::util {

namespace {

constexpr std::string_view k_standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view k_url_safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view data, std::string_view alphabet)
{
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned value = (static_cast<unsigned char>(data[i]) << 16) |
                           (static_cast<unsigned char>(data[i + 1]) << 8) |
                           static_cast<unsigned char>(data[i + 2]);
    out += alphabet[(value >> 18) & 63];
    out += alphabet[(value >> 12) & 63];
    out += alphabet[(value >> 6) & 63];
    out += alphabet[value & 63];
  }
  const auto rest = data.size() - i;
  if (rest > 0) {
    unsigned value = static_cast<unsigned char>(data[i]) << 16;
    if (rest == 2) {
      value |= static_cast<unsigned char>(data[i + 1]) << 8;
    }
    out += alphabet[(value >> 18) & 63];
    out += alphabet[(value >> 12) & 63];
    out += rest == 2 ? alphabet[(value >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

int sextet(char c)
{
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+' || c == '-') {
    return 62;
  }
  if (c == '/' || c == '_') {
    return 63;
  }
  return -1;
}

} // namespace

std::string base64_encode(std::string_view data)
{
  return encode(data, k_standard);
}

std::string base64url_encode(std::string_view data, bool padded)
{
  auto out = encode(data, k_url_safe);
  while (!padded && !out.empty() && out.back() == '=') {
    out.pop_back();
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text)
{
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  bool padding = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      continue;
    }
    if (c == '=') {
      padding = true;
      continue;
    }
    const int value = sextet(c);
    if (value < 0 || padding) {
      return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

} // namespace syntask::util
