// SPDX-License-Identifier: Apache-2.0
// The libcurl side of http::Client: one easy handle per Client (curl keeps its connection open between
// requests), attempts with backoff, and streaming through the request's source and sink.
#include <syntask/error.hpp>
#include <syntask/http/client.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/retry.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

namespace syntask::http {

namespace {

constexpr std::size_t k_error_body_cap = 64 * 1024;
constexpr auto k_max_backoff = std::chrono::milliseconds(20000);
// Clock differences below this are Date's one-second resolution and network delay, not skew.
constexpr auto k_skew_threshold = std::chrono::seconds(30);

void global_init()
{
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool is_transient_curl_code(CURLcode code)
{
  switch (code) {
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
  case CURLE_SSL_CONNECT_ERROR:
    return true;
  default:
    return false;
  }
}

std::string trim(std::string_view text)
{
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  return std::string(text);
}

// What the callbacks of one attempt share.
struct Attempt {
  CURL* curl = nullptr;
  Request* request = nullptr;
  Response response;
  std::exception_ptr failure; // an exception thrown by the source, the sink or a progress callback
  std::int64_t reported = 0;  // progress bytes reported during this attempt
  curl_off_t last_total = 0;

  bool success_status() const { return response.status >= 200 && response.status < 300; }
};

size_t on_header(char* data, size_t size, size_t count, void* user)
{
  auto& attempt = *static_cast<Attempt*>(user);
  const std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after 100 Continue or a redirect) starts a new header block.
    attempt.response.headers.clear();
    const auto space = line.find(' ');
    attempt.response.status =
        space == std::string_view::npos ? 0 : std::atol(std::string(line.substr(space + 1, 3)).c_str());
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    attempt.response.headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  return size * count;
}

size_t on_write(char* data, size_t size, size_t count, void* user)
{
  auto& attempt = *static_cast<Attempt*>(user);
  const std::string_view chunk(data, size * count);
  try {
    if (attempt.success_status() && attempt.request->sink != nullptr) {
      attempt.request->sink->write(chunk);
    } else if (attempt.success_status()) {
      attempt.response.body.append(chunk);
    } else if (attempt.response.body.size() < k_error_body_cap) {
      attempt.response.body.append(chunk.substr(0, k_error_body_cap - attempt.response.body.size()));
    }
  } catch (...) {
    attempt.failure = std::current_exception();
    return CURL_WRITEFUNC_ERROR;
  }
  return chunk.size();
}

size_t on_read(char* buffer, size_t size, size_t count, void* user)
{
  auto& attempt = *static_cast<Attempt*>(user);
  try {
    return attempt.request->body->read(buffer, size * count);
  } catch (...) {
    attempt.failure = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

int on_progress(void* user, curl_off_t download_total, curl_off_t download_now, curl_off_t upload_total,
                curl_off_t upload_now)
{
  (void)download_total;
  (void)upload_total;
  auto& attempt = *static_cast<Attempt*>(user);
  // curl calls this at least once a second, also while a transfer stalls: the place to stop for Ctrl-C.
  if (util::interrupt_requested()) {
    attempt.failure = std::make_exception_ptr(Interrupted());
    return 1;
  }
  const curl_off_t now = attempt.request->body != nullptr ? upload_now : download_now;
  if (now > attempt.last_total && attempt.request->on_progress) {
    try {
      attempt.request->on_progress(now - attempt.last_total);
    } catch (...) {
      attempt.failure = std::current_exception();
      return 1;
    }
    attempt.reported += now - attempt.last_total;
    attempt.last_total = now;
  }
  return 0;
}

std::string upper_method(const std::string& method)
{
  return method.empty() ? std::string("GET") : method;
}

} // namespace

struct Client::Handle {
  CURL* curl = nullptr;
  std::atomic<std::int64_t> skew_ms{0};

  Handle()
  {
    global_init();
    curl = curl_easy_init();
    if (curl == nullptr) {
      throw RemoteError("cannot start the HTTP client", false);
    }
  }
  ~Handle() { curl_easy_cleanup(curl); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
};

Client::Client(ClientOptions options) : m_options(std::move(options)), m_handle(std::make_unique<Handle>()) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

std::chrono::system_clock::time_point Client::now() const
{
  return std::chrono::system_clock::now() + std::chrono::milliseconds(m_handle->skew_ms.load());
}

namespace {

// Sets every option of one attempt on a freshly reset handle. Returns the header list to free.
curl_slist* configure(CURL* curl, const ClientOptions& options, Attempt& attempt, char* error_buffer)
{
  Request& request = *attempt.request;
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                   std::max(1L, static_cast<long>(options.stall_timeout.count() / 1000)));
  if (request.timeout.count() > 0) {
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  }
  if (!options.unix_socket.empty()) {
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, options.unix_socket.c_str());
  }
  if (!options.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
  }
  if (!options.client_certificate.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT, options.client_certificate.c_str());
  }
  if (!options.client_key.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLKEY, options.client_key.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &attempt);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &attempt);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &attempt);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);

  const std::string method = upper_method(request.method);
  curl_slist* headers = nullptr;
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.body != nullptr || method == "PUT" || method == "POST") {
    // Upload mode with the real verb: curl's POST mode would add a form Content-Type that signatures
    // (Azure Shared Key) do not cover.
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    const curl_off_t size = request.body != nullptr ? static_cast<curl_off_t>(request.body->size()) : 0;
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, size);
    if (request.body != nullptr) {
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, &on_read);
      curl_easy_setopt(curl, CURLOPT_READDATA, &attempt);
    } else {
      curl_easy_setopt(
          curl, CURLOPT_READFUNCTION, +[](char*, size_t, size_t, void*) -> size_t { return 0; });
    }
    // Waiting for "100 Continue" costs a round trip on every upload; servers answer errors anyway.
    headers = curl_slist_append(headers, "Expect:");
  } else if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's spelling of a header sent with an empty value.
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers = curl_slist_append(headers, line.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  return headers;
}

} // namespace

