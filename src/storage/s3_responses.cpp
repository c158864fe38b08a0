// SPDX-License-Identifier: Apache-2.0
#include "storage/s3_responses.hpp"

#include <syntask/error.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "storage/xml_reader.hpp"
#include <charconv>

namespace syntask::storage::s3 {

namespace {

int hex_value(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::uint64_t parse_size(const std::string& text)
{
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw RemoteError("S3 listed an object with the size " + util::quoted(text), false);
  }
  return value;
}

// An error document, or nullopt when the body is empty or not XML.
std::optional<xml::Element> error_document(const std::string& body)
{
  if (util::trim(body).empty()) {
    return std::nullopt;
  }
  try {
    auto root = xml::parse(body);
    if (root.name == "Error") {
      return root;
    }
  } catch (const xml::XmlError&) {
  }
  return std::nullopt;
}

// Server text goes into a one-line message: no line breaks, bounded length.
std::string one_line(std::string text)
{
  for (auto& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      c = ' ';
    }
  }
  text = util::trim(text);
  if (text.size() > 300) {
    text = text.substr(0, 300) + "...";
  }
  return text;
}

} // namespace

std::string url_decode_plus(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string strip_quotes(std::string_view etag)
{
  auto text = util::trim(etag);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    return text.substr(1, text.size() - 2);
  }
  return text;
}

ListPage parse_list_page(std::string_view body)
{
  auto root = xml::parse(body);
  if (root.name != "ListBucketResult") {
    throw RemoteError("S3 answered a listing with <" + root.name + "> instead of <ListBucketResult>", false);
  }
  bool encoded = util::to_lower(util::trim(root.child_text("EncodingType"))) == "url";
  ListPage page;
  for (const auto* contents : root.children_named("Contents")) {
    ObjectInfo info;
    auto raw_key = contents->child_text("Key");
    info.key = encoded ? url_decode_plus(raw_key) : raw_key;
    info.size = parse_size(util::trim(contents->child_text("Size")));
    info.etag = strip_quotes(contents->child_text("ETag"));
    info.is_directory_marker = !info.key.empty() && info.key.back() == '/';
    page.objects.push_back(std::move(info));
  }
  page.truncated = util::to_lower(util::trim(root.child_text("IsTruncated"))) == "true";
  page.next_token = root.child_text("NextContinuationToken");
  if (page.truncated && page.next_token.empty()) {
    throw RemoteError("S3 answered a truncated listing without a continuation token", false);
  }
  return page;
}

std::string parse_upload_id(std::string_view body)
{
  auto root = xml::parse(body);
  auto id = util::trim(root.child_text("UploadId"));
  if (root.name != "InitiateMultipartUploadResult" || id.empty()) {
    throw RemoteError("S3 started a multipart upload without an UploadId", false);
  }
  return id;
}

std::string complete_multipart_body(const std::vector<std::string>& etags)
{
  std::string body = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (std::size_t i = 0; i < etags.size(); ++i) {
    body += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + xml::escape(etags[i]) +
            "</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  return body;
}

std::string error_code(const http::Response& response)
{
  auto document = error_document(response.body);
  return document ? util::trim(document->child_text("Code")) : std::string{};
}

void throw_error(const http::Response& response, const Failure& failure, std::string_view region)
{
  auto document = error_document(response.body);
  auto code = document ? util::trim(document->child_text("Code")) : std::string{};
  auto object = failure.key.empty() ? failure.store : failure.store + "/" + failure.key;
  bool transient = http::is_transient_status(response.status) || code == "SlowDown" ||
                   code == "InternalError" || code == "RequestTimeout";

  if (code == "AccessDenied" || code == "SignatureDoesNotMatch" || code == "InvalidAccessKeyId" ||
      code == "InvalidToken" || code == "ExpiredToken" || code == "TokenRefreshRequired" ||
      (code.empty() && (response.status == 401 || response.status == 403))) {
    throw RemoteError(
        "access denied by " + failure.store + ": check the credentials " + failure.credentials_hint, false);
  }
  if (code == "NoSuchBucket") {
    throw RemoteError("no such bucket " + util::quoted(failure.store), false);
  }
  if (code == "NoSuchKey" || (code.empty() && response.status == 404)) {
    throw RemoteError(util::quoted(object) + " not found", false);
  }
  auto bucket_region = response.header("x-amz-bucket-region").value_or("");
  if (bucket_region.empty() && document) {
    bucket_region = util::trim(document->child_text("Region"));
  }
  if ((code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" || response.status == 301) &&
      !bucket_region.empty() && bucket_region != region) {
    throw RemoteError(failure.store + " is in region " + util::quoted(bucket_region) + ", not " +
                          util::quoted(region) + ": set region_name",
                      false);
  }
  auto message = "S3 answered HTTP " + std::to_string(response.status);
  if (!code.empty()) {
    message += " (" + one_line(code) + ")";
  }
  if (document) {
    if (auto text = one_line(document->child_text("Message")); !text.empty()) {
      message += ": " + text;
    }
  }
  throw RemoteError(util::Redactor::global().scrub(object + ": " + message), transient);
}

} // namespace syntask::storage::s3
