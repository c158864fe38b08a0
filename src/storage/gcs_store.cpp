// SPDX-License-Identifier: Apache-2.0
#include "storage/gcs_store.hpp"

#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "http/string_sink.hpp"
#include "storage/backends.hpp"
#include <charconv>

namespace syntask::storage {

namespace {

std::uint64_t number_of(const nlohmann::json& value)
{
  if (value.is_number_unsigned()) {
    return value.get<std::uint64_t>();
  }
  std::uint64_t number = 0;
  if (value.is_string()) {
    const auto text = value.get<std::string>();
    std::from_chars(text.data(), text.data() + text.size(), number);
  }
  return number;
}

ObjectInfo info_of(const nlohmann::json& item)
{
  ObjectInfo info;
  info.key = item.value("name", "");
  if (item.contains("size")) {
    info.size = number_of(item["size"]);
  }
  info.etag = item.value("md5Hash", item.value("etag", ""));
  info.is_directory_marker = util::ends_with(info.key, "/");
  return info;
}

nlohmann::json parse_json(const std::string& body)
{
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error&) {
    return nlohmann::json::object();
  }
}

std::string error_message(const http::Response& response)
{
  const auto answer = parse_json(response.body);
  if (answer.is_object() && answer.contains("error") && answer["error"].is_object()) {
    return answer["error"].value("message", "");
  }
  return {};
}

} // namespace

GcsStore::GcsStore(std::shared_ptr<GcpTokenSource> tokens, std::string bucket)
    : m_tokens(std::move(tokens)), m_bucket(std::move(bucket))
{
}

std::string GcsStore::describe() const
{
  return "gs://" + m_bucket;
}

std::string GcsStore::object_url(std::string_view key, std::string_view query) const
{
  std::string url =
      m_tokens->credentials().endpoint + "/storage/v1/b/" + http::percent_encode(m_bucket) + "/o";
  if (!key.empty()) {
    url += "/" + http::percent_encode(key);
  }
  if (!query.empty()) {
    url += "?" + std::string(query);
  }
  return url;
}

std::string GcsStore::upload_url(std::string_view key, std::string_view upload_type) const
{
  return m_tokens->credentials().endpoint + "/upload/storage/v1/b/" + http::percent_encode(m_bucket) +
         "/o?uploadType=" + std::string(upload_type) + "&name=" + http::percent_encode(key);
}

http::Response GcsStore::send(http::Request& request)
{
  // The token comes first, on the same connection: a sign callback must not send requests itself.
  const auto token = m_tokens->token(m_client, describe());
  if (!token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + token);
  }
  try {
    auto response = m_client.send(request);
    if (response.status == 401) {
      m_tokens->invalidate();
    }
    return response;
  } catch (const RemoteError& error) {
    throw RemoteError(util::Redactor::global().scrub(error.what()), error.transient());
  }
}

void GcsStore::fail(const http::Response& response, std::string_view key)
{
  const auto where = key.empty() ? describe() : describe() + "/" + std::string(key);
  const auto message = error_message(response);
  if (response.status == 401 || response.status == 403) {
    throw RemoteError("access denied by " + describe() + ": check the credentials in " +
                          m_tokens->credentials().source,
                      false);
  }
  if (response.status == 404 && util::to_lower(message).find("bucket") != std::string::npos) {
    throw RemoteError("no such bucket " + util::quoted(describe()), false);
  }
  if (response.status == 404) {
    throw RemoteError(util::quoted(where) + " not found", false);
  }
  throw RemoteError("google cloud storage answered " + std::to_string(response.status) + " for " +
                        util::quoted(where) +
                        (message.empty() ? "" : ": " + util::split(message, '\n').front()),
                    http::is_transient_status(response.status));
}

void GcsStore::list(std::string_view prefix, const std::function<void(const ObjectInfo&)>& visit)
{
  std::string page_token;
  do {
    std::string query = "maxResults=1000&prefix=" + http::percent_encode(prefix);
    if (!page_token.empty()) {
      query += "&pageToken=" + http::percent_encode(page_token);
    }
    http::StringSink document;
    http::Request request;
    request.url = object_url({}, query);
    request.sink = &document;
    const auto response = send(request);
    if (response.status != 200) {
      fail(response, {});
    }
    const auto answer = parse_json(document.data());
    if (answer.contains("items") && answer["items"].is_array()) {
      for (const auto& item : answer["items"]) {
        visit(info_of(item));
      }
    }
    page_token = answer.is_object() ? answer.value("nextPageToken", "") : "";
  } while (!page_token.empty());
}

