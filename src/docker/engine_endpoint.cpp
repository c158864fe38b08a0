// SPDX-License-Identifier: Apache-2.0
// Finding the daemon as the docker CLI does (docker-py ignores contexts, which breaks Docker Desktop and
// colima users whose socket is not /var/run/docker.sock).
#include <syntask/docker/engine.hpp>
#include <syntask/error.hpp>
#include <syntask/util/digest.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include <cstdio>

namespace syntask::docker {

namespace {

constexpr std::string_view k_default_host = "unix:///var/run/docker.sock";

std::string env_value(const Environment& environment, const std::string& name)
{
  const auto found = environment.find(name);
  return found == environment.end() ? std::string() : found->second;
}

nlohmann::json read_json_file(const std::filesystem::path& file)
{
  try {
    return nlohmann::json::parse(util::read_file(file));
  } catch (const nlohmann::json::exception& error) {
    throw UsageError("cannot parse " + util::quoted(file.string()) + ": " + error.what());
  }
}

std::string current_context(const Environment& environment)
{
  if (auto name = env_value(environment, "DOCKER_CONTEXT"); !name.empty()) {
    return name;
  }
  const auto config = config_directory(environment) / "config.json";
  std::error_code error;
  if (!std::filesystem::is_regular_file(config, error)) {
    return "";
  }
  const auto json = read_json_file(config);
  const auto found = json.find("currentContext");
  return found != json.end() && found->is_string() ? found->get<std::string>() : std::string();
}

Endpoint context_endpoint(const Environment& environment, const std::string& name)
{
  const auto directory = config_directory(environment) / "contexts";
  const auto meta_file = directory / "meta" / util::sha256_hex(name) / "meta.json";
  std::error_code error;
  if (!std::filesystem::is_regular_file(meta_file, error)) {
    throw UsageError("docker context " + util::quoted(name) + " not found (no " +
                     util::quoted(meta_file.string()) + ")");
  }
  const auto meta = read_json_file(meta_file);
  const auto docker = meta.value(nlohmann::json::json_pointer("/Endpoints/docker"), nlohmann::json::object());
  const auto host = docker.value("Host", std::string());
  if (host.empty()) {
    throw UsageError("docker context " + util::quoted(name) + " has no docker endpoint");
  }
  // The context's TLS material lives under contexts/tls/<hash>/docker/.
  const auto tls_directory = directory / "tls" / util::sha256_hex(name) / "docker";
  const bool skip_verify = docker.value("SkipTLSVerify", false);
  const bool has_tls = std::filesystem::exists(tls_directory, error);
  return endpoint_from_host(host, has_tls, has_tls && !skip_verify, tls_directory,
                            "docker context " + util::quoted(name));
}

} // namespace

std::filesystem::path config_directory(const Environment& environment)
{
  if (auto value = env_value(environment, "DOCKER_CONFIG"); !value.empty()) {
    return value;
  }
  return std::filesystem::path(env_value(environment, "HOME")) / ".docker";
}

Endpoint endpoint_from_host(std::string_view host, bool tls, bool tls_verify,
                            const std::filesystem::path& cert_directory, std::string origin)
{
  Endpoint endpoint;
  endpoint.host = std::string(host);
  endpoint.origin = std::move(origin);
  if (util::starts_with(host, "unix://")) {
    endpoint.unix_socket = std::string(host.substr(7));
    endpoint.base_url = "http://localhost";
    if (endpoint.unix_socket.empty()) {
      throw UsageError("docker host " + util::quoted(host) + " names no socket");
    }
    return endpoint;
  }
  std::string_view rest;
  if (util::starts_with(host, "tcp://")) {
    rest = host.substr(6);
  } else if (util::starts_with(host, "http://")) {
    rest = host.substr(7);
    tls = false;
  } else if (util::starts_with(host, "https://")) {
    rest = host.substr(8);
    tls = true;
  } else {
    throw UsageError("unsupported docker host " + util::quoted(host) +
                     ": use unix:///path/to/docker.sock or tcp://HOST:PORT");
  }
  while (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  if (rest.empty()) {
    throw UsageError("docker host " + util::quoted(host) + " names no address");
  }
  std::string address(rest);
  if (address.find(':') == std::string::npos) {
    address += tls ? ":2376" : ":2375";
  }
  endpoint.base_url = (tls ? "https://" : "http://") + address;
  if (tls) {
    endpoint.tls_verify = tls_verify;
    std::error_code error;
    const auto in_directory = [&](const char* name) {
      const auto file = cert_directory / name;
      return std::filesystem::is_regular_file(file, error) ? file.string() : std::string();
    };
    if (tls_verify) {
      endpoint.ca_file = in_directory("ca.pem");
    }
    endpoint.client_certificate = in_directory("cert.pem");
    endpoint.client_key = in_directory("key.pem");
  }
  return endpoint;
}

Endpoint resolve_endpoint(const Environment& environment)
{
  if (auto host = env_value(environment, "DOCKER_HOST"); !host.empty()) {
    const auto verify = env_value(environment, "DOCKER_TLS_VERIFY");
    const bool tls_verify = !verify.empty() && verify != "0" && util::to_lower(verify) != "false";
    auto cert_path = env_value(environment, "DOCKER_CERT_PATH");
    const std::filesystem::path cert_directory =
        cert_path.empty() ? config_directory(environment) : std::filesystem::path(cert_path);
    return endpoint_from_host(host, tls_verify, tls_verify, cert_directory, "DOCKER_HOST");
  }
  if (auto name = current_context(environment); !name.empty() && name != "default") {
    return context_endpoint(environment, name);
  }
  return endpoint_from_host(k_default_host, false, false, {}, "the default");
}

} // namespace syntask::docker
