// SPDX-License-Identifier: Apache-2.0
// Authenticated secret-key encryption of small values (libsodium secretbox, XSalsa20-Poly1305).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::store {

/// A 32-byte secretbox key. The bytes are wiped from memory when the key is destroyed.
class SecretKey {
public:
  static constexpr std::size_t k_size = 32;

  /// A fresh random key. Throws StoreError if libsodium cannot be initialised.
  static SecretKey generate();
  /// The key written as exactly 64 hexadecimal characters (either case); nullopt for anything else.
  static std::optional<SecretKey> from_hex(std::string_view text);

  SecretKey(const SecretKey& other) = default;
  SecretKey& operator=(const SecretKey& other) = default;
  ~SecretKey();

  /// 64 lowercase hexadecimal characters.
  std::string to_hex() const;
  const unsigned char* data() const { return m_bytes.data(); }

private:
  SecretKey() = default;

  std::array<unsigned char, k_size> m_bytes{};
};

/// Encrypts `plaintext` under a random nonce; returns the nonce followed by the ciphertext and its tag.
std::vector<unsigned char> seal(const SecretKey& key, std::string_view plaintext);

/// The plaintext of a box made by seal(), or nullopt when the key is wrong or the box was altered.
std::optional<std::string> unseal(const SecretKey& key, const std::vector<unsigned char>& box);

/// Overwrites a string's characters before it is released.
void wipe(std::string& text);

} // namespace syntask::store
