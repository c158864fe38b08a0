// SPDX-License-Identifier: Apache-2.0
// Cron expressions as Prefect's scheduler (croniter) reads them: five fields, or six where the sixth
// holds seconds; '?' for day-of-month / day-of-week, 'L' and 'N#K' / 'NL' extensions, names and macros.
#include <syntask/config/project.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <sstream>

namespace syntask::config {

namespace {

struct CronField {
  std::string_view name;
  int low;
  int high;
  const std::array<std::string_view, 12>* names; // names[i] stands for low + i; nullptr: none
  bool is_day_of_month;
  bool is_day_of_week;
};

constexpr std::array<std::string_view, 12> k_month_names{"jan", "feb", "mar", "apr", "may", "jun",
                                                         "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> k_day_names{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

const std::array<CronField, 6> k_fields{{
    {"minute", 0, 59, nullptr, false, false},
    {"hour", 0, 23, nullptr, false, false},
    {"day-of-month", 1, 31, nullptr, true, false},
    {"month", 1, 12, &k_month_names, false, false},
    {"day-of-week", 0, 7, &k_day_names, false, true}, // 7 is Sunday again
    {"second", 0, 59, nullptr, false, false},
}};

constexpr std::array<std::string_view, 7> k_macros{"@yearly", "@annually", "@monthly", "@weekly",
                                                   "@daily",  "@midnight", "@hourly"};

// Thrown inside the checker to stop at the first problem; becomes the returned message.
struct CronProblem {
  std::string message;
};

bool is_number(std::string_view text)
{
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

int value_of(std::string_view text, const CronField& field)
{
  if (is_number(text) && text.size() <= 9) {
    const int value = std::stoi(std::string(text));
    if (value < field.low || value > field.high) {
      throw CronProblem{std::string(field.name) + " value " + std::to_string(value) + " out of range " +
                        std::to_string(field.low) + "-" + std::to_string(field.high)};
    }
    return value;
  }
  if (field.names != nullptr) {
    const auto lower = util::to_lower(text);
    for (std::size_t i = 0; i < field.names->size(); ++i) {
      if (!(*field.names)[i].empty() && (*field.names)[i] == lower) {
        return field.low + static_cast<int>(i);
      }
    }
  }
  throw CronProblem{"invalid " + std::string(field.name) + " value " + util::quoted(text)};
}

// One comma-separated part: '*', '?', a value, a range, each optionally with '/step', or an extension.
void check_part(std::string_view part, const CronField& field)
{
  if (part.empty()) {
    throw CronProblem{"empty entry in the " + std::string(field.name) + " field"};
  }
  auto base = part;
  if (const auto slash = part.find('/'); slash != std::string_view::npos) {
    const auto step = part.substr(slash + 1);
    if (!is_number(step) || step.size() > 9 || std::stoi(std::string(step)) == 0) {
      throw CronProblem{"invalid step " + util::quoted(step) + " in the " + std::string(field.name) +
                        " field"};
    }
    base = part.substr(0, slash);
  }
  if (base == "*" ||
      ((field.is_day_of_month || field.is_day_of_week) && base == "?" && base.size() == part.size())) {
    return;
  }
  if (field.is_day_of_month && base == "L" && base.size() == part.size()) {
    return;
  }
  if (field.is_day_of_week && base.size() == part.size()) {
    // "5#3": the third Friday; "5L": the last Friday.
    if (const auto hash = base.find('#'); hash != std::string_view::npos) {
      value_of(base.substr(0, hash), field);
      const auto nth = base.substr(hash + 1);
      if (nth.size() != 1 || nth[0] < '1' || nth[0] > '5') {
        throw CronProblem{"invalid day-of-week occurrence " + util::quoted(base)};
      }
      return;
    }
    if (base.size() > 1 && (base.back() == 'L' || base.back() == 'l')) {
      value_of(base.substr(0, base.size() - 1), field);
      return;
    }
  }
  const auto dash = base.find('-');
  if (dash == std::string_view::npos) {
    value_of(base, field);
    return;
  }
  const int first = value_of(base.substr(0, dash), field);
  const int last = value_of(base.substr(dash + 1), field);
  if (first > last) {
    throw CronProblem{"invalid " + std::string(field.name) + " range " + util::quoted(base)};
  }
}

} // namespace

std::string check_cron(const std::string& expression)
{
  const auto prefix = "invalid cron expression " + util::quoted(expression) + ": ";
  const auto text = util::trim(expression);
  if (!text.empty() && text.front() == '@') {
    if (std::find(k_macros.begin(), k_macros.end(), util::to_lower(text)) != k_macros.end()) {
      return "";
    }
    return prefix + "unknown macro " + util::quoted(text);
  }
  std::vector<std::string> fields;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    fields.push_back(word);
  }
  if (fields.size() != 5 && fields.size() != 6) {
    return prefix + "expected 5 fields (or 6 with seconds), got " + std::to_string(fields.size());
  }
  try {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      for (const auto& part : util::split(fields[i], ',')) {
        check_part(part, k_fields[i]);
      }
    }
  } catch (const CronProblem& problem) {
    return prefix + problem.message;
  }
  return "";
}

} // namespace syntask::config
