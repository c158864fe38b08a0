// SPDX-License-Identifier: Apache-2.0
#include "template/path.hpp"

#include <syntask/template/resolver.hpp>

#include <algorithm>
#include <cctype>

namespace syntask::tmpl {

std::optional<std::vector<std::string>> split_path(std::string_view path)
{
  std::vector<std::string> segments;
  std::string current;
  bool after_bracket = false;
  std::size_t i = 0;
  while (i < path.size()) {
    const char c = path[i];
    if (c == '.') {
      if (current.empty() && !after_bracket) {
        return std::nullopt;
      }
      if (!current.empty()) {
        segments.push_back(std::move(current));
        current.clear();
      }
      after_bracket = false;
      ++i;
      if (i == path.size()) {
        return std::nullopt;
      }
    } else if (c == '[') {
      if (!current.empty()) {
        segments.push_back(std::move(current));
        current.clear();
      }
      const auto close = path.find(']', i);
      if (close == std::string_view::npos || close == i + 1) {
        return std::nullopt;
      }
      segments.emplace_back(path.substr(i + 1, close - i - 1));
      i = close + 1;
      after_bracket = true;
      if (i < path.size() && path[i] != '.' && path[i] != '[') {
        return std::nullopt;
      }
    } else if (c == ']') {
      return std::nullopt;
    } else {
      current += c;
      after_bracket = false;
      ++i;
    }
  }
  if (!current.empty()) {
    segments.push_back(std::move(current));
  }
  return segments;
}

namespace {

std::optional<std::size_t> parse_index(const std::string& segment)
{
  // Longer digit runs cannot index any real list and would overflow.
  if (segment.empty() || segment.size() > 9 ||
      !std::all_of(segment.begin(), segment.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(std::stoul(segment));
}

} // namespace

std::optional<nlohmann::json> lookup_path(const nlohmann::json& root, std::string_view path)
{
  const auto segments = split_path(path);
  if (!segments) {
    return std::nullopt;
  }
  const nlohmann::json* current = &root;
  for (const auto& segment : *segments) {
    if (current->is_object()) {
      // Object keys are always matched as text, so a key "0" stays reachable.
      const auto found = current->find(segment);
      if (found == current->end()) {
        return std::nullopt;
      }
      current = &*found;
    } else if (current->is_array()) {
      const auto index = parse_index(segment);
      if (!index || *index >= current->size()) {
        return std::nullopt;
      }
      current = &(*current)[*index];
    } else {
      return std::nullopt;
    }
  }
  return *current;
}

} // namespace syntask::tmpl
