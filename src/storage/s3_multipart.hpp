// SPDX-License-Identifier: Apache-2.0
// S3 multipart upload: CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload.
#pragma once

#include <syntask/storage/object_store.hpp>

#include "storage/s3_connection.hpp"
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace syntask::storage::s3 {

/// S3 allows parts 1..10,000, each at least 5 MiB except the last, at most 5 GiB.
inline constexpr int k_max_parts = 10000;

/// One upload in progress. put_part may be called from several threads at once: each call borrows a
/// connection of its own from a small pool.
class S3MultipartUpload : public MultipartUpload {
public:
  /// Starts the upload of `key` (CreateMultipartUpload).
  S3MultipartUpload(std::shared_ptr<BucketConfig> config, std::string key);
  ~S3MultipartUpload() override;
  S3MultipartUpload(const S3MultipartUpload&) = delete;
  S3MultipartUpload& operator=(const S3MultipartUpload&) = delete;

  void put_part(int number, const std::filesystem::path& file, std::uint64_t offset, std::uint64_t length,
                const ProgressCallback& progress) override;
  void complete() override;
  void abort() noexcept override;

private:
  std::unique_ptr<Connection> borrow();
  void give_back(std::unique_ptr<Connection> connection);

  std::shared_ptr<BucketConfig> m_config;
  std::string m_key;
  std::string m_upload_id;
  std::mutex m_mutex;
  std::vector<std::unique_ptr<Connection>> m_idle;
  std::map<int, std::string> m_etags;
  bool m_finished = false;
};

} // namespace syntask::storage::s3
