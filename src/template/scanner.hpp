// SPDX-License-Identifier: Apache-2.0
// Splitting a string into literal text and placeholders (private to the resolver).
#pragma once

#include <syntask/template/resolver.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::tmpl {

/// A run of literal text and the placeholder that follows it (none for trailing text).
struct Piece {
  std::string literal;
  std::optional<Reference> reference;
};

/// The pieces of `text`, in order; concatenating literals and placeholder texts gives `text` back
/// (minus escape backslashes when `final_pass`). A backslash right before "<<" or "{{" always marks
/// an escape: the delimiter is literal text, and the backslash is dropped on the final pass only.
/// A malformed reference throws ConfigError carrying the message alone (no place, no field).
std::vector<Piece> scan(std::string_view text, bool final_pass);

} // namespace syntask::tmpl
