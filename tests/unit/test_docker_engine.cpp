// SPDX-License-Identifier: Apache-2.0
#include <syntask/docker/engine.hpp>
#include <syntask/error.hpp>
#include <syntask/util/digest.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "support/temp_dir.hpp"
#include <fstream>
#include <random>
#include <sstream>

using namespace syntask;
using namespace syntask::docker;

namespace {

using syntask::test::TempDir;

void write(const std::filesystem::path& file, const std::string& text)
{
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

void write_context(const std::filesystem::path& docker_dir, const std::string& name, const std::string& host)
{
  write(
      docker_dir / "contexts" / "meta" / syntask::util::sha256_hex(name) / "meta.json",
      nlohmann::json{{"Name", name}, {"Endpoints", {{"docker", {{"Host", host}, {"SkipTLSVerify", false}}}}}}
          .dump());
}

} // namespace

TEST_CASE("docker::resolve_endpoint falls back to the default socket")
{
  TempDir home;
  const auto endpoint = resolve_endpoint({{"HOME", home.path().string()}});
  CHECK(endpoint.host == "unix:///var/run/docker.sock");
  CHECK(endpoint.unix_socket == "/var/run/docker.sock");
  CHECK(endpoint.base_url == "http://localhost");
  CHECK(endpoint.origin == "the default");
}

TEST_CASE("docker::resolve_endpoint takes DOCKER_HOST before any context")
{
  TempDir home;
  write(home.path() / ".docker" / "config.json", R"({"currentContext": "colima"})");
  write_context(home.path() / ".docker", "colima", "unix:///home/me/.colima/docker.sock");
  const auto endpoint =
      resolve_endpoint({{"HOME", home.path().string()}, {"DOCKER_HOST", "unix:///tmp/d/docker.sock"}});
  CHECK(endpoint.unix_socket == "/tmp/d/docker.sock");
  CHECK(endpoint.origin == "DOCKER_HOST");
}

TEST_CASE("docker::resolve_endpoint reads the current context from config.json and contexts/meta")
{
  TempDir home;
  write(home.path() / ".docker" / "config.json", R"({"currentContext": "colima"})");
  write_context(home.path() / ".docker", "colima", "unix:///home/me/.colima/docker.sock");
  write_context(home.path() / ".docker", "remote", "tcp://10.0.0.5:2375");
  const auto endpoint = resolve_endpoint({{"HOME", home.path().string()}});
  CHECK(endpoint.unix_socket == "/home/me/.colima/docker.sock");
  CHECK(endpoint.origin == "docker context 'colima'");

  SECTION("DOCKER_CONTEXT wins over currentContext")
  {
    const auto remote = resolve_endpoint({{"HOME", home.path().string()}, {"DOCKER_CONTEXT", "remote"}});
    CHECK(remote.base_url == "http://10.0.0.5:2375");
    CHECK(remote.unix_socket.empty());
  }
  SECTION("the context 'default' is the default socket")
  {
    CHECK(resolve_endpoint({{"HOME", home.path().string()}, {"DOCKER_CONTEXT", "default"}}).unix_socket ==
          "/var/run/docker.sock");
  }
  SECTION("DOCKER_CONFIG moves the whole directory")
  {
    TempDir other;
    CHECK(
        resolve_endpoint({{"HOME", home.path().string()}, {"DOCKER_CONFIG", other.path().string()}}).origin ==
        "the default");
  }
  SECTION("an unknown context is an error naming it")
  {
    try {
      resolve_endpoint({{"HOME", home.path().string()}, {"DOCKER_CONTEXT", "nope"}});
      FAIL("no error");
    } catch (const UsageError& error) {
      CHECK(std::string(error.what()).rfind("docker context 'nope' not found (no '", 0) == 0);
    }
  }
}

TEST_CASE("docker::resolve_endpoint uses TLS material for tcp hosts with DOCKER_TLS_VERIFY")
{
  TempDir certs;
  write(certs.path() / "ca.pem", "ca");
  write(certs.path() / "cert.pem", "cert");
  write(certs.path() / "key.pem", "key");
  const auto endpoint = resolve_endpoint({{"HOME", "/nonexistent"},
                                          {"DOCKER_HOST", "tcp://docker.example:2376"},
                                          {"DOCKER_TLS_VERIFY", "1"},
                                          {"DOCKER_CERT_PATH", certs.path().string()}});
  CHECK(endpoint.base_url == "https://docker.example:2376");
  CHECK(endpoint.tls_verify);
  CHECK(endpoint.ca_file == (certs.path() / "ca.pem").string());
  CHECK(endpoint.client_certificate == (certs.path() / "cert.pem").string());
  CHECK(endpoint.client_key == (certs.path() / "key.pem").string());

  const auto plain = resolve_endpoint({{"DOCKER_HOST", "tcp://docker.example"}});
  CHECK(plain.base_url == "http://docker.example:2375");
  CHECK(plain.ca_file.empty());

  CHECK_THROWS_WITH(
      resolve_endpoint({{"DOCKER_HOST", "ssh://me@host"}}),
      "unsupported docker host 'ssh://me@host': use unix:///path/to/docker.sock or tcp://HOST:PORT");
}

TEST_CASE("docker::negotiate_api_version caps the daemon's version at the client's")
{
  CHECK(negotiate_api_version("1.41") == "1.41");
  CHECK(negotiate_api_version("1.47") == std::string(k_max_api_version));
  CHECK_THROWS_WITH(negotiate_api_version("1.12"),
                    "the docker daemon speaks API 1.12, older than 1.24, the oldest syntask supports");
  CHECK_THROWS_WITH(negotiate_api_version(""), "the docker daemon announced no usable API version ('')");
}

TEST_CASE("docker::error_message makes one line of an error answer")
{
  CHECK(error_message(400, R"({"message":"dockerfile parse error line 2: unknown instruction: FOOBAR"})") ==
        "dockerfile parse error line 2: unknown instruction: FOOBAR");
  CHECK(error_message(500, "{\"message\":\"first\\nsecond\\n\"}") == "first; second");
  CHECK(error_message(404, "page not found\n") == "page not found");
  CHECK(error_message(502, "") == "HTTP 502");
}

TEST_CASE("docker::JsonLines splits objects that arrive in pieces")
{
  std::vector<nlohmann::json> messages;
  JsonLines lines([&](const nlohmann::json& message) { messages.push_back(message); });
  lines.feed(R"({"stream":"Step 1/2 : FROM bus)");
  lines.feed("ybox\\n\"}\r\n{\"aux\":{\"ID\":\"sha256:ab\"}}\n\n{\"status\"");
  CHECK(messages.size() == 2);
  lines.feed(":\"done\"}");
  lines.finish();
  REQUIRE(messages.size() == 3);
  CHECK(messages[0]["stream"] == "Step 1/2 : FROM busybox\n");
  CHECK(messages[1]["aux"]["ID"] == "sha256:ab");
  CHECK(messages[2]["status"] == "done");

  messages.clear();
  lines.feed("not json\n");
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["stream"] == "not json\n");
}

