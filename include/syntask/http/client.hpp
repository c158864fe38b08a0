// SPDX-License-Identifier: Apache-2.0
// One HTTP client for every remote service (S3, GCS, Azure Blob, token endpoints, the Docker Engine API).
// Bodies stream in both directions through BodySource / BodySink, so memory stays flat whatever the size.
// A Client owns one connection (reused between requests) and is used by one thread at a time; parallel
// transfers use one Client per worker.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace syntask::http {

/// Header lines in the order they are sent or were received. Names compare case-insensitively.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// The value of the first header called `name` (any case); nullopt when absent.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);

/// Where a request body comes from. rewind() lets a failed attempt be sent again.
class BodySource {
public:
  virtual ~BodySource() = default;
  virtual std::uint64_t size() const = 0;
  /// Fills up to `capacity` bytes; returns 0 only at the end.
  virtual std::size_t read(char* buffer, std::size_t capacity) = 0;
  virtual void rewind() = 0;
};

/// A body held in memory (small documents: XML, JSON, manifests).
class StringSource : public BodySource {
public:
  explicit StringSource(std::string data) : m_data(std::move(data)) {}
  std::uint64_t size() const override { return m_data.size(); }
  std::size_t read(char* buffer, std::size_t capacity) override;
  void rewind() override { m_offset = 0; }
  const std::string& data() const { return m_data; }

private:
  std::string m_data;
  std::size_t m_offset = 0;
};

/// `length` bytes of a file starting at `offset` (a whole file, or one part of a multipart upload).
/// Opens the file lazily; throws syntask::Error naming the file when it cannot be read.
class FileSource : public BodySource {
public:
  FileSource(std::filesystem::path file, std::uint64_t offset, std::uint64_t length);
  /// The whole file.
  explicit FileSource(const std::filesystem::path& file);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  std::uint64_t size() const override { return m_length; }
  std::size_t read(char* buffer, std::size_t capacity) override;
  void rewind() override;

private:
  std::filesystem::path m_file;
  std::uint64_t m_offset;
  std::uint64_t m_length;
  std::uint64_t m_done = 0;
  int m_fd = -1;
};

/// Where a response body goes. reset() discards what a failed attempt wrote before a retry.
class BodySink {
public:
  virtual ~BodySink() = default;
  virtual void write(std::string_view data) = 0;
  virtual void reset() = 0;
};

/// Writes the body to a file (created or truncated at the first byte, and by reset()).
class FileSink : public BodySink {
public:
  explicit FileSink(std::filesystem::path file);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  void write(std::string_view data) override;
  void reset() override;
  /// Flushes and closes; throws syntask::Error naming the file on a write error.
  void close();

private:
  std::filesystem::path m_file;
  int m_fd = -1;
};

/// Hands the body to a function as it arrives (e.g. one JSON object per line from the Docker Engine API).
class CallbackSink : public BodySink {
public:
  explicit CallbackSink(std::function<void(std::string_view)> on_data) : m_on_data(std::move(on_data)) {}
  void write(std::string_view data) override { m_on_data(data); }
  void reset() override {}

private:
  std::function<void(std::string_view)> m_on_data;
};

struct Request {
  std::string method = "GET";
  std::string url; ///< absolute; for a unix socket the host part is ignored (http://localhost/...)
  Headers headers;
  /// The body, or nullptr for none. Content-Length is set from its size.
  BodySource* body = nullptr;
  /// Where a 2xx response body goes; nullptr keeps it in Response::body. Error bodies (status >= 300)
  /// always go to Response::body (capped at 64 KiB) so that messages can be parsed from them.
  BodySink* sink = nullptr;
  /// Called before every attempt (after the previous attempt's headers were restored), so that
  /// signatures carry the current time. It may add headers and change the URL.
  std::function<void(Request&)> sign;
  /// Called as body bytes move (sent for uploads, received for downloads) with the count since the
  /// previous call; a retried attempt reports negative counts to take back what it had reported.
  std::function<void(std::int64_t)> on_progress;
  /// 0: the client's default.
  std::chrono::milliseconds timeout{0};
};

struct Response {
  long status = 0;
  Headers headers;
  std::string body; ///< see Request::sink
  std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
};

struct ClientOptions {
  /// Send every request over this unix socket (Docker's /var/run/docker.sock).
  std::string unix_socket;
  /// CA bundle for https; empty uses the system default (and CURL_CA_BUNDLE / SSL_CERT_FILE as curl does).
  std::string ca_file;
  /// Client certificate and key (PEM) for mutual TLS (Docker's DOCKER_CERT_PATH).
  std::string client_certificate;
  std::string client_key;
  std::chrono::milliseconds connect_timeout{10000};
  /// A transfer slower than 1 byte/s for this long is a timeout (a transient failure).
  std::chrono::milliseconds stall_timeout{60000};
  /// Attempts per request for transient failures (connection refused or reset, timeouts, 5xx, 429).
  int max_attempts = 5;
  /// Delay before the first retry; doubled each time, with full jitter, capped at 20 s.
  std::chrono::milliseconds first_backoff{200};
};

/// One connection's worth of HTTP. Not thread-safe: one Client per thread.
class Client {
public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Sends the request, retrying transient failures with backoff (calling sign, rewinding the body and
  /// resetting the sink each time). Returns the final response whatever its status. Throws
  /// syntask::RemoteError (transient()) when every attempt failed below HTTP, with a message naming the
  /// method and the URL (user-info redacted) and curl's reason.
  Response send(Request& request);

  /// The current time corrected by the offset between this machine's clock and the last server `Date`
  /// header seen (so that signatures survive clock skew).
  std::chrono::system_clock::time_point now() const;

  const ClientOptions& options() const { return m_options; }

private:
  struct Handle;
  ClientOptions m_options;
  std::unique_ptr<Handle> m_handle;
};

/// Whether a response status is worth retrying (429, 500, 502, 503, 504).
bool is_transient_status(long status);

/// Percent-encodes per RFC 3986 (unreserved characters kept); `keep_slash` leaves '/' as it is.
std::string percent_encode(std::string_view text, bool keep_slash = false);
/// Decodes %XX sequences (and nothing else; '+' stays '+').
std::string percent_decode(std::string_view text);

} // namespace syntask::http
