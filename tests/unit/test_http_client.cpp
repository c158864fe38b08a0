// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/http/client.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "support/local_server.hpp"
#include <fstream>

namespace http = syntask::http;
using syntask::test::LocalServer;
using syntask::test::support_file;

namespace {

LocalServer start_server()
{
  return LocalServer({"python3", support_file("http_test_server.py")});
}

std::filesystem::path scratch_file(const std::string& name)
{
  const auto dir = std::filesystem::temp_directory_path() / ("syntask-http-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

http::Response get(http::Client& client, const std::string& url, http::BodySink* sink = nullptr)
{
  http::Request request;
  request.url = url;
  request.sink = sink;
  return client.send(request);
}

} // namespace

TEST_CASE("http::percent_encode keeps unreserved characters only")
{
  CHECK(http::percent_encode("a b/c~d.e_f-g") == "a%20b%2Fc~d.e_f-g");
  CHECK(http::percent_encode("a b/c", true) == "a%20b/c");
  CHECK(http::percent_encode("\xc3\xa9") == "%C3%A9");
  CHECK(http::percent_decode("a%20b%2fc+%zz%") == "a b/c+%zz%");
}

TEST_CASE("http::find_header ignores case")
{
  const http::Headers headers{{"Content-Type", "text/plain"}, {"ETag", "\"x\""}};
  CHECK(http::find_header(headers, "content-type") == "text/plain");
  CHECK(http::find_header(headers, "etag") == "\"x\"");
  CHECK_FALSE(http::find_header(headers, "date").has_value());
}

TEST_CASE("http::Client streams bodies both ways and keeps error bodies")
{
  const auto server = start_server();
  http::Client client;

  SECTION("a download goes to the sink, with progress")
  {
    const auto file = scratch_file("download.bin");
    http::FileSink sink(file);
    std::int64_t progress = 0;
    http::Request request;
    request.url = server.url() + "/bytes/300000";
    request.sink = &sink;
    request.on_progress = [&](std::int64_t bytes) { progress += bytes; };
    const auto response = client.send(request);
    sink.close();
    CHECK(response.status == 200);
    CHECK(response.body.empty());
    CHECK(std::filesystem::file_size(file) == 300000);
    CHECK(progress == 300000);
  }

  SECTION("an upload streams from a file range; POST gets no form content type")
  {
    const auto file = scratch_file("upload.bin");
    {
      std::ofstream out(file, std::ios::binary);
      for (int i = 0; i < 100000; ++i) {
        out << "0123456789";
      }
    }
    http::FileSource source(file, 10, 20);
    http::Request request;
    request.method = "POST";
    request.url = server.url() + "/echo";
    request.body = &source;
    const auto response = client.send(request);
    REQUIRE(response.status == 200);
    const auto echo = nlohmann::json::parse(response.body);
    CHECK(echo["method"] == "POST");
    CHECK(echo["length"] == 20);
    CHECK(echo["sha256"] == "4e76ad8354461437c04ef9b9b242540b6406d782ff2c3fb28afdab5b423f88fe");
    CHECK_FALSE(echo["headers"].contains("content-type"));
    CHECK_FALSE(echo["headers"].contains("expect"));
  }

  SECTION("an error status keeps its body out of the sink")
  {
    const auto file = scratch_file("never.bin");
    std::filesystem::remove(file);
    http::FileSink sink(file);
    const auto response = get(client, server.url() + "/status/403", &sink);
    CHECK(response.status == 403);
    CHECK(response.body == "error body 403");
    CHECK_FALSE(std::filesystem::exists(file));
  }

  SECTION("an empty download still makes the file")
  {
    const auto file = scratch_file("empty.bin");
    std::filesystem::remove(file);
    http::FileSink sink(file);
    get(client, server.url() + "/bytes/0", &sink);
    sink.close();
    CHECK(std::filesystem::file_size(file) == 0);
  }
}

TEST_CASE("http::Client retries transient statuses and gives up after max_attempts")
{
  const auto server = start_server();
  http::ClientOptions options;
  options.first_backoff = std::chrono::milliseconds(1);
  options.max_attempts = 3;
  http::Client client(options);
  int signed_times = 0;

  http::Request request;
  request.url = server.url() + "/flaky/a/2";
  request.sign = [&](http::Request& r) {
    ++signed_times;
    r.headers.emplace_back("X-Attempt", std::to_string(signed_times));
  };
  const auto response = client.send(request);
  CHECK(response.status == 200);
  CHECK(response.body == "ok");
  CHECK(signed_times == 3);
  CHECK(request.headers.size() == 1); // each attempt starts from the headers as given

  CHECK(get(client, server.url() + "/flaky/b/5").status == 503);
  CHECK(get(client, server.url() + "/count/b").body == "3");
  CHECK(get(client, server.url() + "/status/404").status == 404);
}

TEST_CASE("http::Client reports connection failures as transient remote errors without credentials")
{
  http::ClientOptions options;
  options.first_backoff = std::chrono::milliseconds(1);
  options.max_attempts = 2;
  http::Client client(options);
  http::Request request;
  // Port 1 on loopback: nothing listens there.
  request.url = "http://user:hunter22@127.0.0.1:1/x";
  try {
    client.send(request);
    FAIL("no error");
  } catch (const syntask::RemoteError& error) {
    CHECK(error.transient());
    CHECK_THAT(error.what(), Catch::Matchers::StartsWith("GET http://********@127.0.0.1:1/x failed: "));
    CHECK(std::string(error.what()).find("hunter22") == std::string::npos);
  }
}

TEST_CASE("http::Client corrects its clock by the server's Date")
{
  const auto server = start_server();
  http::Client client;
  get(client, server.url() + "/skewed");
  const auto ahead = client.now() - std::chrono::system_clock::now();
  CHECK(ahead > std::chrono::minutes(59));
  CHECK(ahead < std::chrono::minutes(61));
  get(client, server.url() + "/bytes/1");
  CHECK(std::chrono::abs(client.now() - std::chrono::system_clock::now()) < std::chrono::seconds(5));
}
