// SPDX-License-Identifier: Apache-2.0
// Key paths such as "a.b[0].c" (private to the resolver).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::tmpl {

/// The segments of a key path: "a.b[0].c" and "a.b.0.c" both give {a, b, 0, c}. nullopt for a
/// malformed path (an empty segment, an unclosed bracket, text right after a closing bracket).
/// An empty path has no segments.
std::optional<std::vector<std::string>> split_path(std::string_view path);

} // namespace syntask::tmpl
