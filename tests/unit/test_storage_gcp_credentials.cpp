// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/base64.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/gcp_credentials.hpp"
#include "storage/gcp_token.hpp"
#include "support/env_scope.hpp"
#include <csignal>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace syntask;
using namespace syntask::storage;
using syntask::test::EnvScope;

namespace {

namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& action)
{
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

std::string read_text(const fs::path& file)
{
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string run(const std::string& command)
{
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe)) {
    out.append(buffer, n);
  }
  REQUIRE(::pclose(pipe) == 0);
  return out;
}

// __FILE__ may be relative to the build folder the binary sits in.
fs::path this_file()
{
  const fs::path file(__FILE__);
  return file.is_absolute() ? file : fs::read_symlink("/proc/self/exe").parent_path() / file;
}

// A throwaway RSA key made with openssl, removed with its folder.
struct TestKey {
  fs::path dir = fs::temp_directory_path() /
                 ("syntask-gcp-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
  std::string pem;
  std::string modulus_hex;

  TestKey()
  {
    fs::create_directories(dir);
    run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out '" + (dir / "key.pem").string() +
        "' 2>/dev/null");
    pem = read_text(dir / "key.pem");
    auto modulus = run("openssl rsa -in '" + (dir / "key.pem").string() + "' -noout -modulus");
    modulus = modulus.substr(modulus.find('=') + 1);
    modulus_hex = modulus.substr(0, modulus.find_first_of("\r\n"));
  }
  ~TestKey() { fs::remove_all(dir); }

  nlohmann::json service_account(const std::string& token_uri) const
  {
    return {{"type", "service_account"},
            {"project_id", "demo"},
            {"private_key_id", "key-1"},
            {"private_key", pem},
            {"client_email", "tester@demo.iam.gserviceaccount.com"},
            {"client_id", "123"},
            {"token_uri", token_uri}};
  }
};

// The token endpoint of tests/support/gcp_token_server.py, stopped by its PID.
struct TokenServer {
  pid_t pid = -1;
  int port = 0;

  explicit TokenServer(const TestKey& key)
  {
    const auto port_file = key.dir / "port";
    const auto script =
        (this_file().parent_path().parent_path() / "support" / "gcp_token_server.py").string();
    pid = ::fork();
    if (pid == 0) {
      ::execlp("python3", "python3", script.c_str(), port_file.c_str(), key.modulus_hex.c_str(), "65537",
               static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Python can take seconds to start on a busy machine.
    for (int i = 0; i < 600 && !fs::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!fs::exists(port_file)) {
      stop();
      FAIL("the token endpoint did not start");
    }
    port = std::stoi(read_text(port_file));
  }
  ~TokenServer() { stop(); }
  void stop()
  {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
      pid = -1;
    }
  }
  std::string token_uri() const { return "http://127.0.0.1:" + std::to_string(port) + "/token"; }
};

} // namespace

TEST_CASE("storage::gcp service_account_info as an object or a JSON string, or a key file")
{
  EnvScope no_emulator("STORAGE_EMULATOR_HOST", std::nullopt);
  const TestKey key;
  util::Redactor redactor;
  StoreLocation location;
  location.bucket = "b";
  location.redactor = &redactor;
  location.credentials_label = "gcp-credentials/dev";

  location.credentials = {{"service_account_info", key.service_account("https://example.invalid/token")}};
  auto credentials = resolve_gcp_credentials(location);
  CHECK(credentials.kind == GcpCredentials::Kind::service_account);
  CHECK(credentials.client_email == "tester@demo.iam.gserviceaccount.com");
  CHECK(credentials.token_uri == "https://example.invalid/token");
  CHECK(credentials.project == "demo");
  CHECK(credentials.source == "gcp-credentials/dev");
  CHECK(redactor.contains_secret("x" + key.pem));

  location.credentials = {
      {"service_account_info", key.service_account("https://example.invalid/token").dump()},
      {"project", "other"}};
  credentials = resolve_gcp_credentials(location);
  CHECK(credentials.private_key == key.pem);
  CHECK(credentials.project == "other");

  std::ofstream(key.dir / "sa.json") << key.service_account("https://example.invalid/token").dump();
  location.credentials = {{"service_account_file", (key.dir / "sa.json").string()}};
  CHECK(resolve_gcp_credentials(location).client_email == "tester@demo.iam.gserviceaccount.com");

  location.credentials = {{"service_account_info", "{not json"}};
  CHECK(error_of([&] { resolve_gcp_credentials(location); }) ==
        "gcp-credentials/dev: service_account_info is a string that does not hold a JSON key");
  location.credentials = {{"service_account_info", {{"type", "service_account"}, {"client_email", "e"}}}};
  CHECK(error_of([&] { resolve_gcp_credentials(location); }) ==
        "gcp-credentials/dev: service_account_info: the key has no private_key");
  location.credentials = {{"service_account_info", {{"type", "external_account"}}}};
  CHECK(error_of([&] { resolve_gcp_credentials(location); }) ==
        "gcp-credentials/dev: service_account_info: credentials of type 'external_account' are not supported "
        "(use "
        "'service_account' or 'authorized_user')");
  location.credentials = {{"service_account_file", (key.dir / "missing.json").string()}};
  CHECK(error_of([&] { resolve_gcp_credentials(location); }) ==
        "gcp-credentials/dev: service_account_file: cannot read '" + (key.dir / "missing.json").string() +
            "'");
}

