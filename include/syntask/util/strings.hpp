// SPDX-License-Identifier: Apache-2.0
// Small string helpers that know nothing about syntask.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::util {

std::string trim(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
bool starts_with(std::string_view text, std::string_view prefix);
bool ends_with(std::string_view text, std::string_view suffix);
std::string to_lower(std::string_view text);
/// Whether `text` is one or more ASCII digits / hexadecimal digits.
bool is_digits(std::string_view text);
bool is_hex(std::string_view text);

/// Edit distance between two strings: insertions, deletions, substitutions and swaps of two neighbouring
/// characters count one each (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// Whether `candidate` is close enough to `word` to be what a typo meant: at most max(1, n / 3) edits,
/// n being the length of `word` without the prefix and suffix the two share, and fewer edits than the
/// longer of the two has characters; or, when one begins the other, at least two thirds of its length.
bool is_close(std::string_view word, std::string_view candidate);

/// The closest candidate that is_close() to `word`, else nullopt.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// "; did you mean 'X'?" when a close candidate exists, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// Lowercase, runs of non-alphanumerics turned into single '-', no leading or trailing '-'.
std::string slugify(std::string_view text);

/// Matches `text` against a pattern where '*' stands for any run of characters (full match).
bool glob_match(std::string_view pattern, std::string_view text);

/// Quotes a value for messages: 'value'.
std::string quoted(std::string_view text);

/// "1.5 MiB", "12 B" (binary units).
std::string human_bytes(double bytes);

} // namespace syntask::util
