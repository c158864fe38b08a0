// SPDX-License-Identifier: Apache-2.0
// Schedule items: the item's keys, intervals, time zones and anchor dates (cron and rrule have their
// own files).
#include <syntask/config/project.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include "config/validation.hpp"
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>

namespace syntask::config {

namespace {

bool is_digit(char c)
{
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool all_digits(std::string_view text)
{
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

// A whole string as a number ("1.5", "90"); nullopt if anything else is in it.
std::optional<double> number_of(std::string_view text)
{
  if (text.empty() || !(is_digit(text[0]) || text[0] == '.')) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// The part of an ISO 8601 duration after 'P': nW, or nD then T with nH nM nS, each at most once and in
// that order. Years and months are left out: their length in seconds is not fixed.
std::optional<double> iso_duration(std::string_view text)
{
  double total = 0;
  bool in_time = false;
  bool any = false;
  bool any_time = false;
  std::size_t rank = 0; // units already used in the current part
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == 'T' || text[i] == 't') {
      if (in_time) {
        return std::nullopt;
      }
      in_time = true;
      rank = 0;
      ++i;
      continue;
    }
    const auto start = i;
    while (i < text.size() && (is_digit(text[i]) || text[i] == '.')) {
      ++i;
    }
    const auto number = number_of(text.substr(start, i - start));
    if (!number || i >= text.size()) {
      return std::nullopt;
    }
    const std::string_view units = in_time ? "HMS" : "WD";
    const auto unit = units.find(static_cast<char>(std::toupper(static_cast<unsigned char>(text[i]))));
    if (unit == std::string_view::npos || unit + 1 <= rank) {
      return std::nullopt;
    }
    rank = unit + 1;
    ++i;
    constexpr double k_date_seconds[] = {604800, 86400};
    constexpr double k_time_seconds[] = {3600, 60, 1};
    total += *number * (in_time ? k_time_seconds[unit] : k_date_seconds[unit]);
    any = true;
    any_time = any_time || in_time;
  }
  if (!any || (in_time && !any_time)) {
    return std::nullopt;
  }
  return total;
}

// H:MM:SS with optional fractional seconds.
std::optional<double> clock_duration(std::string_view text)
{
  const auto parts = util::split(text, ':');
  if (parts.size() != 3 || !all_digits(parts[0]) || parts[0].size() > 6 || parts[1].size() != 2 ||
      !all_digits(parts[1]) || parts[2].size() < 2 || !is_digit(parts[2][0]) || !is_digit(parts[2][1])) {
    return std::nullopt;
  }
  const auto seconds = number_of(parts[2]);
  const int minutes = std::stoi(parts[1]);
  if (!seconds || minutes >= 60 || *seconds >= 60) {
    return std::nullopt;
  }
  return std::stod(parts[0]) * 3600 + minutes * 60 + *seconds;
}

// YYYY-MM-DD, optionally followed by T or a space and HH:MM[:SS[.fff]], then Z or +HH:MM / -HHMM.
bool is_iso_datetime(std::string_view text)
{
  const auto digits_at = [&](std::size_t at, std::size_t count) {
    return text.size() >= at + count && all_digits(text.substr(at, count));
  };
  if (!(digits_at(0, 4) && text.size() >= 10 && text[4] == '-' && digits_at(5, 2) && text[7] == '-' &&
        digits_at(8, 2))) {
    return false;
  }
  if (text.size() == 10) {
    return true;
  }
  if (!(text[10] == 'T' || text[10] == 't' || text[10] == ' ') || !digits_at(11, 2) || text.size() < 16 ||
      text[13] != ':' || !digits_at(14, 2)) {
    return false;
  }
  std::size_t i = 16;
  if (i < text.size() && text[i] == ':') {
    if (!digits_at(i + 1, 2)) {
      return false;
    }
    i += 3;
    if (i < text.size() && text[i] == '.') {
      ++i;
      const auto start = i;
      while (i < text.size() && is_digit(text[i])) {
        ++i;
      }
      if (i == start) {
        return false;
      }
    }
  }
  const auto zone = text.substr(i);
  if (zone.empty() || zone == "Z" || zone == "z") {
    return true;
  }
  if (zone[0] != '+' && zone[0] != '-') {
    return false;
  }
  const auto offset = zone.substr(1);
  return (offset.size() == 5 && all_digits(offset.substr(0, 2)) && offset[2] == ':' &&
          all_digits(offset.substr(3))) ||
         (offset.size() == 4 && all_digits(offset)) || (offset.size() == 2 && all_digits(offset));
}

std::string value_text(const nlohmann::json& value)
{
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// Booleans, or "true"/"false" text as a resolved placeholder may give.
bool is_boolean_like(const nlohmann::json& value)
{
  if (value.is_boolean()) {
    return true;
  }
  if (!value.is_string()) {
    return false;
  }
  const auto lower = util::to_lower(util::trim(value.get_ref<const std::string&>()));
  return lower == "true" || lower == "false";
}

const std::vector<std::string> k_schedule_keys{"cron",   "interval",    "rrule",  "timezone",
                                               "active", "anchor_date", "day_or", "parameters",
                                               "slug",   "replaces"};

} // namespace

std::optional<double> parse_interval(const nlohmann::json& value)
{
  std::optional<double> seconds;
  if (value.is_number()) {
    seconds = value.get<double>();
  } else if (value.is_string()) {
    const auto text = util::trim(value.get_ref<const std::string&>());
    if (!text.empty() && (text[0] == 'P' || text[0] == 'p')) {
      seconds = iso_duration(std::string_view(text).substr(1));
    } else if (text.find(':') != std::string::npos) {
      seconds = clock_duration(text);
    } else {
      seconds = number_of(text);
    }
  }
  if (!seconds || !std::isfinite(*seconds) || *seconds <= 0) {
    return std::nullopt;
  }
  return seconds;
}

std::string check_timezone(const std::string& name)
{
  if (name == "UTC" || name == "Etc/UTC") {
    return "";
  }
  const auto unknown = "unknown time zone " + util::quoted(name);
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos ||
      name.find('\\') != std::string::npos || name.find('\0') != std::string::npos) {
    return unknown;
  }
  const auto directory = util::get_env("TZDIR").value_or("/usr/share/zoneinfo");
  // Zone files start with "TZif"; this tells them apart from the tables that share the directory.
  std::ifstream file(std::filesystem::path(directory) / name, std::ios::binary);
  char magic[4] = {};
  if (!file.read(magic, sizeof magic) || std::string_view(magic, sizeof magic) != "TZif") {
    return unknown;
  }
  return "";
}

namespace detail {

std::vector<ScheduleProblem> schedule_problems(const nlohmann::json& item, bool skip_templated)
{
  std::vector<ScheduleProblem> problems;
  if (!item.is_object()) {
    if (!(skip_templated && is_placeholder(item))) {
      problems.push_back({"", false, "a schedule must be a mapping, not " + kind_name(item)});
    }
    return problems;
  }
  for (const auto& [key, value] : item.items()) {
    if (!util::starts_with(key, "x-") &&
        std::find(k_schedule_keys.begin(), k_schedule_keys.end(), key) == k_schedule_keys.end()) {
      problems.push_back(
          {key, true, "unknown key " + util::quoted(key) + util::did_you_mean(key, k_schedule_keys)});
    }
  }
  const bool cron = item.contains("cron");
  const bool interval = item.contains("interval");
  const bool rrule = item.contains("rrule");
  if (int{cron} + int{interval} + int{rrule} != 1) {
    problems.push_back({"", false, "exactly one of 'cron', 'interval' or 'rrule' must be given"});
  }
  // Values with placeholders are checked once resolved.
  const auto templated = [&](const nlohmann::json& value) {
    return skip_templated && value.is_string() && has_placeholder(value.get_ref<const std::string&>());
  };
  const auto check_string = [&](const std::string& key, std::string (*check)(const std::string&),
                                bool nullable) {
    const auto found = item.find(key);
    if (found == item.end() || templated(*found) || (nullable && found->is_null())) {
      return;
    }
    if (!found->is_string()) {
      problems.push_back({key, false, "must be a string, not " + kind_name(*found)});
    } else if (check != nullptr) {
      if (auto message = check(found->get<std::string>()); !message.empty()) {
        problems.push_back({key, false, std::move(message)});
      }
    }
  };
  check_string("cron", &check_cron, false);
  check_string("rrule", &check_rrule, false);
  check_string("timezone", &check_timezone, true);
  check_string("slug", nullptr, true);
  check_string("replaces", nullptr, true);
  if (interval && !templated(item["interval"]) && !parse_interval(item["interval"])) {
    const auto& value = item["interval"];
    problems.push_back({"interval", false,
                        value.is_number() || value.is_string()
                            ? "invalid interval " + util::quoted(value_text(value)) +
                                  ": expected a positive number of seconds, an ISO 8601 duration such as "
                                  "'PT10M', or 'H:MM:SS'"
                            : "must be a number of seconds or a duration, not " + kind_name(value)});
  }
  if (const auto anchor = item.find("anchor_date"); anchor != item.end()) {
    if (!interval && (cron || rrule)) {
      problems.push_back({"anchor_date", true, "'anchor_date' is only valid with 'interval'"});
    } else if (!anchor->is_null() && !templated(*anchor) &&
               !(anchor->is_string() && is_iso_datetime(anchor->get_ref<const std::string&>()))) {
      problems.push_back({"anchor_date", false,
                          "invalid anchor_date " + util::quoted(value_text(*anchor)) +
                              ": expected an ISO 8601 date and time such as '2025-01-01T00:00:00Z'"});
    }
  }
  if (const auto day_or = item.find("day_or"); day_or != item.end()) {
    if (!cron && (interval || rrule)) {
      problems.push_back({"day_or", true, "'day_or' is only valid with 'cron'"});
    } else if (!is_boolean_like(*day_or) && !templated(*day_or)) {
      problems.push_back({"day_or", false, "must be true or false, not " + kind_name(*day_or)});
    }
  }
  if (const auto active = item.find("active"); active != item.end()) {
    if (!is_boolean_like(*active) && !templated(*active)) {
      problems.push_back({"active", false, "must be true or false, not " + kind_name(*active)});
    }
  }
  if (const auto parameters = item.find("parameters"); parameters != item.end()) {
    if (!parameters->is_object() && !parameters->is_null() &&
        !(skip_templated && is_placeholder(*parameters))) {
      problems.push_back({"parameters", false, "must be a mapping, not " + kind_name(*parameters)});
    }
  }
  return problems;
}

} // namespace detail

std::vector<std::pair<std::string, std::string>> check_schedule(const nlohmann::json& schedule)
{
  std::vector<std::pair<std::string, std::string>> problems;
  for (auto& problem : detail::schedule_problems(schedule, false)) {
    problems.emplace_back(std::move(problem.key), std::move(problem.message));
  }
  return problems;
}

} // namespace syntask::config
