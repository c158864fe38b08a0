// SPDX-License-Identifier: Apache-2.0
// The Google Cloud Storage backend: one bucket reached through the JSON API.
#pragma once

#include <syntask/http/client.hpp>
#include <syntask/storage/object_store.hpp>

#include "storage/gcp_token.hpp"
#include <memory>
#include <string>
#include <string_view>

namespace syntask::storage {

class GcsStore : public ObjectStore {
public:
  GcsStore(std::shared_ptr<GcpTokenSource> tokens, std::string bucket);

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
  /// Not used: multipart_threshold() is 0 and large files go up in one streamed resumable upload.
  std::unique_ptr<MultipartUpload> start_multipart(std::string_view key) override;
  std::uint64_t multipart_threshold() const override { return 0; }
  std::uint64_t part_size() const override { return 0; }
  std::unique_ptr<ObjectStore> connect_again() const override;

  /// Files of at least this size go up through a resumable upload session, smaller ones in one request.
  static constexpr std::uint64_t k_resumable_threshold = 8ULL << 20;

private:
  std::string object_url(std::string_view key, std::string_view query = {}) const;
  std::string upload_url(std::string_view key, std::string_view upload_type) const;
  http::Response send(http::Request& request);
  void upload(std::string_view key, http::BodySource& body, std::string_view content_type,
              const ProgressCallback& progress);
  [[noreturn]] void fail(const http::Response& response, std::string_view key);

  std::shared_ptr<GcpTokenSource> m_tokens;
  std::string m_bucket;
  http::Client m_client;
};

} // namespace syntask::storage
