// SPDX-License-Identifier: Apache-2.0
// Private: base64 as the Docker API and ~/.docker/config.json use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace syntask::docker {

/// Standard alphabet with '=' padding.
std::string base64_encode(std::string_view data);
/// URL-safe alphabet ('-', '_') with '=' padding, as X-Registry-Auth is sent.
std::string base64url_encode(std::string_view data);
/// Either alphabet, padding optional, whitespace ignored; nullopt when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace syntask::docker
