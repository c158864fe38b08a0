// SPDX-License-Identifier: Apache-2.0
// One interface over S3, GCS and Azure Blob. Backends speak their service's protocol and nothing else;
// walking trees, ignore rules, parallelism, manifests and atomic pulls live in the transfer engine
// (storage/transfer.hpp), written once for all of them.
#pragma once

#include <syntask/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::util {
class Redactor;
}

namespace syntask::storage {

/// One object as a listing or a stat reports it.
struct ObjectInfo {
  std::string key; ///< the full key, decoded
  std::uint64_t size = 0;
  std::string etag; ///< as the service gives it, quotes removed; may be empty
  /// A directory placeholder: a key ending in '/', or a blob whose metadata says hdi_isfolder=true
  /// (metadata names compare case-insensitively). Never downloaded.
  bool is_directory_marker = false;
};

/// Reports transferred body bytes as they move; negative counts take back a failed attempt's bytes.
using ProgressCallback = std::function<void(std::int64_t)>;

/// A large upload in parts: S3 multipart upload, Azure Put Block / Put Block List, GCS parts composed.
/// Parts may be sent in any order; complete() makes the object appear whole, abort() leaves nothing.
class MultipartUpload {
public:
  virtual ~MultipartUpload() = default;
  /// Sends bytes [offset, offset + length) of `file` as part `number` (1-based, consecutive).
  virtual void put_part(int number, const std::filesystem::path& file, std::uint64_t offset,
                        std::uint64_t length, const ProgressCallback& progress) = 0;
  virtual void complete() = 0;
  /// Best effort; never throws.
  virtual void abort() noexcept = 0;
};

/// A connection to one bucket or container. Methods throw syntask::RemoteError with one line naming the
/// object as `describe()/key` (never a secret): "access denied by s3://bucket: check the credentials in
/// aws-credentials/NAME", "no such bucket 's3://bucket'", "'s3://bucket/key' not found", ...
/// transient() marks failures worth retrying at a higher level. Not thread-safe: a worker thread
/// uses its own connection from connect_again().
class ObjectStore {
public:
  virtual ~ObjectStore() = default;

  /// "s3://bucket", "gs://bucket", "az://account/container": for messages.
  virtual std::string describe() const = 0;

  /// Every object whose key starts with `prefix`, across all pages, in the service's order.
  virtual void list(std::string_view prefix, const std::function<void(const ObjectInfo&)>& visit) = 0;

  /// The object's size and etag; nullopt when it does not exist.
  virtual std::optional<ObjectInfo> stat(std::string_view key) = 0;

  /// Uploads a whole file in one request, streaming it from disk.
  virtual void put_file(std::string_view key, const std::filesystem::path& file,
                        const ProgressCallback& progress) = 0;

  /// Uploads a small in-memory document (a manifest).
  virtual void put_bytes(std::string_view key, std::string_view data, std::string_view content_type) = 0;

  /// Downloads an object into `destination` (created or truncated), streaming to disk.
  virtual void get_file(std::string_view key, const std::filesystem::path& destination,
                        const ProgressCallback& progress) = 0;

  /// Downloads a small object into memory; nullopt when it does not exist.
  virtual std::optional<std::string> get_bytes(std::string_view key) = 0;

  /// Deletes one object; deleting a missing object is not an error.
  virtual void remove(std::string_view key) = 0;

  /// Starts a multipart upload of `key`.
  virtual std::unique_ptr<MultipartUpload> start_multipart(std::string_view key) = 0;

  /// Files of at least this many bytes go through start_multipart; 0 means never.
  virtual std::uint64_t multipart_threshold() const = 0;
  /// The part size the engine uses (within the service's limits).
  virtual std::uint64_t part_size() const = 0;

  /// Another connection to the same bucket with the same credentials, for a parallel worker.
  virtual std::unique_ptr<ObjectStore> connect_again() const = 0;
};

/// What a push or pull step was given, resolved, for opening a store.
struct StoreLocation {
  std::string bucket; ///< bucket, or Azure container
  /// The resolved credentials block (an object), or null when the step got none (then the service's
  /// own environment chain applies: AWS_* variables and ~/.aws, GOOGLE_APPLICATION_CREDENTIALS,
  /// AZURE_STORAGE_CONNECTION_STRING).
  nlohmann::json credentials;
  /// How to name the credentials in messages: "aws-credentials/prod" when they came from a block
  /// reference, "" otherwise (the backend then names the source it used, e.g. "AWS_ACCESS_KEY_ID").
  std::string credentials_label;
  /// S3's client_parameters (endpoint_url, region_name, verify, ...); null elsewhere.
  nlohmann::json client_parameters;
  /// GCS project; may be empty.
  std::string project;
  /// Where secrets learned while opening (keys, tokens, SAS) are registered; may be nullptr.
  util::Redactor* redactor = nullptr;
};

/// One row per backend: THE list of object storage services.
struct Backend {
  std::string_view service;          ///< "s3", "gcs", "azure"
  std::string_view bucket_argument;  ///< "bucket" or "container"
  std::string_view credentials_type; ///< the block type slug: "aws-credentials", ...
  std::unique_ptr<ObjectStore> (*open)(const StoreLocation& location);
};

/// Every backend, in the order docs list them.
const std::vector<Backend>& backends();
/// The backend for a service name; throws syntask::Error for an unknown one.
const Backend& backend(std::string_view service);

} // namespace syntask::storage
