// SPDX-License-Identifier: Apache-2.0
#include "config/validation.hpp"

#include <syntask/util/strings.hpp>

#include <algorithm>
#include <cmath>

namespace syntask::config::detail {

void Problems::value(const std::string& pointer, const std::string& message)
{
  add(m_sources.at(pointer), pointer, message);
}

void Problems::key(const std::string& pointer, const std::string& message)
{
  add(m_sources.key_at(pointer), pointer, message);
}

void Problems::add(const SourceRef& where, const std::string& pointer, const std::string& message)
{
  m_problems.emplace_back(where, field_path(pointer), message);
}

void Problems::throw_if_any() const
{
  if (m_problems.empty()) {
    return;
  }
  auto sorted = m_problems;
  std::stable_sort(sorted.begin(), sorted.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::tie(a.where().line, a.where().column) < std::tie(b.where().line, b.where().column);
  });
  throw ConfigErrors(std::move(sorted));
}

namespace {

// Whether `text` is `open` ... `close` with no other delimiter inside.
bool is_single(std::string_view text, std::string_view open, std::string_view close)
{
  if (text.size() < open.size() + close.size() || !util::starts_with(text, open) ||
      !util::ends_with(text, close)) {
    return false;
  }
  const auto inner = text.substr(open.size(), text.size() - open.size() - close.size());
  return inner.find(open) == std::string_view::npos && inner.find(close) == std::string_view::npos &&
         !util::trim(inner).empty();
}

bool contains_pair(std::string_view text, std::string_view open, std::string_view close)
{
  const auto start = text.find(open);
  return start != std::string_view::npos && text.find(close, start + open.size()) != std::string_view::npos;
}

} // namespace

bool is_placeholder(const nlohmann::json& value)
{
  if (!value.is_string()) {
    return false;
  }
  const auto text = util::trim(value.get_ref<const std::string&>());
  return is_single(text, "<<", ">>") || is_single(text, "{{", "}}");
}

bool has_placeholder(std::string_view text)
{
  return contains_pair(text, "<<", ">>") || contains_pair(text, "{{", "}}");
}

std::string kind_name(const nlohmann::json& value)
{
  switch (value.type()) {
  case nlohmann::json::value_t::null:
    return "null";
  case nlohmann::json::value_t::boolean:
    return "a boolean";
  case nlohmann::json::value_t::string:
    return "a string";
  case nlohmann::json::value_t::array:
    return "a list";
  case nlohmann::json::value_t::object:
    return "a mapping";
  default:
    return "a number";
  }
}

void check_keys(const nlohmann::json& object, const std::string& pointer,
                const std::vector<std::string>& allowed, Problems& problems)
{
  for (const auto& [key, value] : object.items()) {
    if (util::starts_with(key, "x-") || std::find(allowed.begin(), allowed.end(), key) != allowed.end()) {
      continue;
    }
    problems.key(pointer_child(pointer, key),
                 "unknown key " + util::quoted(key) + util::did_you_mean(key, allowed));
  }
}

bool expect_string(const nlohmann::json& value, const std::string& pointer, Problems& problems, bool nullable)
{
  if (value.is_string() || (nullable && value.is_null())) {
    return true;
  }
  if (value.is_number() || value.is_boolean()) {
    problems.value(pointer, "must be a string; quote it");
  } else {
    problems.value(pointer, "must be a string, not " + kind_name(value));
  }
  return false;
}

bool expect_mapping(const nlohmann::json& value, const std::string& pointer, Problems& problems,
                    bool nullable)
{
  if (value.is_object() || (nullable && value.is_null()) || is_placeholder(value)) {
    return true;
  }
  problems.value(pointer, "must be a mapping, not " + kind_name(value));
  return false;
}

bool expect_list(const nlohmann::json& value, const std::string& pointer, Problems& problems, bool nullable)
{
  if (value.is_array() || (nullable && value.is_null()) || is_placeholder(value)) {
    return true;
  }
  problems.value(pointer, "must be a list, not " + kind_name(value));
  return false;
}

bool expect_bool(const nlohmann::json& value, const std::string& pointer, Problems& problems)
{
  if (value.is_boolean() || is_placeholder(value)) {
    return true;
  }
  problems.value(pointer, "must be true or false, not " + kind_name(value));
  return false;
}

bool expect_count(const nlohmann::json& value, const std::string& pointer, Problems& problems)
{
  if (is_placeholder(value) || value.is_number_unsigned() ||
      (value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
    return true;
  }
  problems.value(pointer, "must be a non-negative integer, not " +
                              (value.is_number() ? util::quoted(value.dump()) : kind_name(value)));
  return false;
}

} // namespace syntask::config::detail
