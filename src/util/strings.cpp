// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>

namespace syntask::util {

std::string trim(std::string_view text)
{
  const auto* space = " \t\r\n";
  const auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) {
    return "";
  }
  const auto last = text.find_last_not_of(space);
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split(std::string_view text, char separator)
{
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    if (end == std::string_view::npos) {
      parts.emplace_back(text.substr(start));
      return parts;
    }
    parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::string join(const std::vector<std::string>& parts, std::string_view separator)
{
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      text += separator;
    }
    text += parts[i];
  }
  return text;
}

bool starts_with(std::string_view text, std::string_view prefix)
{
  return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix)
{
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string to_lower(std::string_view text)
{
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

bool is_digits(std::string_view text)
{
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool is_hex(std::string_view text)
{
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

std::size_t edit_distance(std::string_view a, std::string_view b)
{
  // Three rows: the one before the previous is needed for transpositions.
  std::vector<std::size_t> before(b.size() + 1);
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    previous[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

namespace {

bool is_separator(char c)
{
  return c == '.' || c == '_' || c == '-' || c == '/' || c == ':';
}

} // namespace

bool is_close(std::string_view word, std::string_view candidate)
{
  // What the two share at either end as whole parts (a module path such as "syntask.deployments.steps.",
  // a suffix such as "-credentials") says nothing about whether the rest is a typo: the allowance is a
  // third of the rest (rounded up), at least one edit, and never all of both. Letters shared inside a
  // part stay in the rest, so "pull_code" is close to "push_code" but "foo-credentials" is not close
  // to "gcp-credentials".
  std::size_t prefix = 0;
  while (prefix < word.size() && prefix < candidate.size() && word[prefix] == candidate[prefix]) {
    ++prefix;
  }
  // A name cut short (set_working_dir for set_working_directory) is close when most of it is there.
  if (prefix == std::min(word.size(), candidate.size())) {
    return 3 * std::min(word.size(), candidate.size()) >= 2 * std::max(word.size(), candidate.size());
  }
  while (prefix > 0 && !is_separator(word[prefix - 1])) {
    --prefix;
  }
  std::size_t suffix = 0;
  while (prefix + suffix < word.size() && prefix + suffix < candidate.size() &&
         word[word.size() - 1 - suffix] == candidate[candidate.size() - 1 - suffix]) {
    ++suffix;
  }
  while (suffix > 0 && !is_separator(word[word.size() - suffix])) {
    --suffix;
  }
  const std::size_t rest = word.size() - prefix - suffix;
  const std::size_t limit = std::max<std::size_t>(1, (rest + 2) / 3);
  const auto distance = edit_distance(word, candidate);
  return distance <= limit && distance < std::max(word.size(), candidate.size());
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates)
{
  std::optional<std::string> best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& candidate : candidates) {
    if (!is_close(word, candidate)) {
      continue;
    }
    const auto distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates)
{
  const auto match = closest_match(word, candidates);
  return match ? "; did you mean " + util::quoted(*match) + "?" : "";
}

std::string slugify(std::string_view text)
{
  std::string slug;
  bool pending_dash = false;
  for (const unsigned char c : text) {
    if (std::isalnum(c)) {
      if (pending_dash && !slug.empty()) {
        slug += '-';
      }
      pending_dash = false;
      slug += static_cast<char>(std::tolower(c));
    } else {
      pending_dash = true;
    }
  }
  return slug;
}

bool glob_match(std::string_view pattern, std::string_view text)
{
  // Iterative wildcard match with backtracking to the last '*'.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

std::string quoted(std::string_view text)
{
  return "'" + std::string(text) + "'";
}

std::string human_bytes(double bytes)
{
  static constexpr const char* k_units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t unit = 0;
  while (bytes >= 1024 && unit + 1 < std::size(k_units)) {
    bytes /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0) {
    std::snprintf(text, sizeof text, "%.0f %s", bytes, k_units[unit]);
  } else {
    std::snprintf(text, sizeof text, "%.1f %s", bytes, k_units[unit]);
  }
  return text;
}

} // namespace syntask::util
