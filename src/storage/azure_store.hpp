// SPDX-License-Identifier: Apache-2.0
// The Azure Blob backend: one container reached through the Blob service REST API.
#pragma once

#include <syntask/http/client.hpp>
#include <syntask/storage/object_store.hpp>

#include "storage/azure_credentials.hpp"
#include <memory>
#include <string>
#include <string_view>

namespace syntask::storage {

/// A blob name for a URL path: percent-encoded, '/' kept, and "." and ".." segments encoded so that they
/// reach the service verbatim.
std::string encode_blob_name(std::string_view key);

class AzureStore : public ObjectStore {
public:
  AzureStore(AzureAccount account, std::string container, std::string credentials_label);

  std::string describe() const override;
  void list(std::string_view prefix, const std::function<void(const ObjectInfo&)>& visit) override;
  std::optional<ObjectInfo> stat(std::string_view key) override;
  void put_file(std::string_view key, const std::filesystem::path& file,
                const ProgressCallback& progress) override;
  void put_bytes(std::string_view key, std::string_view data, std::string_view content_type) override;
  void get_file(std::string_view key, const std::filesystem::path& destination,
                const ProgressCallback& progress) override;
  std::optional<std::string> get_bytes(std::string_view key) override;
  void remove(std::string_view key) override;
  std::unique_ptr<MultipartUpload> start_multipart(std::string_view key) override;
  std::uint64_t multipart_threshold() const override { return k_multipart_threshold; }
  std::uint64_t part_size() const override { return k_part_size; }
  std::unique_ptr<ObjectStore> connect_again() const override;

  static constexpr std::uint64_t k_multipart_threshold = 16ULL << 20;
  static constexpr std::uint64_t k_part_size = 8ULL << 20;

  /// The URL of a blob (key percent-encoded, '/' kept) with `query` ("comp=block&...") and the SAS appended.
  std::string blob_url(std::string_view key, std::string_view query = {}) const;
  /// The URL of the container itself with `query` and the SAS appended.
  std::string container_url(std::string_view query) const;
  /// Sends a request through `client` with version, authorisation and Redactor-clean errors.
  http::Response send(http::Client& client, http::Request& request) const;
  /// Throws the RemoteError for a failed response about `key` (empty: the container).
  [[noreturn]] void fail(const http::Response& response, std::string_view key) const;

private:
  std::string with_sas(std::string url, std::string_view query) const;

  AzureAccount m_account;
  std::string m_container;
  std::string m_credentials_label;
  std::string m_key_bytes; ///< the decoded account key, for Shared Key
  http::Client m_client;
};

} // namespace syntask::storage
