// SPDX-License-Identifier: Apache-2.0
#include "storage/s3_multipart.hpp"

#include <syntask/error.hpp>
#include <syntask/util/digest.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/strings.hpp>

#include "storage/xml_reader.hpp"

namespace syntask::storage::s3 {

namespace {

std::string upload_query(const std::string& upload_id)
{
  return "uploadId=" + aws::uri_encode(upload_id, false);
}

} // namespace

S3MultipartUpload::S3MultipartUpload(std::shared_ptr<BucketConfig> config, std::string key)
    : m_config(std::move(config)), m_key(std::move(key))
{
  auto connection = std::make_unique<Connection>(m_config);
  Call call;
  call.method = "POST";
  call.key = m_key;
  call.query = "uploads=";
  call.headers.emplace_back("Content-Type", "application/octet-stream");
  auto response = connection->send_checked(call);
  m_upload_id = parse_upload_id(response.body);
  m_idle.push_back(std::move(connection));
}

// An upload neither completed nor aborted (an exception went past it) is aborted: orphaned parts cost
// storage until a lifecycle rule removes them.
S3MultipartUpload::~S3MultipartUpload()
{
  abort();
}

std::unique_ptr<Connection> S3MultipartUpload::borrow()
{
  std::lock_guard lock(m_mutex);
  if (m_idle.empty()) {
    return std::make_unique<Connection>(m_config);
  }
  auto connection = std::move(m_idle.back());
  m_idle.pop_back();
  return connection;
}

void S3MultipartUpload::give_back(std::unique_ptr<Connection> connection)
{
  std::lock_guard lock(m_mutex);
  m_idle.push_back(std::move(connection));
}

void S3MultipartUpload::put_part(int number, const std::filesystem::path& file, std::uint64_t offset,
                                 std::uint64_t length, const ProgressCallback& progress)
{
  if (number < 1 || number > k_max_parts) {
    throw RemoteError(m_config->describe() + "/" + m_key + ": part " + std::to_string(number) +
                          " is outside S3's 1 to 10000",
                      false);
  }
  http::FileSource source(file, offset, length);
  Call call;
  call.method = "PUT";
  call.key = m_key;
  call.query = "partNumber=" + std::to_string(number) + "&" + upload_query(m_upload_id);
  call.body = &source;
  call.payload_hash = std::string(aws::k_unsigned_payload);
  call.progress = progress;
  auto connection = borrow();
  auto response = connection->send_checked(call);
  give_back(std::move(connection));
  auto etag = response.header("ETag").value_or("");
  if (etag.empty()) {
    throw RemoteError(m_config->describe() + "/" + m_key + ": S3 returned no ETag for part " +
                          std::to_string(number),
                      true);
  }
  std::lock_guard lock(m_mutex);
  m_etags[number] = etag;
}

void S3MultipartUpload::complete()
{
  std::vector<std::string> etags;
  {
    std::lock_guard lock(m_mutex);
    int expected = 1;
    for (const auto& [number, etag] : m_etags) {
      if (number != expected) {
        throw RemoteError(m_config->describe() + "/" + m_key + ": part " + std::to_string(expected) +
                              " was never uploaded",
                          false);
      }
      etags.push_back(etag);
      ++expected;
    }
  }
  http::StringSource body(complete_multipart_body(etags));
  Call call;
  call.method = "POST";
  call.key = m_key;
  call.query = upload_query(m_upload_id);
  call.headers.emplace_back("Content-Type", "application/xml");
  call.body = &body;
  call.payload_hash = util::sha256_hex(body.data());
  auto connection = borrow();
  auto response = connection->send_checked(call);
  // S3 may answer 200 and report the failure in the body, once it has started writing the answer.
  if (util::trim(response.body).find("<Error") != std::string::npos) {
    auto root = xml::parse(response.body);
    if (root.name == "Error") {
      http::Response failed = response;
      failed.status = root.child_text("Code") == "InternalError" ? 500 : 400;
      connection->fail(failed, m_key);
    }
  }
  give_back(std::move(connection));
  std::lock_guard lock(m_mutex);
  m_finished = true;
}

void S3MultipartUpload::abort() noexcept
{
  {
    std::lock_guard lock(m_mutex);
    if (m_finished || m_upload_id.empty()) {
      return;
    }
    m_finished = true;
  }
  try {
    // Also after a Ctrl-C: the abort is the cleanup of the interrupted upload.
    const util::InterruptShield cleanup;
    Connection connection(m_config);
    Call call;
    call.method = "DELETE";
    call.key = m_key;
    call.query = upload_query(m_upload_id);
    connection.send(call);
  } catch (...) {
    // Best effort: the upload is abandoned either way.
  }
}

} // namespace syntask::storage::s3
