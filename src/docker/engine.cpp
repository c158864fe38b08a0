// SPDX-License-Identifier: Apache-2.0
// The connection to the daemon and the API version both sides speak.
#include <syntask/docker/engine.hpp>
#include <syntask/error.hpp>
#include <syntask/http/client.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::docker {

namespace {

http::ClientOptions client_options(const Endpoint& endpoint)
{
  http::ClientOptions options;
  options.unix_socket = endpoint.unix_socket;
  options.ca_file = endpoint.ca_file;
  options.client_certificate = endpoint.client_certificate;
  options.client_key = endpoint.client_key;
  // Builds and containers may stay silent for a long time (a RUN compiling, a quiet flow); the daemon
  // closes the stream when it is done.
  options.stall_timeout = std::chrono::hours(24 * 7);
  // POST /build and /push are not idempotent as far as the client can tell; pushes retry themselves.
  options.max_attempts = 1;
  return options;
}

} // namespace

Engine::Engine(Endpoint endpoint)
    : m_endpoint(std::move(endpoint)), m_client(std::make_unique<http::Client>(client_options(m_endpoint)))
{
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

Engine Engine::from_environment()
{
  return Engine(resolve_endpoint(util::current_environment()));
}

const std::string& Engine::api_version()
{
  if (!m_version.empty()) {
    return m_version;
  }
  http::Request ping;
  ping.url = m_endpoint.base_url + "/_ping";
  http::Response answer;
  try {
    answer = m_client->send(ping);
  } catch (const RemoteError& error) {
    throw RemoteError("cannot reach the docker daemon at " + util::quoted(m_endpoint.host) + " (" +
                          m_endpoint.origin + "): " + error.what() + "; is docker running?",
                      true);
  }
  auto version = answer.header("Api-Version").value_or("");
  if (version.empty()) {
    http::Request request;
    request.url = m_endpoint.base_url + "/version";
    const auto response = m_client->send(request);
    if (response.status < 300) {
      try {
        version = nlohmann::json::parse(response.body).value("ApiVersion", std::string());
      } catch (const nlohmann::json::exception&) {
        version.clear();
      }
    }
  }
  m_version = negotiate_api_version(version);
  return m_version;
}

http::Response Engine::call(const std::string& method, const std::string& path_and_query,
                            http::Headers headers, http::BodySource* body, http::BodySink* sink)
{
  http::Request request;
  request.method = method;
  request.url = m_endpoint.base_url + "/v" + api_version() + path_and_query;
  request.headers = std::move(headers);
  request.body = body;
  request.sink = sink;
  try {
    return m_client->send(request);
  } catch (const RemoteError& error) {
    throw RemoteError("lost the docker daemon at " + util::quoted(m_endpoint.host) + ": " + error.what(),
                      true);
  }
}

nlohmann::json Engine::call_json(const std::string& what, const std::string& method,
                                 const std::string& path_and_query, http::Headers headers,
                                 http::BodySource* body)
{
  const auto response = call(method, path_and_query, std::move(headers), body);
  if (response.status >= 300) {
    throw RemoteError(what + ": " + error_message(response.status, response.body),
                      http::is_transient_status(response.status));
  }
  if (util::trim(response.body).empty()) {
    return nullptr;
  }
  try {
    return nlohmann::json::parse(response.body);
  } catch (const nlohmann::json::exception&) {
    throw RemoteError(what + ": the docker daemon answered something other than JSON", false);
  }
}

void Engine::stream(const std::string& what, const std::string& method, const std::string& path_and_query,
                    http::Headers headers, http::BodySource* body,
                    const std::function<void(const nlohmann::json&)>& on_message)
{
  JsonLines lines(on_message);
  http::CallbackSink sink([&lines](std::string_view data) { lines.feed(data); });
  const auto response = call(method, path_and_query, std::move(headers), body, &sink);
  if (response.status >= 300) {
    throw RemoteError(what + ": " + error_message(response.status, response.body),
                      http::is_transient_status(response.status));
  }
  lines.finish();
}

} // namespace syntask::docker
