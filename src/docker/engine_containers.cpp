// SPDX-License-Identifier: Apache-2.0
// Containers: create, start, follow the output, wait, remove.
#include <syntask/docker/engine.hpp>
#include <syntask/error.hpp>
#include <syntask/http/client.hpp>
#include <syntask/util/strings.hpp>

#include <ostream>

namespace syntask::docker {

void LogDemuxer::feed(std::string_view data)
{
  m_pending.append(data);
  std::size_t offset = 0;
  while (m_pending.size() - offset >= 8) {
    const auto* header = reinterpret_cast<const unsigned char*>(m_pending.data() + offset);
    const std::size_t length = (std::size_t(header[4]) << 24) | (std::size_t(header[5]) << 16) |
                               (std::size_t(header[6]) << 8) | std::size_t(header[7]);
    if (m_pending.size() - offset - 8 < length) {
      break;
    }
    const std::string_view payload(m_pending.data() + offset + 8, length);
    (header[0] == 2 ? m_on_stderr : m_on_stdout)(payload);
    offset += 8 + length;
  }
  m_pending.erase(0, offset);
}

std::string create_container(Engine& engine, const ContainerSpec& spec)
{
  nlohmann::json body{{"Image", spec.image},  {"Cmd", spec.command},  {"Env", spec.environment},
                      {"AttachStdout", true}, {"AttachStderr", true}, {"Tty", false},
                      {"OpenStdin", false}};
  if (!spec.labels.empty()) {
    body["Labels"] = spec.labels;
  }
  if (!spec.working_directory.empty()) {
    body["WorkingDir"] = spec.working_directory;
  }
  nlohmann::json host = nlohmann::json::object();
  if (!spec.binds.empty()) {
    host["Binds"] = spec.binds;
  }
  if (!spec.network_mode.empty()) {
    host["NetworkMode"] = spec.network_mode;
  }
  body["HostConfig"] = host;
  http::StringSource source(body.dump());
  const auto answer = engine.call_json("cannot create a container from " + util::quoted(spec.image), "POST",
                                       "/containers/create", {{"Content-Type", "application/json"}}, &source);
  const auto id = answer.is_object() ? answer.value("Id", std::string()) : std::string();
  if (id.empty()) {
    throw RemoteError("cannot create a container from " + util::quoted(spec.image) + ": no id in the answer",
                      false);
  }
  return id;
}

void start_container(Engine& engine, const std::string& id)
{
  engine.call_json("cannot start container " + util::quoted(id.substr(0, 12)), "POST",
                   "/containers/" + id + "/start");
}

void follow_container_logs(Engine& engine, const std::string& id, std::ostream* out, std::ostream* err)
{
  LogDemuxer demuxer(
      [out](std::string_view text) {
        if (out != nullptr) {
          *out << text << std::flush;
        }
      },
      [err](std::string_view text) {
        if (err != nullptr) {
          *err << text << std::flush;
        }
      });
  http::CallbackSink sink([&demuxer](std::string_view data) { demuxer.feed(data); });
  const auto response =
      engine.call("GET", "/containers/" + id + "/logs?follow=1&stdout=1&stderr=1", {}, nullptr, &sink);
  if (response.status >= 300) {
    throw RemoteError(
        "cannot follow the container's output: " + error_message(response.status, response.body), false);
  }
}

int wait_container(Engine& engine, const std::string& id)
{
  const auto answer = engine.call_json("cannot wait for container " + util::quoted(id.substr(0, 12)), "POST",
                                       "/containers/" + id + "/wait");
  return answer.is_object() ? answer.value("StatusCode", 1) : 1;
}

void remove_container(Engine& engine, const std::string& id) noexcept
{
  try {
    engine.call("DELETE", "/containers/" + id + "?force=1&v=1");
  } catch (...) {
    // A container that cannot be removed is left for `docker rm`; the run's own outcome matters more.
  }
}

} // namespace syntask::docker
