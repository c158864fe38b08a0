// SPDX-License-Identifier: Apache-2.0
// RFC 5545 recurrence rules as Prefect accepts them: an optional DTSTART line and one or more
// RRULE lines (the "RRULE:" prefix may be left out of a rule written alone).
#include <syntask/config/project.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace syntask::config {

namespace {

const std::vector<std::string> k_rule_parts{"FREQ",     "INTERVAL", "COUNT",    "UNTIL",      "BYSECOND",
                                            "BYMINUTE", "BYHOUR",   "BYDAY",    "BYMONTHDAY", "BYYEARDAY",
                                            "BYWEEKNO", "BYMONTH",  "BYSETPOS", "WKST",       "BYEASTER"};

constexpr std::array<std::string_view, 7> k_frequencies{"SECONDLY", "MINUTELY", "HOURLY", "DAILY",
                                                        "WEEKLY",   "MONTHLY",  "YEARLY"};

std::string upper(std::string_view text)
{
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return result;
}

bool is_positive_integer(std::string_view text)
{
  return !text.empty() && text.size() <= 9 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; }) &&
         std::stoi(std::string(text)) > 0;
}

bool is_digits(std::string_view text, std::size_t count)
{
  return text.size() == count &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// YYYYMMDD or YYYYMMDDTHHMMSS with an optional Z.
bool is_rfc5545_date(std::string_view text)
{
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) {
    text.remove_suffix(1);
  }
  if (text.size() == 8) {
    return is_digits(text, 8);
  }
  return text.size() == 15 && is_digits(text.substr(0, 8), 8) && (text[8] == 'T' || text[8] == 't') &&
         is_digits(text.substr(9), 6);
}

std::string check_rule(std::string_view rule)
{
  std::set<std::string, std::less<>> seen;
  for (const auto& raw_part : util::split(rule, ';')) {
    const auto part = util::trim(raw_part);
    if (part.empty()) {
      continue;
    }
    const auto equals = part.find('=');
    if (equals == std::string::npos) {
      return "invalid rule part " + util::quoted(part);
    }
    const auto key = upper(util::trim(part.substr(0, equals)));
    const auto value = util::trim(part.substr(equals + 1));
    if (std::find(k_rule_parts.begin(), k_rule_parts.end(), key) == k_rule_parts.end()) {
      return "unknown rule part " + util::quoted(key) + util::did_you_mean(key, k_rule_parts);
    }
    if (!seen.insert(key).second) {
      return "rule part " + util::quoted(key) + " is given twice";
    }
    if (key == "FREQ" &&
        std::find(k_frequencies.begin(), k_frequencies.end(), upper(value)) == k_frequencies.end()) {
      return "FREQ must be one of SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY, not " +
             util::quoted(value);
    }
    if ((key == "INTERVAL" || key == "COUNT") && !is_positive_integer(value)) {
      return key + " must be a positive integer, not " + util::quoted(value);
    }
    if (key == "UNTIL" && !is_rfc5545_date(value)) {
      return "UNTIL must be a date such as 20250101T000000Z, not " + util::quoted(value);
    }
  }
  if (seen.count("FREQ") == 0) {
    return "FREQ is required";
  }
  if (seen.count("COUNT") != 0 && seen.count("UNTIL") != 0) {
    return "COUNT and UNTIL cannot both be given";
  }
  return "";
}

// Returns the problem with one line of the rule, or "".
std::string check_line(std::string_view line, bool alone, int& rules)
{
  const auto upper_line = upper(line);
  if (util::starts_with(upper_line, "DTSTART")) {
    const auto colon = line.rfind(':');
    const auto value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    return is_rfc5545_date(value) ? "" : "invalid DTSTART " + util::quoted(line);
  }
  if (util::starts_with(upper_line, "RRULE:") || util::starts_with(upper_line, "EXRULE:")) {
    rules += util::starts_with(upper_line, "RRULE:") ? 1 : 0;
    return check_rule(line.substr(line.find(':') + 1));
  }
  if (util::starts_with(upper_line, "RDATE") || util::starts_with(upper_line, "EXDATE")) {
    return "";
  }
  if (alone) {
    ++rules;
    return check_rule(line);
  }
  return "unexpected line " + util::quoted(line);
}

std::string one_line(std::string_view text)
{
  std::string result;
  for (const char c : text) {
    result += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return result;
}

} // namespace

std::string check_rrule(const std::string& rule)
{
  std::vector<std::string> lines;
  for (const auto& raw : util::split(rule, '\n')) {
    if (auto line = util::trim(raw); !line.empty()) {
      lines.push_back(std::move(line));
    }
  }
  const auto prefix = "invalid rrule " + util::quoted(one_line(rule)) + ": ";
  if (lines.empty()) {
    return prefix + "the rule is empty";
  }
  int rules = 0;
  for (const auto& line : lines) {
    if (const auto problem = check_line(line, lines.size() == 1, rules); !problem.empty()) {
      return prefix + problem;
    }
  }
  if (rules == 0) {
    return prefix + "no RRULE line";
  }
  return "";
}

} // namespace syntask::config
