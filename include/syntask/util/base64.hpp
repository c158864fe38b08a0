// SPDX-License-Identifier: Apache-2.0
// THE base64: the Docker API and ~/.docker/config.json, HTTP basic authentication, cloud request signing
// (Azure keys and signatures), JSON Web Tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace syntask::util {

/// Standard alphabet with '=' padding.
std::string base64_encode(std::string_view data);
/// URL-safe alphabet ('-', '_'), with '=' padding as X-Registry-Auth is sent or without (`padded`
/// false) as JSON Web Tokens are written.
std::string base64url_encode(std::string_view data, bool padded = true);
/// Either alphabet, padding optional, whitespace ignored; nullopt when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace syntask::util
