// SPDX-License-Identifier: Apache-2.0
// The encodings and digests that cloud request signing needs (OpenSSL underneath).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace syntask::storage {

/// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);
/// Decodes standard base64 (padding required, no whitespace); nullopt when `text` is not base64.
std::optional<std::string> base64_decode(std::string_view text);
/// base64url without padding (JSON Web Tokens).
std::string base64url_encode(std::string_view bytes);

/// HMAC-SHA256 of `data` under `key`, raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);
/// SHA-256 of `data`, raw bytes.
std::string sha256(std::string_view data);
/// Lowercase hexadecimal of raw bytes.
std::string hex(std::string_view bytes);

} // namespace syntask::storage