std::optional<ObjectInfo> GcsStore::stat(std::string_view key)
{
  http::Request request;
  request.url = object_url(key);
  const auto response = send(request);
  if (response.status == 404) {
    return std::nullopt;
  }
  if (response.status != 200) {
    fail(response, key);
  }
  return info_of(parse_json(response.body));
}

void GcsStore::upload(std::string_view key, http::BodySource& body, std::string_view content_type,
                      const ProgressCallback& progress)
{
  http::Request request;
  request.method = "POST";
  request.body = &body;
  request.on_progress = progress;
  if (body.size() < k_resumable_threshold) {
    request.url = upload_url(key, "media");
    request.headers = {{"Content-Type", std::string(content_type)}};
  } else {
    // A resumable session sent as one streamed PUT: the emulator finalises an upload at its first PUT.
    http::StringSource metadata(nlohmann::json{{"name", std::string(key)}}.dump());
    http::Request start;
    start.method = "POST";
    start.url = upload_url(key, "resumable");
    start.headers = {{"Content-Type", "application/json; charset=UTF-8"},
                     {"X-Upload-Content-Type", std::string(content_type)},
                     {"X-Upload-Content-Length", std::to_string(body.size())}};
    start.body = &metadata;
    const auto started = send(start);
    const auto session = started.header("Location");
    if (started.status != 200 || !session) {
      fail(started, key);
    }
    request.method = "PUT";
    request.url = *session;
  }
  const auto response = send(request);
  if (response.status != 200 && response.status != 201) {
    fail(response, key);
  }
}

void GcsStore::put_file(std::string_view key, const std::filesystem::path& file,
                        const ProgressCallback& progress)
{
  http::FileSource body(file);
  upload(key, body, "application/octet-stream", progress);
}

void GcsStore::put_bytes(std::string_view key, std::string_view data, std::string_view content_type)
{
  http::StringSource body{std::string(data)};
  upload(key, body, content_type, {});
}

void GcsStore::get_file(std::string_view key, const std::filesystem::path& destination,
                        const ProgressCallback& progress)
{
  http::FileSink sink(destination);
  http::Request request;
  request.url = object_url(key, "alt=media");
  request.sink = &sink;
  request.on_progress = progress;
  const auto response = send(request);
  if (response.status != 200) {
    fail(response, key);
  }
  sink.close();
}

std::optional<std::string> GcsStore::get_bytes(std::string_view key)
{
  http::StringSink data;
  http::Request request;
  request.url = object_url(key, "alt=media");
  request.sink = &data;
  const auto response = send(request);
  if (response.status == 404) {
    return std::nullopt;
  }
  if (response.status != 200) {
    fail(response, key);
  }
  return std::move(data.data());
}

void GcsStore::remove(std::string_view key)
{
  http::Request request;
  request.method = "DELETE";
  request.url = object_url(key);
  const auto response = send(request);
  if (response.status == 204 || response.status == 200 || response.status == 404) {
    return;
  }
  fail(response, key);
}

std::unique_ptr<MultipartUpload> GcsStore::start_multipart(std::string_view key)
{
  throw RemoteError("cannot upload " + util::quoted(describe() + "/" + std::string(key)) +
                        " in parts: gs:// uploads large files in one resumable upload",
                    false);
}

std::unique_ptr<ObjectStore> GcsStore::connect_again() const
{
  return std::make_unique<GcsStore>(m_tokens, m_bucket);
}

std::unique_ptr<ObjectStore> open_gcs_store(const StoreLocation& location)
{
  if (location.bucket.empty()) {
    throw ConfigError("gcs: the bucket name is empty");
  }
  return std::make_unique<GcsStore>(std::make_shared<GcpTokenSource>(resolve_gcp_credentials(location)),
                                    location.bucket);
}

} // namespace syntask::storage
