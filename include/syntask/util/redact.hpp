// SPDX-License-Identifier: Apache-2.0
// Secret redaction. Every secret value that syntask learns (secret blocks, sensitive block fields,
// tokens) is registered here at the source; everything bound for a terminal, a log or a file other than
// the sealed store passes through scrub().
#pragma once

#include <nlohmann/json.hpp>

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::util {

inline constexpr std::string_view k_redacted = "********";
/// Shorter secrets cannot be masked without masking ordinary text; they are refused where stored.
inline constexpr std::size_t k_min_secret_length = 4;

class Redactor {
public:
  /// Registers a secret, and each line of a multi-line one; values shorter than k_min_secret_length are
  /// ignored (they would mask ordinary text).
  void add_secret(std::string_view value);

  /// `text` with every registered secret and every URL user-info password replaced by k_redacted.
  std::string scrub(std::string_view text) const;

  /// Whether `text` holds any registered secret (URL user-info alone does not count).
  bool contains_secret(std::string_view text) const;

  /// The same two for a JSON document: each string in it (keys and values) is looked at as it is, never
  /// in its JSON-escaped spelling, which differs for a secret holding a quote, a backslash, a control
  /// character or a newline.
  nlohmann::json scrub_document(const nlohmann::json& document) const;
  bool document_contains_secret(const nlohmann::json& document) const;

  /// The process-wide redactor used by output and logging.
  static Redactor& global();

private:
  mutable std::mutex m_mutex;
  std::vector<std::string> m_secrets;
};

/// A URL with its user-info (user:password@ or token@) replaced by k_redacted@.
std::string redact_url(std::string_view url);

} // namespace syntask::util