TEST_CASE("docker::StreamReport shows output live and keeps image id, digest and the first error")
{
  std::ostringstream out;
  StreamReport report(&out);
  report.handle({{"stream", "Step 1/2 : FROM busybox\n"}});
  report.handle({{"status", "The push refers to repository [127.0.0.1:5000/app]"}});
  report.handle({{"status", "Preparing"}, {"id", "abc"}, {"progressDetail", nlohmann::json::object()}});
  report.handle({{"status", "Pushing"}, {"id", "abc"}, {"progress", "[=>   ] 1MB/4MB"}});
  report.handle({{"status", "Pushing"}, {"id", "abc"}, {"progress", "[==>  ] 2MB/4MB"}});
  report.handle({{"status", "Pushed"}, {"id", "abc"}});
  report.handle({{"status", "1: digest: sha256:1111 size: 528"}});
  report.handle({{"aux", {{"Tag", "1"}, {"Digest", "sha256:2222"}, {"Size", 528}}}});
  report.handle({{"aux", {{"ID", "sha256:img"}}}});
  CHECK(out.str() == "Step 1/2 : FROM busybox\n"
                     "The push refers to repository [127.0.0.1:5000/app]\n"
                     "abc: Preparing\n"
                     "abc: Pushing [=>   ] 1MB/4MB\n"
                     "abc: Pushed\n"
                     "1: digest: sha256:1111 size: 528\n");
  CHECK(report.digest() == "sha256:2222");
  CHECK(report.image_id() == "sha256:img");
  CHECK(report.error().empty());

  report.handle({{"errorDetail", {{"message", "unauthorized: authentication required\n"}}},
                 {"error", "unauthorized: authentication required"}});
  report.handle({{"error", "second"}});
  CHECK(report.error() == "unauthorized: authentication required");
}

