// SPDX-License-Identifier: Apache-2.0
#include "storage/azure_store.hpp"

#include <syntask/util/base64.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "http/string_sink.hpp"
#include "storage/azure_listing.hpp"
#include "storage/azure_signing.hpp"
#include "storage/backends.hpp"
#include "storage/xml_reader.hpp"
#include <charconv>

namespace syntask::storage {

namespace {

std::string error_code(const http::Response& response)
{
  if (auto code = response.header("x-ms-error-code")) {
    return util::trim(*code);
  }
  try {
    if (!response.body.empty()) {
      return util::trim(xml::parse(response.body).child_text("Code"));
    }
  } catch (const xml::XmlError&) {
    // Not the service's XML error document: the status alone has to do.
  }
  return {};
}

std::uint64_t header_number(const http::Response& response, std::string_view name)
{
  const auto text = response.header(name).value_or("0");
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string unquoted(std::string etag)
{
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    return etag.substr(1, etag.size() - 2);
  }
  return etag;
}

} // namespace

AzureStore::AzureStore(AzureAccount account, std::string container, std::string credentials_label)
    : m_account(std::move(account)), m_container(std::move(container)),
      m_credentials_label(std::move(credentials_label))
{
  if (!m_account.key.empty()) {
    m_key_bytes = util::base64_decode(m_account.key).value_or("");
  }
}

std::string AzureStore::describe() const
{
  return "az://" + m_account.name + "/" + m_container;
}

std::string AzureStore::with_sas(std::string url, std::string_view query) const
{
  std::string full_query(query);
  if (!m_account.sas.empty()) {
    full_query += (full_query.empty() ? "" : "&") + m_account.sas;
  }
  if (!full_query.empty()) {
    url += "?" + full_query;
  }
  return url;
}

std::string AzureStore::container_url(std::string_view query) const
{
  return with_sas(m_account.endpoint + "/" + http::percent_encode(m_container), query);
}

std::string encode_blob_name(std::string_view key)
{
  std::string path;
  bool first = true;
  for (const auto& segment : util::split(key, '/')) {
    if (!first) {
      path += '/';
    }
    first = false;
    // HTTP clients remove "." and ".." segments from URLs; encoded, they reach the service as written.
    if (segment == "." || segment == "..") {
      path += segment == "." ? "%2E" : "%2E%2E";
    } else {
      path += http::percent_encode(segment);
    }
  }
  return path;
}

std::string AzureStore::blob_url(std::string_view key, std::string_view query) const
{
  return with_sas(m_account.endpoint + "/" + http::percent_encode(m_container) + "/" + encode_blob_name(key),
                  query);
}

http::Response AzureStore::send(http::Client& client, http::Request& request) const
{
  if (m_account.sas.empty()) {
    request.sign = [this, &client](http::Request& attempt) {
      azure_sign_shared_key(attempt, m_account.name, m_key_bytes, client.now());
    };
  } else {
    request.headers.emplace_back("x-ms-version", std::string(k_azure_version));
  }
  try {
    return client.send(request);
  } catch (const RemoteError& error) {
    // The client's message names the URL, whose query may hold the SAS.
    throw RemoteError(util::Redactor::global().scrub(error.what()), error.transient());
  }
}

void AzureStore::fail(const http::Response& response, std::string_view key) const
{
  const auto code = error_code(response);
  const auto where = key.empty() ? describe() : describe() + "/" + std::string(key);
  if (response.status == 403 || code == "AuthorizationFailure" || code == "AuthenticationFailed" ||
      code == "AuthorizationPermissionMismatch") {
    const auto& source = m_credentials_label.empty() ? m_account.source : m_credentials_label;
    throw RemoteError("access denied by " + describe() + ": check the credentials in " + source, false);
  }
  if (code == "ContainerNotFound") {
    throw RemoteError("no such container " + util::quoted(describe()), false);
  }
  if (code == "BlobNotFound" || response.status == 404) {
    throw RemoteError(util::quoted(where) + " not found", false);
  }
  throw RemoteError("azure answered " + std::to_string(response.status) + (code.empty() ? "" : " " + code) +
                        " for " + util::quoted(where),
                    http::is_transient_status(response.status));
}

void AzureStore::list(std::string_view prefix, const std::function<void(const ObjectInfo&)>& visit)
{
  std::string marker;
  do {
    std::string query =
        "restype=container&comp=list&include=metadata&maxresults=1000&prefix=" + http::percent_encode(prefix);
    if (!marker.empty()) {
      query += "&marker=" + http::percent_encode(marker);
    }
    http::StringSink document;
    http::Request request;
    request.url = container_url(query);
    request.sink = &document;
    const auto response = send(m_client, request);
    if (response.status != 200) {
      fail(response, {});
    }
    AzureListingPage page;
    try {
      page = parse_azure_listing(document.data());
    } catch (const xml::XmlError& error) {
      throw RemoteError("cannot read the listing of " + util::quoted(describe()) + ": " + error.what(), true);
    }
    for (const auto& object : page.objects) {
      visit(object);
    }
    marker = page.next_marker;
  } while (!marker.empty());
}

std::optional<ObjectInfo> AzureStore::stat(std::string_view key)
{
  http::Request request;
  request.method = "HEAD";
  request.url = blob_url(key);
  const auto response = send(m_client, request);
  if (response.status == 404 && error_code(response) != "ContainerNotFound") {
    return std::nullopt;
  }
  if (response.status != 200) {
    fail(response, key);
  }
  ObjectInfo info;
  info.key = std::string(key);
  info.size = header_number(response, "Content-Length");
  info.etag = unquoted(response.header("ETag").value_or(""));
  for (const auto& [name, value] : response.headers) {
    if (util::to_lower(name) == "x-ms-meta-hdi_isfolder" && util::to_lower(util::trim(value)) == "true") {
      info.is_directory_marker = true;
    }
  }
  info.is_directory_marker = info.is_directory_marker || util::ends_with(key, "/");
  return info;
}

void AzureStore::put_file(std::string_view key, const std::filesystem::path& file,
                          const ProgressCallback& progress)
{
  http::FileSource body(file);
  http::Request request;
  request.method = "PUT";
  request.url = blob_url(key);
  request.headers = {{"x-ms-blob-type", "BlockBlob"}, {"Content-Type", "application/octet-stream"}};
  request.body = &body;
  request.on_progress = progress;
  const auto response = send(m_client, request);
  if (response.status != 201) {
    fail(response, key);
  }
}

void AzureStore::put_bytes(std::string_view key, std::string_view data, std::string_view content_type)
{
  http::StringSource body{std::string(data)};
  http::Request request;
  request.method = "PUT";
  request.url = blob_url(key);
  request.headers = {{"x-ms-blob-type", "BlockBlob"}, {"Content-Type", std::string(content_type)}};
  request.body = &body;
  const auto response = send(m_client, request);
  if (response.status != 201) {
    fail(response, key);
  }
}

void AzureStore::get_file(std::string_view key, const std::filesystem::path& destination,
                          const ProgressCallback& progress)
{
  http::FileSink sink(destination);
  http::Request request;
  request.url = blob_url(key);
  request.sink = &sink;
  request.on_progress = progress;
  const auto response = send(m_client, request);
  if (response.status != 200) {
    fail(response, key);
  }
  sink.close();
}

std::optional<std::string> AzureStore::get_bytes(std::string_view key)
{
  http::StringSink data;
  http::Request request;
  request.url = blob_url(key);
  request.sink = &data;
  const auto response = send(m_client, request);
  if (response.status == 404 && error_code(response) != "ContainerNotFound") {
    return std::nullopt;
  }
  if (response.status != 200) {
    fail(response, key);
  }
  return std::move(data.data());
}

void AzureStore::remove(std::string_view key)
{
  http::Request request;
  request.method = "DELETE";
  request.url = blob_url(key);
  const auto response = send(m_client, request);
  if (response.status == 202 || response.status == 200 ||
      (response.status == 404 && error_code(response) != "ContainerNotFound")) {
    return;
  }
  fail(response, key);
}

std::unique_ptr<ObjectStore> AzureStore::connect_again() const
{
  return std::make_unique<AzureStore>(m_account, m_container, m_credentials_label);
}

std::unique_ptr<ObjectStore> open_azure_store(const StoreLocation& location)
{
  if (location.bucket.empty()) {
    throw ConfigError("azure: the container name is empty");
  }
  return std::make_unique<AzureStore>(resolve_azure_account(location), location.bucket,
                                      location.credentials_label);
}

} // namespace syntask::storage
