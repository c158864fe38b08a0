// SPDX-License-Identifier: Apache-2.0
// Registry credentials: a block when the step names one, else what `docker login` left in config.json.
#include "docker/registry_auth.hpp"

#include <syntask/error.hpp>
#include <syntask/util/base64.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::docker {

namespace {

void register_secrets(const RegistryCredentials& credentials, util::Redactor* redactor)
{
  if (redactor != nullptr) {
    redactor->add_secret(credentials.password);
    redactor->add_secret(credentials.identity_token);
  }
}

nlohmann::json read_config(const Environment& environment)
{
  const auto file = config_directory(environment) / "config.json";
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    return nlohmann::json::object();
  }
  try {
    auto json = nlohmann::json::parse(util::read_file(file));
    return json.is_object() ? json : nlohmann::json::object();
  } catch (const nlohmann::json::exception& problem) {
    throw UsageError("cannot parse " + util::quoted(file.string()) + ": " + problem.what());
  }
}

// The server address a helper and the daemon know a registry by.
std::string server_address(std::string_view registry)
{
  return registry_host(registry) == "docker.io" ? std::string(k_docker_hub_server) : registry_host(registry);
}

std::optional<RegistryCredentials> from_helper(const Environment& environment, const std::string& helper,
                                               const std::string& server)
{
  const auto program = "docker-credential-" + helper;
  util::ProcessOptions options;
  options.environment = environment;
  // run_process gives children no stdin of ours, so a shell hands the server name to the helper.
  const auto result =
      util::run_process({"/bin/sh", "-c", "printf '%s' \"$1\" | \"$0\" get", program, server}, options);
  if (result.exit_code == 127) {
    throw RemoteError("credential helper " + util::quoted(program) + " not found on PATH", false);
  }
  if (result.exit_code != 0) {
    const auto said = util::trim(result.stdout_text + result.stderr_text);
    if (util::to_lower(said).find("credentials not found") != std::string::npos) {
      return std::nullopt;
    }
    throw RemoteError("credential helper " + util::quoted(program) + " failed for " + util::quoted(server) +
                          ": " + util::Redactor::global().scrub(util::split(said, '\n').front()),
                      false);
  }
  nlohmann::json answer;
  try {
    answer = nlohmann::json::parse(result.stdout_text);
  } catch (const nlohmann::json::exception&) {
    throw RemoteError("credential helper " + util::quoted(program) + " answered something other than JSON",
                      false);
  }
  RegistryCredentials credentials;
  credentials.server_address = server;
  const auto username = answer.value("Username", std::string());
  const auto secret = answer.value("Secret", std::string());
  if (username == "<token>") {
    credentials.identity_token = secret;
  } else {
    credentials.username = username;
    credentials.password = secret;
  }
  if (credentials.username.empty() && credentials.password.empty() && credentials.identity_token.empty()) {
    return std::nullopt;
  }
  return credentials;
}

std::optional<RegistryCredentials> from_auths_entry(const std::string& key, const nlohmann::json& entry)
{
  if (!entry.is_object()) {
    return std::nullopt;
  }
  RegistryCredentials credentials;
  credentials.server_address = key;
  if (const auto auth = entry.value("auth", std::string()); !auth.empty()) {
    const auto decoded = util::base64_decode(auth);
    const auto colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      throw UsageError("the 'auth' entry for " + util::quoted(key) +
                       " in the docker config is not base64 of 'user:password'");
    }
    credentials.username = decoded->substr(0, colon);
    credentials.password = decoded->substr(colon + 1);
  } else {
    credentials.username = entry.value("username", std::string());
    credentials.password = entry.value("password", std::string());
  }
  credentials.identity_token = entry.value("identitytoken", std::string());
  if (credentials.username.empty() && credentials.password.empty() && credentials.identity_token.empty()) {
    return std::nullopt;
  }
  return credentials;
}