TEST_CASE("docker::StreamReport takes the digest from the status line of older daemons")
{
  StreamReport report(nullptr);
  report.handle({{"status", "latest: digest: sha256:abcd size: 1234"}});
  CHECK(report.digest() == "sha256:abcd");
}

TEST_CASE("docker::denied_hint only for refused access")
{
  CHECK(denied_hint("COPY failed: no such file").empty());
  CHECK(denied_hint("denied: requested access to the resource is denied") ==
        "; the registry refused access: check the login (a docker-registry-credentials block or "
        "~/.docker/config.json), that the image name is one you may push to, and that the base image may be "
        "pulled");
  CHECK_FALSE(denied_hint("unauthorized: authentication required").empty());
}

TEST_CASE("docker::is_transient_stream_error knows network trouble from refusals")
{
  CHECK(is_transient_stream_error("Put \"http://x/v2/\": read tcp: connection reset by peer"));
  CHECK(is_transient_stream_error("received unexpected HTTP status: 503 Service Unavailable"));
  CHECK_FALSE(is_transient_stream_error("unauthorized: authentication required"));
}

TEST_CASE("docker::parse_image_reference splits registry, repository, tag and digest")
{
  const auto local = parse_image_reference("127.0.0.1:5000/team/app:1.0");
  CHECK(local.registry == "127.0.0.1:5000");
  CHECK(local.repository == "team/app");
  CHECK(local.tag == "1.0");
  CHECK(local.name == "127.0.0.1:5000/team/app");

  const auto hub = parse_image_reference("python:3.11-slim");
  CHECK(hub.registry == "docker.io");
  CHECK(hub.repository == "library/python");
  CHECK(hub.tag == "3.11-slim");
  CHECK(hub.name == "python");

  const auto pinned = parse_image_reference("localhost/app@sha256:abc");
  CHECK(pinned.registry == "localhost");
  CHECK(pinned.digest == "sha256:abc");
  CHECK(pinned.tag.empty());
  CHECK(parse_image_reference("me/app").registry == "docker.io");
}

TEST_CASE("docker::LogDemuxer splits stdout and stderr frames that arrive in pieces")
{
  std::string out;
  std::string err;
  LogDemuxer demuxer([&](std::string_view text) { out += text; },
                     [&](std::string_view text) { err += text; });
  const std::string frames = std::string("\x01\0\0\0\0\0\0\x06hello\n", 14) +
                             std::string("\x02\0\0\0\0\0\0\x04oops", 12) +
                             std::string("\x01\0\0\0\0\0\0\x03"
                                         "bye",
                                         11);
  demuxer.feed(frames.substr(0, 5));
  CHECK(out.empty());
  demuxer.feed(frames.substr(5, 17));
  CHECK(out == "hello\n");
  demuxer.feed(frames.substr(22));
  CHECK(out == "hello\nbye");
  CHECK(err == "oops");
}
