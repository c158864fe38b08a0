// SPDX-License-Identifier: Apache-2.0
// Image operations: build (context streamed), tag, inspect, push (with retries), pull.
#include <syntask/docker/build_context.hpp>
#include <syntask/docker/engine.hpp>
#include <syntask/error.hpp>
#include <syntask/http/client.hpp>
#include <syntask/util/retry.hpp>
#include <syntask/util/strings.hpp>

#include "docker/streamed_body.hpp"
#include <ostream>

namespace syntask::docker {

namespace {

std::string query_value(std::string_view value)
{
  return http::percent_encode(value);
}

std::string flag(bool value)
{
  return value ? "1" : "0";
}

// Image names go into the path with their '/' kept, as the engine routes /images/{name:.*}/push.
std::string path_name(std::string_view name)
{
  return http::percent_encode(name, true);
}

} // namespace

std::string build_image(Engine& engine, const BuildOptions& options)
{
  std::string query = "/build?dockerfile=" + query_value(options.dockerfile);
  for (const auto& tag : options.tags) {
    query += "&t=" + query_value(tag);
  }
  query += "&pull=" + flag(options.pull) + "&nocache=" + flag(options.nocache) + "&rm=1&forcerm=1";
  if (!options.platform.empty()) {
    query += "&platform=" + query_value(options.platform);
  }
  if (!options.target.empty()) {
    query += "&target=" + query_value(options.target);
  }
  if (!options.buildargs.empty()) {
    query += "&buildargs=" + query_value(options.buildargs.dump());
  }
  if (!options.labels.empty()) {
    query += "&labels=" + query_value(options.labels.dump());
  }
  http::Headers headers{{"Content-Type", "application/x-tar"}, {"Transfer-Encoding", "chunked"}};
  if (!options.registry_config.empty()) {
    headers.emplace_back("X-Registry-Config", options.registry_config);
  }
  StreamedBody context(
      [&options](const auto& write) { stream_build_context(options.context, options.dockerfile, write); });
  StreamReport report(options.output);
  try {
    engine.stream("build failed", "POST", query, headers, &context,
                  [&report](const nlohmann::json& message) { report.handle(message); });
  } catch (const RemoteError& error) {
    throw RemoteError(error.what() + denied_hint(error.what()), error.transient());
  }
  if (!report.error().empty()) {
    throw RemoteError("build failed: " + report.error() + denied_hint(report.error()), false);
  }
  if (report.image_id().empty()) {
    // Old daemons report no aux ID; the first tag names the image just built.
    if (!options.tags.empty()) {
      if (const auto image = inspect_image(engine, options.tags.front())) {
        return image->value("Id", std::string());
      }
    }
    throw RemoteError("build failed: the docker daemon reported no image id", false);
  }
  return report.image_id();
}

void tag_image(Engine& engine, const std::string& source, const std::string& repository,
               const std::string& tag)
{
  engine.call_json(
      "cannot tag " + util::quoted(source) + " as " + util::quoted(repository + ":" + tag), "POST",
      "/images/" + path_name(source) + "/tag?repo=" + query_value(repository) + "&tag=" + query_value(tag));
}

std::optional<nlohmann::json> inspect_image(Engine& engine, const std::string& name)
{
  const auto response = engine.call("GET", "/images/" + path_name(name) + "/json");
  if (response.status == 404) {
    return std::nullopt;
  }
  if (response.status >= 300) {
    throw RemoteError("cannot inspect image " + util::quoted(name) + ": " +
                          error_message(response.status, response.body),
                      false);
  }
  try {
    return nlohmann::json::parse(response.body);
  } catch (const nlohmann::json::exception&) {
    throw RemoteError("cannot inspect image " + util::quoted(name) + ": not JSON", false);
  }
}

std::string push_image(Engine& engine, const std::string& name, const std::string& tag,
                       const std::string& registry_auth, std::ostream* output, int attempts)
{
  const auto what = "push of " + util::quoted(name + ":" + tag) + " failed";
  const auto push = [&] {
    StreamReport report(output);
    std::string failure;
    bool transient = false;
    try {
      engine.stream(what, "POST", "/images/" + path_name(name) + "/push?tag=" + query_value(tag),
                    {{"X-Registry-Auth", registry_auth.empty() ? "e30=" : registry_auth}}, nullptr,
                    [&report](const nlohmann::json& message) { report.handle(message); });
      failure = report.error().empty() ? "" : what + ": " + report.error();
      transient = is_transient_stream_error(report.error());
    } catch (const RemoteError& error) {
      failure = error.what();
      transient = error.transient();
    }
    if (!failure.empty()) {
      throw RemoteError(failure + denied_hint(failure), transient);
    }
    if (report.digest().empty()) {
      throw RemoteError(what + ": the docker daemon reported no digest", false);
    }
    return report.digest();
  };
  const auto say_retry = [output](int, const std::exception& error, std::chrono::milliseconds) {
    if (output != nullptr) {
      *output << "push failed (" << error.what() << "); trying again\n" << std::flush;
    }
  };
  return util::with_retries({attempts, std::chrono::milliseconds(500), std::chrono::seconds(20), true}, push,
                            say_retry);
}

void pull_image(Engine& engine, const std::string& reference, const std::string& registry_auth,
                std::ostream* output)
{
  const auto what = "pull of " + util::quoted(reference) + " failed";
  const auto parsed = parse_image_reference(reference);
  std::string query = "/images/create?fromImage=" + query_value(parsed.name);
  if (!parsed.digest.empty()) {
    query += "&tag=" + query_value(parsed.digest);
  } else {
    query += "&tag=" + query_value(parsed.tag.empty() ? "latest" : parsed.tag);
  }
  StreamReport report(output);
  try {
    engine.stream(what, "POST", query, {{"X-Registry-Auth", registry_auth.empty() ? "e30=" : registry_auth}},
                  nullptr, [&report](const nlohmann::json& message) { report.handle(message); });
  } catch (const RemoteError& error) {
    throw RemoteError(error.what() + denied_hint(error.what()), error.transient());
  }
  if (!report.error().empty()) {
    throw RemoteError(what + ": " + report.error() + denied_hint(report.error()), false);
  }
}

} // namespace syntask::docker