TEST_CASE("storage::gcp environment: GOOGLE_APPLICATION_CREDENTIALS, authorized_user, the emulator")
{
  const TestKey key;
  EnvScope no_emulator("STORAGE_EMULATOR_HOST", std::nullopt);
  EnvScope config("CLOUDSDK_CONFIG", (key.dir / "gcloud").string());
  StoreLocation location;
  location.bucket = "b";
  {
    EnvScope no_adc("GOOGLE_APPLICATION_CREDENTIALS", std::nullopt);
    CHECK(error_of([&] { resolve_gcp_credentials(location); }) ==
          "no google cloud credentials: give the step a gcp-credentials block, set "
          "GOOGLE_APPLICATION_CREDENTIALS, "
          "or run 'gcloud auth application-default login'");
    fs::create_directories(key.dir / "gcloud");
    std::ofstream(key.dir / "gcloud" / "application_default_credentials.json")
        << R"({"type": "authorized_user", "client_id": "client-1", "client_secret": "secret-1",
              "refresh_token": "refresh-1"})";
    const auto credentials = resolve_gcp_credentials(location);
    CHECK(credentials.kind == GcpCredentials::Kind::authorized_user);
    CHECK(credentials.token_uri == "https://oauth2.googleapis.com/token");
  }
  std::ofstream(key.dir / "sa.json") << key.service_account("https://example.invalid/token").dump();
  EnvScope adc("GOOGLE_APPLICATION_CREDENTIALS", (key.dir / "sa.json").string());
  auto credentials = resolve_gcp_credentials(location);
  CHECK(credentials.kind == GcpCredentials::Kind::service_account);
  CHECK(credentials.source == "the GOOGLE_APPLICATION_CREDENTIALS environment variable");

  EnvScope emulator("STORAGE_EMULATOR_HOST", std::string("127.0.0.1:9199/"));
  location.credentials = {{"service_account_info", key.service_account("https://example.invalid/token")}};
  credentials = resolve_gcp_credentials(location);
  CHECK(credentials.kind == GcpCredentials::Kind::anonymous);
  CHECK(credentials.endpoint == "http://127.0.0.1:9199");
}

TEST_CASE("storage::gcp the service-account assertion is an RS256 JWT over the expected claims")
{
  const TestKey key;
  auto credentials = parse_gcp_key(key.service_account("https://oauth2.example/token"), "key");
  credentials.source = "key";
  const auto when = std::chrono::system_clock::from_time_t(1795438228);
  const auto jwt = make_service_account_assertion(credentials, when);
  const auto first_dot = jwt.find('.');
  const auto second_dot = jwt.find('.', first_dot + 1);
  REQUIRE(second_dot != std::string::npos);
  CHECK(jwt.substr(0, first_dot) ==
        util::base64url_encode(R"({"alg":"RS256","kid":"key-1","typ":"JWT"})", false));
  CHECK(jwt.substr(first_dot + 1, second_dot - first_dot - 1) ==
        util::base64url_encode(R"({"aud":"https://oauth2.example/token","exp":1795441828,"iat":1795438228,)"
                               R"("iss":"tester@demo.iam.gserviceaccount.com",)"
                               R"("scope":"https://www.googleapis.com/auth/cloud-platform"})",
                               false));
  // Verified with openssl against the public half.
  std::ofstream(key.dir / "input", std::ios::binary) << jwt.substr(0, second_dot);
  auto signature = jwt.substr(second_dot + 1);
  for (char& c : signature) {
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  signature.append((4 - signature.size() % 4) % 4, '=');
  std::ofstream(key.dir / "signature", std::ios::binary) << *util::base64_decode(signature);
  run("openssl pkey -in '" + (key.dir / "key.pem").string() + "' -pubout -out '" +
      (key.dir / "pub.pem").string() + "'");
  CHECK(run("openssl dgst -sha256 -verify '" + (key.dir / "pub.pem").string() + "' -signature '" +
            (key.dir / "signature").string() + "' '" + (key.dir / "input").string() + "'") ==
        "Verified OK\n");

  CHECK(error_of([] { rs256_sign("not a key", "data", "gcp-credentials/x"); }) ==
        "gcp-credentials/x: private_key is not a PEM RSA private key");
}

TEST_CASE("storage::gcp tokens come from the token endpoint and are cached")
{
  const TestKey key;
  const TokenServer server(key);
  http::Client client;

  auto credentials = parse_gcp_key(key.service_account(server.token_uri()), "key");
  credentials.source = "gcp-credentials/dev";
  GcpTokenSource tokens(credentials);
  CHECK(tokens.token(client, "gs://b") == "token-1");
  CHECK(tokens.token(client, "gs://b") == "token-1");
  tokens.invalidate();
  CHECK(tokens.token(client, "gs://b") == "token-2");

  auto user = parse_gcp_key({{"type", "authorized_user"},
                             {"client_id", "client-1"},
                             {"client_secret", "secret-1"},
                             {"refresh_token", "refresh-1"},
                             {"token_uri", server.token_uri()}},
                            "adc");
  user.source = "adc";
  GcpTokenSource user_tokens(user);
  CHECK(user_tokens.token(client, "gs://b") == "token-3");

  // A key the endpoint does not know: its signature does not verify.
  const TestKey stranger;
  auto wrong = parse_gcp_key(stranger.service_account(server.token_uri()), "key");
  wrong.source = "gcp-credentials/dev";
  GcpTokenSource wrong_tokens(wrong);
  CHECK(error_of([&] { wrong_tokens.token(client, "gs://b"); }) ==
        "access denied by gs://b: check the credentials in gcp-credentials/dev (the token endpoint said "
        "'invalid_grant')");
}
