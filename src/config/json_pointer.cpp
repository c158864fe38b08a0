// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/yaml_source.hpp>

#include <algorithm>
#include <cctype>

namespace syntask::config {

namespace {

std::string unescape_segment(std::string_view segment)
{
  std::string text;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '~' && i + 1 < segment.size() && (segment[i + 1] == '0' || segment[i + 1] == '1')) {
      text += segment[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      text += segment[i];
    }
  }
  return text;
}

bool is_index(std::string_view segment)
{
  return !segment.empty() &&
         std::all_of(segment.begin(), segment.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

} // namespace

std::string pointer_child(std::string_view parent, std::string_view key)
{
  std::string pointer(parent);
  pointer += '/';
  for (const char c : key) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
  return pointer;
}

std::string pointer_child(std::string_view parent, std::size_t index)
{
  return std::string(parent) + "/" + std::to_string(index);
}

std::string field_path(std::string_view pointer)
{
  std::string path;
  if (pointer.empty()) {
    return path;
  }
  // Skip the leading '/', then take one segment at a time.
  std::size_t start = 1;
  while (start <= pointer.size()) {
    auto end = pointer.find('/', start);
    if (end == std::string_view::npos) {
      end = pointer.size();
    }
    const auto segment = pointer.substr(start, end - start);
    if (is_index(segment)) {
      path += "[" + std::string(segment) + "]";
    } else {
      if (!path.empty()) {
        path += '.';
      }
      path += unescape_segment(segment);
    }
    start = end + 1;
  }
  return path;
}

} // namespace syntask::config
