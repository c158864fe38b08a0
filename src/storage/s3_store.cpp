// SPDX-License-Identifier: Apache-2.0
// The S3 backend: ListObjectsV2, HeadObject, PutObject, GetObject, DeleteObject and multipart uploads
// over one connection per store. Files are streamed with the UNSIGNED-PAYLOAD hash (S3 and s3rver accept
// it with header authorisation), so a file is read once, while it is sent; small documents are signed
// with their SHA-256. No checksum headers are sent: S3-compatible stores reject them.
#include <syntask/error.hpp>
#include <syntask/util/digest.hpp>
#include <syntask/util/strings.hpp>

#include "storage/backends.hpp"
#include "storage/s3_connection.hpp"
#include "storage/s3_multipart.hpp"
#include <charconv>

namespace syntask::storage {

namespace {

using s3::Call;

constexpr std::uint64_t k_mib = 1024 * 1024;
// Below AWS's suggested 100 MiB a single PUT is one request instead of three or more, and S3-compatible
// stores that assemble parts by copying them (s3rver, MinIO on some back ends) do no second write. Parts
// of 16 MiB (S3's minimum is 5 MiB) keep every worker busy on a large file with few requests; the
// schedule grows them for files that would need more than 10,000. See docs/storage-transfer.md.
constexpr std::uint64_t k_part_size = 16 * k_mib;
constexpr std::uint64_t k_multipart_threshold = 100 * k_mib;
constexpr const char* k_binary = "application/octet-stream";

class S3Store : public ObjectStore {
public:
  explicit S3Store(std::shared_ptr<s3::BucketConfig> config) : m_connection(std::move(config)) {}

  std::string describe() const override { return config().describe(); }

  void list(std::string_view prefix, const std::function<void(const ObjectInfo&)>& visit) override
  {
    std::string token;
    do {
      Call call;
      call.query = "list-type=2&encoding-type=url&max-keys=1000&prefix=" + aws::uri_encode(prefix, false);
      if (!token.empty()) {
        call.query += "&continuation-token=" + aws::uri_encode(token, false);
      }
      auto response = m_connection.send_checked(call);
      auto page = s3::parse_list_page(response.body);
      for (const auto& object : page.objects) {
        visit(object);
      }
      token = page.truncated ? page.next_token : std::string{};
    } while (!token.empty());
  }

  std::optional<ObjectInfo> stat(std::string_view key) override
  {
    Call call;
    call.method = "HEAD";
    call.key = key;
    auto response = m_connection.send(call);
    if (response.status == 404) {
      return std::nullopt;
    }
    if (response.status != 200) {
      m_connection.fail(response, key);
    }
    ObjectInfo info;
    info.key = key;
    auto length = response.header("Content-Length").value_or("0");
    std::from_chars(length.data(), length.data() + length.size(), info.size);
    info.etag = s3::strip_quotes(response.header("ETag").value_or(""));
    info.is_directory_marker = !info.key.empty() && info.key.back() == '/';
    return info;
  }

  void put_file(std::string_view key, const std::filesystem::path& file,
                const ProgressCallback& progress) override
  {
    http::FileSource source(file);
    Call call;
    call.method = "PUT";
    call.key = key;
    call.headers.emplace_back("Content-Type", k_binary);
    call.body = &source;
    call.payload_hash = std::string(aws::k_unsigned_payload);
    call.progress = progress;
    m_connection.send_checked(call);
  }

  void put_bytes(std::string_view key, std::string_view data, std::string_view content_type) override
  {
    http::StringSource source{std::string(data)};
    Call call;
    call.method = "PUT";
    call.key = key;
    call.headers.emplace_back("Content-Type",
                              content_type.empty() ? std::string(k_binary) : std::string(content_type));
    call.body = &source;
    call.payload_hash = util::sha256_hex(data);
    m_connection.send_checked(call);
  }

  void get_file(std::string_view key, const std::filesystem::path& destination,
                const ProgressCallback& progress) override
  {
    http::FileSink sink(destination);
    Call call;
    call.key = key;
    call.sink = &sink;
    call.progress = progress;
    m_connection.send_checked(call);
    sink.close();
  }

  std::optional<std::string> get_bytes(std::string_view key) override
  {
    Call call;
    call.key = key;
    auto response = m_connection.send(call);
    if (response.status == 404 && s3::error_code(response) != "NoSuchBucket") {
      return std::nullopt;
    }
    if (response.status != 200) {
      m_connection.fail(response, key);
    }
    return std::move(response.body);
  }

  void remove(std::string_view key) override
  {
    Call call;
    call.method = "DELETE";
    call.key = key;
    auto response = m_connection.send(call);
    if (response.status == 404 && s3::error_code(response) != "NoSuchBucket") {
      return;
    }
    if (response.status < 200 || response.status >= 300) {
      m_connection.fail(response, key);
    }
  }

  std::unique_ptr<MultipartUpload> start_multipart(std::string_view key) override
  {
    return std::make_unique<s3::S3MultipartUpload>(m_connection.config(), std::string(key));
  }

  std::uint64_t multipart_threshold() const override { return k_multipart_threshold; }
  std::uint64_t part_size() const override { return k_part_size; }

  std::unique_ptr<ObjectStore> connect_again() const override
  {
    return std::make_unique<S3Store>(m_connection.config());
  }

private:
  const s3::BucketConfig& config() const { return *m_connection.config(); }

  s3::Connection m_connection;
};

} // namespace

std::unique_ptr<ObjectStore> open_s3_store(const StoreLocation& location)
{
  if (location.bucket.empty()) {
    throw ConfigError("bucket: an S3 bucket name is required");
  }
  auto settings = aws::resolve_settings(location);
  // The HTTP client always checks certificates; an endpoint with a private CA needs its bundle instead.
  if (!settings.verify_tls && util::starts_with(util::to_lower(settings.endpoint_url), "https://")) {
    throw ConfigError(
        "verify: turning certificate checks off is not supported; give the endpoint's CA bundle "
        "in verify_cert_path (or AWS_CA_BUNDLE)");
  }
  auto config = std::make_shared<s3::BucketConfig>(location.bucket, std::move(settings));
  return std::make_unique<S3Store>(std::move(config));
}

} // namespace syntask::storage
