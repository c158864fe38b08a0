// SPDX-License-Identifier: Apache-2.0
// The two metadata sources at the end of the AWS credential chain: the ECS / EKS container endpoint and
// the EC2 instance metadata service (IMDSv2).
#include <syntask/error.hpp>
#include <syntask/http/client.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include <nlohmann/json.hpp>

#include "storage/aws_credentials.hpp"
#include <cstdio>
#include <ctime>

namespace syntask::storage::aws {

namespace {

constexpr const char* k_container_host = "http://169.254.170.2";
constexpr const char* k_imds_ipv4 = "http://169.254.169.254";
constexpr const char* k_imds_ipv6 = "http://[fd00:ec2::254]";
constexpr const char* k_imds_token_ttl = "21600";

std::string env(const char* name)
{
  return util::trim(util::get_env(name).value_or(""));
}

// The host of an http(s) URL, lowercased, brackets kept for IPv6.
std::string url_host(std::string_view url)
{
  auto start = url.find("://");
  auto rest = start == std::string_view::npos ? url : url.substr(start + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    rest = rest.substr(at + 1);
  }
  if (!rest.empty() && rest.front() == '[') {
    return util::to_lower(rest.substr(0, rest.find(']') + 1));
  }
  return util::to_lower(rest.substr(0, rest.find(':')));
}

bool allowed_plain_http_host(const std::string& host)
{
  return host == "localhost" || util::starts_with(host, "127.") || host == "[::1]" ||
         host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

// The credentials document both endpoints return.
TemporaryKeys parse_keys(const std::string& body, const std::string& source)
{
  auto document = nlohmann::json::parse(body, nullptr, false);
  if (!document.is_object()) {
    throw RemoteError(source + " did not return a JSON object", false);
  }
  auto field = [&](const char* name) {
    auto found = document.find(name);
    return found != document.end() && found->is_string() ? found->get<std::string>() : std::string{};
  };
  if (auto code = field("Code"); !code.empty() && code != "Success") {
    throw RemoteError(source + " answered with code " + util::quoted(code), false);
  }
  TemporaryKeys out;
  out.keys = {field("AccessKeyId"), field("SecretAccessKey"), field("Token")};
  if (out.keys.access_key_id.empty() || out.keys.secret_access_key.empty()) {
    throw RemoteError(source + " returned no AccessKeyId and SecretAccessKey", false);
  }
  out.expires = parse_iso8601(field("Expiration"));
  util::Redactor::global().add_secret(out.keys.secret_access_key);
  util::Redactor::global().add_secret(out.keys.session_token);
  return out;
}

http::ClientOptions metadata_client_options()
{
  http::ClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(1000);
  options.stall_timeout = std::chrono::milliseconds(5000);
  options.max_attempts = 2;
  options.first_backoff = std::chrono::milliseconds(100);
  return options;
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text)
{
  std::tm parts{};
  char separator = 0;
  int consumed = 0;
  std::string value(util::trim(text));
  if (std::sscanf(value.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
                  &separator, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &consumed) != 7 ||
      (separator != 'T' && separator != 't' && separator != ' ')) {
    return std::nullopt;
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  auto seconds = timegm(&parts);
  std::string_view rest = std::string_view(value).substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      rest.remove_prefix(1);
    }
  }
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int hours = 0;
    int minutes = 0;
    if (std::sscanf(std::string(rest.substr(1)).c_str(), "%2d:%2d", &hours, &minutes) != 2) {
      return std::nullopt;
    }
    auto offset = (hours * 60 + minutes) * 60;
    seconds += rest[0] == '+' ? -offset : offset;
  } else if (rest != "Z" && rest != "z" && !rest.empty()) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(seconds);
}

std::optional<std::string> container_credentials_url()
{
  auto full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  auto relative = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  if (!relative.empty()) {
    return std::string(k_container_host) + (util::starts_with(relative, "/") ? "" : "/") + relative;
  }
  if (full.empty()) {
    return std::nullopt;
  }
  auto scheme = util::to_lower(full.substr(0, full.find("://")));
  if (scheme == "https") {
    return full;
  }
  if (scheme == "http" && allowed_plain_http_host(url_host(full))) {
    return full;
  }
  throw ConfigError("AWS_CONTAINER_CREDENTIALS_FULL_URI: " + util::quoted(util::redact_url(full)) +
                    " must use https or a loopback or ECS/EKS container host");
}

TemporaryKeys fetch_container_keys(const std::string& url)
{
  std::string token;
  if (auto file = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !file.empty()) {
    token = util::trim(util::read_file(file));
  } else {
    token = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (token.find_first_of("\r\n") != std::string::npos) {
    throw ConfigError("AWS_CONTAINER_AUTHORIZATION_TOKEN: the token must be one line");
  }
  util::Redactor::global().add_secret(token);

  http::Client client(metadata_client_options());
  http::Request request;
  request.url = url;
  request.headers.emplace_back("Accept", "application/json");
  if (!token.empty()) {
    request.headers.emplace_back("Authorization", token);
  }
  auto source = "the container credentials endpoint " + util::quoted(util::redact_url(url));
  auto response = client.send(request);
  if (response.status != 200) {
    throw RemoteError(source + " answered HTTP " + std::to_string(response.status),
                      http::is_transient_status(response.status));
  }
  return parse_keys(response.body, source);
}

std::optional<TemporaryKeys> fetch_instance_keys()
{
  if (util::to_lower(env("AWS_EC2_METADATA_DISABLED")) == "true") {
    return std::nullopt;
  }
  std::string base = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (base.empty()) {
    base =
        util::to_lower(env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")) == "ipv6" ? k_imds_ipv6 : k_imds_ipv4;
  }
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  const std::string source = "the EC2 instance metadata service";

  auto options = metadata_client_options();
  options.max_attempts = 1;
  http::Client client(options);
  http::Request token_request;
  token_request.method = "PUT";
  token_request.url = base + "/latest/api/token";
  token_request.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", k_imds_token_ttl);
  token_request.timeout = std::chrono::milliseconds(2000);
  http::Response token_response;
  try {
    token_response = client.send(token_request);
  } catch (const RemoteError&) {
    // Nothing answers off EC2: the chain simply has no instance keys.
    return std::nullopt;
  }
  if (token_response.status != 200) {
    throw RemoteError(source + " refused a session token (HTTP " + std::to_string(token_response.status) +
                          ")",
                      http::is_transient_status(token_response.status));
  }
  auto token = util::trim(token_response.body);
  util::Redactor::global().add_secret(token);

  auto get = [&](const std::string& path) {
    http::Request request;
    request.url = base + path;
    request.headers.emplace_back("X-aws-ec2-metadata-token", token);
    request.timeout = std::chrono::milliseconds(2000);
    return client.send(request);
  };
  auto roles = get("/latest/meta-data/iam/security-credentials/");
  if (roles.status == 404) {
    return std::nullopt; // an instance without a role
  }
  if (roles.status != 200) {
    throw RemoteError(source + " answered HTTP " + std::to_string(roles.status) + " for the instance's role",
                      http::is_transient_status(roles.status));
  }
  auto role = util::trim(roles.body.substr(0, roles.body.find('\n')));
  if (role.empty()) {
    return std::nullopt;
  }
  auto keys = get("/latest/meta-data/iam/security-credentials/" + role);
  if (keys.status != 200) {
    throw RemoteError(source + " answered HTTP " + std::to_string(keys.status) + " for the keys of role " +
                          util::quoted(role),
                      http::is_transient_status(keys.status));
  }
  return parse_keys(keys.body, source);
}

} // namespace syntask::storage::aws
