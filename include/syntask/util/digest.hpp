// SPDX-License-Identifier: Apache-2.0
// THE digests and their hexadecimal spelling (OpenSSL underneath): content hashes, cache keys, request
// signing.
#pragma once

#include <string>
#include <string_view>

namespace syntask::util {

/// SHA-256 of `data`, raw bytes.
std::string sha256(std::string_view data);
/// Lowercase hexadecimal SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
/// HMAC-SHA256 of `data` under `key`, raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);
/// Lowercase hexadecimal of raw bytes.
std::string hex(std::string_view bytes);

} // namespace syntask::util
