// SPDX-License-Identifier: Apache-2.0
#include "config/yaml_scalars.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace syntask::config::detail {

namespace {

bool is_one_of(std::string_view text, std::initializer_list<std::string_view> words)
{
  for (const auto word : words) {
    if (text == word) {
      return true;
    }
  }
  return false;
}

bool all_of(std::string_view text, int (*predicate)(int))
{
  if (text.empty()) {
    return false;
  }
  for (const unsigned char c : text) {
    if (predicate(c) == 0) {
      return false;
    }
  }
  return true;
}

int is_octal_digit(int c)
{
  return c >= '0' && c <= '7' ? 1 : 0;
}

// Digits in `base`; values beyond 64 bits fall back to a float, as they would in most YAML readers.
nlohmann::json integer_value(std::string_view digits, int base, bool negative)
{
  std::uint64_t magnitude = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (error == std::errc() && end == digits.data() + digits.size()) {
    if (!negative) {
      if (magnitude <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return static_cast<std::int64_t>(magnitude);
      }
      return magnitude;
    }
    constexpr auto k_min_magnitude = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
    if (magnitude < k_min_magnitude) {
      return -static_cast<std::int64_t>(magnitude);
    }
    if (magnitude == k_min_magnitude) {
      return std::numeric_limits<std::int64_t>::min();
    }
  }
  double value = 0;
  for (const char c : digits) {
    const int digit = std::isdigit(static_cast<unsigned char>(c)) != 0 ? c - '0' : std::tolower(c) - 'a' + 10;
    value = value * base + digit;
  }
  return negative ? -value : value;
}

// [-+]? ( . [0-9]+ | [0-9]+ ( . [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_core_float(std::string_view text)
{
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    ++i;
  }
  std::size_t integer_digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
    ++i;
    ++integer_digits;
  }
  std::size_t fraction_digits = 0;
  bool dot = false;
  if (i < text.size() && text[i] == '.') {
    dot = true;
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
      ++i;
      ++fraction_digits;
    }
  }
  if (integer_digits == 0 && (!dot || fraction_digits == 0)) {
    return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      ++i;
    }
    std::size_t exponent_digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
      ++i;
      ++exponent_digits;
    }
    if (exponent_digits == 0) {
      return false;
    }
  }
  return i == text.size();
}

} // namespace

nlohmann::json resolve_plain_scalar(std::string_view text)
{
  if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) {
    return nullptr;
  }
  if (is_one_of(text, {"true", "True", "TRUE"})) {
    return true;
  }
  if (is_one_of(text, {"false", "False", "FALSE"})) {
    return false;
  }
  if (text.size() > 2 && text.substr(0, 2) == "0x" && all_of(text.substr(2), &isxdigit)) {
    return integer_value(text.substr(2), 16, false);
  }
  if (text.size() > 2 && text.substr(0, 2) == "0o" && all_of(text.substr(2), &is_octal_digit)) {
    return integer_value(text.substr(2), 8, false);
  }
  const bool signed_number = text[0] == '-' || text[0] == '+';
  const auto unsigned_part = signed_number ? text.substr(1) : text;
  if (all_of(unsigned_part, &isdigit)) {
    return integer_value(unsigned_part, 10, text[0] == '-');
  }
  if (is_one_of(unsigned_part, {".inf", ".Inf", ".INF"})) {
    const double infinity = std::numeric_limits<double>::infinity();
    return text[0] == '-' ? -infinity : infinity;
  }
  if (is_one_of(text, {".nan", ".NaN", ".NAN"})) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (is_core_float(text)) {
    // from_chars is locale-independent but does not take a leading '+'.
    const auto digits = text[0] == '+' ? text.substr(1) : text;
    double value = 0;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (result.ec == std::errc::result_out_of_range) {
      // Too large becomes infinity and too small zero, keeping the sign.
      const bool tiny =
          digits.find("e-") != std::string_view::npos || digits.find("E-") != std::string_view::npos;
      value = tiny ? 0.0 : std::numeric_limits<double>::infinity();
      return digits[0] == '-' ? -value : value;
    }
    return value;
  }
  return std::string(text);
}

} // namespace syntask::config::detail
