// SPDX-License-Identifier: Apache-2.0
// base64: the Docker API and ~/.docker/config.json, HTTP basic authentication.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace syntask::util {

/// Standard alphabet with '=' padding.
std::string base64_encode(std::string_view data);
/// URL-safe alphabet ('-', '_') with '=' padding, as X-Registry-Auth is sent.
std::string base64url_encode(std::string_view data);
/// Either alphabet, padding optional, whitespace ignored; nullopt when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace syntask::util
