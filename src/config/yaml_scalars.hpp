// SPDX-License-Identifier: Apache-2.0
// YAML 1.2 core-schema resolution of plain scalars, shared by the reader and the writer.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace syntask::config::detail {

/// The value of a plain (unquoted) scalar: null, a boolean, an integer, a float, or else the text itself.
nlohmann::json resolve_plain_scalar(std::string_view text);

} // namespace syntask::config::detail