Response Client::send(Request& request)
{
  const std::string original_url = request.url;
  const Headers original_headers = request.headers;
  util::Backoff backoff({m_options.max_attempts, m_options.first_backoff, k_max_backoff, true});

  for (int attempt_number = 1;; ++attempt_number) {
    request.url = original_url;
    request.headers = original_headers;
    if (request.body != nullptr) {
      request.body->rewind();
    }
    if (request.sink != nullptr) {
      request.sink->reset();
    }
    if (request.sign) {
      request.sign(request);
    }

    util::throw_if_interrupted();
    CURL* curl = m_handle->curl;
    curl_easy_reset(curl); // keeps the open connection
    Attempt attempt;
    attempt.curl = curl;
    attempt.request = &request;
    char error_buffer[CURL_ERROR_SIZE] = {};
    curl_slist* headers = configure(curl, m_options, attempt, error_buffer);
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    attempt.response.status = status;

    if (attempt.failure) {
      if (attempt.reported != 0 && request.on_progress) {
        request.on_progress(-attempt.reported);
      }
      std::rethrow_exception(attempt.failure);
    }

    if (code == CURLE_OK) {
      if (const auto date = attempt.response.header("Date")) {
        const time_t server = curl_getdate(date->c_str(), nullptr);
        if (server > 0) {
          const auto local = std::chrono::system_clock::now();
          const auto difference = std::chrono::system_clock::from_time_t(server) - local;
          m_handle->skew_ms = std::chrono::abs(difference) > k_skew_threshold
                                  ? std::chrono::duration_cast<std::chrono::milliseconds>(difference).count()
                                  : 0;
        }
      }
    }

    const bool transient = code != CURLE_OK ? is_transient_curl_code(code) : is_transient_status(status);
    if (!transient || !backoff.may_retry(attempt_number)) {
      if (code != CURLE_OK) {
        const std::string reason = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
        throw RemoteError(upper_method(request.method) + " " + util::redact_url(original_url) +
                              " failed: " + util::Redactor::global().scrub(reason),
                          is_transient_curl_code(code));
      }
      return std::move(attempt.response);
    }

    if (attempt.reported != 0 && request.on_progress) {
      request.on_progress(-attempt.reported);
    }
    auto delay = backoff.next_delay();
    if (const auto retry_after = attempt.response.header("Retry-After")) {
      const long seconds = std::atol(retry_after->c_str());
      if (seconds > 0) {
        delay = std::min<std::chrono::milliseconds>(std::chrono::seconds(seconds), k_max_backoff);
      }
    }
    util::sleep_unless_interrupted(delay);
  }
}

} // namespace syntask::http
