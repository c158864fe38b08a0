// SPDX-License-Identifier: Apache-2.0
// Shared Key authorisation of Blob service requests, as the service (and azurite) checks it.
#pragma once

#include <syntask/http/client.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace syntask::storage {

/// The x-ms-version every request carries.
inline constexpr std::string_view k_azure_version = "2021-08-06";

/// An RFC 1123 date in GMT ("Mon, 23 Nov 2026 12:50:28 GMT"), independent of the locale.
std::string rfc1123_date(std::chrono::system_clock::time_point when);

/// The canonicalized resource: "/<account><URL path as sent>", then one "\n<name>:<values>" line per
/// query parameter (names lowercased and sorted; values decoded, sorted and comma-joined).
std::string azure_canonical_resource(std::string_view url, std::string_view account);

/// The string to sign for a request whose headers (x-ms-date and x-ms-version included) are final.
/// Content-Length comes from the body's size and is empty when 0.
std::string azure_string_to_sign(const http::Request& request, std::string_view account);

/// Adds x-ms-date (from `now`), x-ms-version when absent, and "Authorization: SharedKey account:signature"
/// where `key` is the decoded account key.
void azure_sign_shared_key(http::Request& request, std::string_view account, std::string_view key,
                           std::chrono::system_clock::time_point now);

} // namespace syntask::storage
