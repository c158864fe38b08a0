// SPDX-License-Identifier: Apache-2.0
// The daemon's JSON-lines streams and error messages. Build, push and pull answer 200 and report their
// failures inside the stream, so every stream is read to its end and its first error kept.
#include <syntask/docker/engine.hpp>
#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

#include <chrono>
#include <ostream>

namespace syntask::docker {

namespace {

// Line breaks inside one message become "; " so that every failure stays one line.
std::string one_line(std::string_view text)
{
  std::vector<std::string> lines;
  for (const auto& line : util::split(text, '\n')) {
    auto trimmed = util::trim(line);
    if (!trimmed.empty()) {
      lines.push_back(std::move(trimmed));
    }
  }
  return util::join(lines, "; ");
}

long long now_ms()
{
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string string_field(const nlohmann::json& object, const char* name)
{
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// Splits "MAJOR.MINOR" into numbers; {0, 0} when it is not one.
std::pair<int, int> version_numbers(std::string_view version)
{
  const auto parts = util::split(version, '.');
  if (parts.size() != 2) {
    return {0, 0};
  }
  try {
    return {std::stoi(parts[0]), std::stoi(parts[1])};
  } catch (const std::exception&) {
    return {0, 0};
  }
}

} // namespace

std::string negotiate_api_version(std::string_view server_version)
{
  const auto server = version_numbers(server_version);
  if (server == std::pair{0, 0}) {
    throw RemoteError(
        "the docker daemon announced no usable API version (" + util::quoted(server_version) + ")", false);
  }
  if (server < version_numbers(k_min_api_version)) {
    throw RemoteError("the docker daemon speaks API " + std::string(server_version) + ", older than " +
                          std::string(k_min_api_version) + ", the oldest syntask supports",
                      false);
  }
  return server < version_numbers(k_max_api_version) ? std::string(server_version)
                                                     : std::string(k_max_api_version);
}

std::string error_message(long status, std::string_view body)
{
  try {
    const auto json = nlohmann::json::parse(body);
    if (json.is_object()) {
      if (auto message = one_line(string_field(json, "message")); !message.empty()) {
        return message;
      }
    }
  } catch (const nlohmann::json::exception&) {
    // Not JSON (a proxy's page, a plain-text answer): its text is the message.
  }
  if (auto message = one_line(body); !message.empty()) {
    const auto first = util::split(message, ';').front();
    return first.size() > 300 ? first.substr(0, 300) + "..." : first;
  }
  return "HTTP " + std::to_string(status);
}

void JsonLines::feed(std::string_view data)
{
  m_pending.append(data);
  std::size_t start = 0;
  for (auto end = m_pending.find('\n', start); end != std::string::npos; end = m_pending.find('\n', start)) {
    emit(std::string_view(m_pending).substr(start, end - start));
    start = end + 1;
  }
  m_pending.erase(0, start);
}

void JsonLines::finish()
{
  if (!m_pending.empty()) {
    const auto rest = std::move(m_pending);
    m_pending.clear();
    emit(rest);
  }
}

void JsonLines::emit(std::string_view line)
{
  if (util::trim(line).empty()) {
    return;
  }
  nlohmann::json message;
  try {
    message = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    message = nlohmann::json{{"stream", std::string(line) + "\n"}};
  }
  if (!message.is_object()) {
    message = nlohmann::json{{"stream", std::string(line) + "\n"}};
  }
  m_on_message(message);
}

void StreamReport::show(const std::string& line)
{
  if (m_output == nullptr) {
    return;
  }
  if (m_line_open) {
    *m_output << '\n';
    m_line_open = false;
  }
  *m_output << line << '\n' << std::flush;
}

void StreamReport::handle(const nlohmann::json& message)
{
  if (const auto found = message.find("aux"); found != message.end() && found->is_object()) {
    if (auto id = string_field(*found, "ID"); !id.empty()) {
      m_image_id = id;
    }
    if (auto digest = string_field(*found, "Digest"); !digest.empty()) {
      m_digest = digest;
    }
  }
  std::string error = string_field(message, "error");
  if (const auto detail = message.find("errorDetail"); detail != message.end() && detail->is_object()) {
    if (auto text = string_field(*detail, "message"); !text.empty()) {
      error = text;
    }
  }
  if (error.empty() && !message.contains("status") && !message.contains("stream")) {
    error = string_field(message, "message");
  }
  if (!error.empty()) {
    if (m_error.empty()) {
      m_error = one_line(error);
    }
    return;
  }
  if (auto text = string_field(message, "stream"); !text.empty()) {
    if (m_output != nullptr) {
      *m_output << text << std::flush;
      m_line_open = text.back() != '\n';
    }
    return;
  }
  const auto status = string_field(message, "status");
  if (status.empty()) {
    return;
  }
  // "latest: digest: sha256:... size: 528" is how older daemons report the pushed digest.
  if (const auto at = status.find(": digest: "); at != std::string::npos && m_digest.empty()) {
    const auto start = at + 10;
    m_digest = status.substr(start, status.find(' ', start) - start);
  }
  const auto id = string_field(message, "id");
  const auto progress = string_field(message, "progress");
  if (id.empty()) {
    show(status);
    return;
  }
  auto& layer = m_layers[id];
  const auto now = now_ms();
  if (layer.status == status && (progress.empty() || now - layer.shown_at_ms < 1000)) {
    return;
  }
  layer.status = status;
  layer.shown_at_ms = now;
  show(id + ": " + status + (progress.empty() ? "" : " " + progress));
}

std::string denied_hint(std::string_view message)
{
  const auto lower = util::to_lower(message);
  if (lower.find("denied") == std::string::npos && lower.find("unauthorized") == std::string::npos) {
    return "";
  }
  return "; the registry refused access: check the login (a docker-registry-credentials block or "
         "~/.docker/config.json), that the image name is one you may push to, and that the base image may be "
         "pulled";
}

bool is_transient_stream_error(std::string_view message)
{
  const auto lower = util::to_lower(message);
  for (const char* marker :
       {"i/o timeout", "connection reset", "connection refused", "tls handshake timeout", "eof",
        "context deadline exceeded", "502 bad gateway", "503 service unavailable",
        "500 internal server error", "504 gateway", "too many requests", "broken pipe"}) {
    if (lower.find(marker) != std::string::npos) {
      return true;
    }
  }
  return false;
}

ImageReference parse_image_reference(std::string_view reference)
{
  ImageReference parsed;
  std::string rest(reference);
  if (const auto at = rest.find('@'); at != std::string::npos) {
    parsed.digest = rest.substr(at + 1);
    rest.resize(at);
  }
  const auto slash = rest.rfind('/');
  if (const auto colon = rest.rfind(':');
      colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    parsed.tag = rest.substr(colon + 1);
    rest.resize(colon);
  }
  parsed.name = rest;
  const auto first_slash = rest.find('/');
  const auto first = rest.substr(0, first_slash);
  if (first_slash != std::string::npos && (first.find('.') != std::string::npos ||
                                           first.find(':') != std::string::npos || first == "localhost")) {
    parsed.registry = first;
    parsed.repository = rest.substr(first_slash + 1);
  } else {
    parsed.registry = "docker.io";
    parsed.repository = first_slash == std::string::npos ? "library/" + rest : rest;
  }
  return parsed;
}

} // namespace syntask::docker
