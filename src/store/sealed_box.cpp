// SPDX-License-Identifier: Apache-2.0
#include "store/sealed_box.hpp"

#include <syntask/error.hpp>

#include <sodium.h>

namespace syntask::store {

namespace {

void ensure_sodium()
{
  // sodium_init is idempotent and thread-safe; it returns 1 when already initialised.
  if (sodium_init() < 0) {
    throw StoreError("cannot initialise libsodium");
  }
}

static_assert(SecretKey::k_size == crypto_secretbox_KEYBYTES);

} // namespace

SecretKey SecretKey::generate()
{
  ensure_sodium();
  SecretKey key;
  crypto_secretbox_keygen(key.m_bytes.data());
  return key;
}

std::optional<SecretKey> SecretKey::from_hex(std::string_view text)
{
  ensure_sodium();
  if (text.size() != 2 * k_size) {
    return std::nullopt;
  }
  SecretKey key;
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(key.m_bytes.data(), key.m_bytes.size(), text.data(), text.size(), nullptr, &length,
                     &end) != 0 ||
      length != k_size || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return key;
}

SecretKey::~SecretKey()
{
  sodium_memzero(m_bytes.data(), m_bytes.size());
}

std::string SecretKey::to_hex() const
{
  std::string hex(2 * k_size + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), m_bytes.data(), m_bytes.size());
  hex.pop_back();
  return hex;
}

std::vector<unsigned char> seal(const SecretKey& key, std::string_view plaintext)
{
  ensure_sodium();
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  unsigned char* nonce = box.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), nonce,
                        key.data());
  return box;
}

std::optional<std::string> unseal(const SecretKey& key, const std::vector<unsigned char>& box)
{
  ensure_sodium();
  if (box.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::nullopt;
  }
  const unsigned char* nonce = box.data();
  const unsigned char* cipher = box.data() + crypto_secretbox_NONCEBYTES;
  const std::size_t cipher_size = box.size() - crypto_secretbox_NONCEBYTES;
  std::string plaintext(cipher_size - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()), cipher, cipher_size,
                                 nonce, key.data()) != 0) {
    return std::nullopt;
  }
  return plaintext;
}

void wipe(std::string& text)
{
  sodium_memzero(text.data(), text.size());
  text.clear();
}

} // namespace syntask::store