std::string helper_for(const nlohmann::json& config, const std::string& host)
{
  if (const auto helpers = config.find("credHelpers"); helpers != config.end() && helpers->is_object()) {
    for (const auto& [key, value] : helpers->items()) {
      if (registry_host(key) == host && value.is_string()) {
        return value.get<std::string>();
      }
    }
  }
  return config.value("credsStore", std::string());
}

} // namespace

std::string registry_host(std::string_view url_or_host)
{
  std::string host = util::to_lower(util::trim(url_or_host));
  if (const auto scheme = host.find("://"); scheme != std::string::npos) {
    host.erase(0, scheme + 3);
  }
  if (const auto slash = host.find('/'); slash != std::string::npos) {
    host.resize(slash);
  }
  if (host == "index.docker.io" || host == "registry-1.docker.io" || host == "registry.hub.docker.com" ||
      host.empty()) {
    return "docker.io";
  }
  return host;
}

RegistryCredentials credentials_from_block(const nlohmann::json& block, util::Redactor* redactor)
{
  if (!block.is_object()) {
    throw UsageError("'credentials' must be a docker-registry-credentials block");
  }
  RegistryCredentials credentials;
  for (const char* field : {"username", "password", "registry_url"}) {
    const auto found = block.find(field);
    if (found == block.end() || !found->is_string() || found->get<std::string>().empty()) {
      throw UsageError("the docker-registry-credentials block has no '" + std::string(field) + "'");
    }
  }
  credentials.username = block["username"].get<std::string>();
  credentials.password = block["password"].get<std::string>();
  credentials.server_address = server_address(block["registry_url"].get<std::string>());
  register_secrets(credentials, redactor);
  return credentials;
}

std::optional<RegistryCredentials>
credentials_from_config(const Environment& environment, std::string_view registry, util::Redactor* redactor)
{
  const auto config = read_config(environment);
  const auto host = registry_host(registry);
  std::optional<RegistryCredentials> credentials;
  if (const auto helper = helper_for(config, host); !helper.empty()) {
    credentials = from_helper(environment, helper, server_address(registry));
  }
  if (!credentials) {
    if (const auto auths = config.find("auths"); auths != config.end() && auths->is_object()) {
      for (const auto& [key, entry] : auths->items()) {
        if (registry_host(key) == host) {
          credentials = from_auths_entry(key, entry);
          if (credentials) {
            break;
          }
        }
      }
    }
  }
  if (credentials) {
    register_secrets(*credentials, redactor);
  }
  return credentials;
}

std::map<std::string, RegistryCredentials> all_config_credentials(const Environment& environment,
                                                                  util::Redactor* redactor)
{
  const auto config = read_config(environment);
  std::vector<std::string> registries;
  for (const char* section : {"auths", "credHelpers"}) {
    if (const auto found = config.find(section); found != config.end() && found->is_object()) {
      for (const auto& [key, value] : found->items()) {
        registries.push_back(registry_host(key));
      }
    }
  }
  std::map<std::string, RegistryCredentials> all;
  for (const auto& registry : registries) {
    if (all.count(registry) == 0) {
      if (auto credentials = credentials_from_config(environment, registry, redactor)) {
        all.emplace(registry, std::move(*credentials));
      }
    }
  }
  return all;
}

std::string registry_auth_header(const std::optional<RegistryCredentials>& credentials)
{
  if (!credentials) {
    return "e30=";
  }
  nlohmann::json json = nlohmann::json::object();
  if (!credentials->identity_token.empty()) {
    json["identitytoken"] = credentials->identity_token;
  } else {
    json["username"] = credentials->username;
    json["password"] = credentials->password;
  }
  json["serveraddress"] = credentials->server_address;
  return util::base64url_encode(json.dump());
}

std::string registry_config_header(const std::map<std::string, RegistryCredentials>& credentials)
{
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [registry, entry] : credentials) {
    nlohmann::json item{{"serveraddress", entry.server_address}};
    if (!entry.identity_token.empty()) {
      item["identitytoken"] = entry.identity_token;
    } else {
      item["username"] = entry.username;
      item["password"] = entry.password;
    }
    json[server_address(registry)] = item;
  }
  return util::base64url_encode(json.dump());
}

} // namespace syntask::docker
