// SPDX-License-Identifier: Apache-2.0
// Private: registry credentials as the docker CLI finds them, and the headers that carry them to the
// daemon (X-Registry-Auth for push and pull, X-Registry-Config for a build's base images).
#pragma once

#include <syntask/docker/engine.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace syntask::util {
class Redactor;
}

namespace syntask::docker {

struct RegistryCredentials {
  std::string username;
  std::string password;
  std::string identity_token; ///< instead of username/password (a helper's "<token>" user)
  std::string server_address; ///< as the login names the registry
};

/// The key docker matches registries by: scheme, path and trailing '/' dropped, lowercase, and Docker Hub's
/// names (docker.io, index.docker.io, registry-1.docker.io, https://index.docker.io/v1/) all "docker.io".
std::string registry_host(std::string_view url_or_host);

/// Docker Hub's server address as logins and credential helpers know it.
inline constexpr std::string_view k_docker_hub_server = "https://index.docker.io/v1/";

/// Credentials from a docker-registry-credentials block (username, password, registry_url, reauth).
/// Throws syntask::UsageError naming a missing field. The password is registered with `redactor`.
RegistryCredentials credentials_from_block(const nlohmann::json& block, util::Redactor* redactor);

/// Credentials for `registry` (a host or image registry) from DOCKER_CONFIG/config.json: its credHelpers
/// entry, else credsStore, else its `auths` entry (base64 `auth` "user:password", or username/password, or
/// identitytoken). Helpers run as `docker-credential-NAME get` with the server on stdin; "not found" answers
/// mean none. nullopt when nothing is known. Secrets are registered with `redactor`. Throws syntask::Error
/// for a config that cannot be parsed or a helper that fails otherwise.
std::optional<RegistryCredentials>
credentials_from_config(const Environment& environment, std::string_view registry, util::Redactor* redactor);

/// Every registry config.json knows credentials for (auths keys, credHelpers keys), each resolved.
std::map<std::string, RegistryCredentials> all_config_credentials(const Environment& environment,
                                                                  util::Redactor* redactor);

/// The X-Registry-Auth value: base64url JSON of the credentials, "e30=" ({}) when there are none.
std::string registry_auth_header(const std::optional<RegistryCredentials>& credentials);

/// The X-Registry-Config value: base64url JSON {SERVER: {username, password, serveraddress}}; Docker Hub
/// appears under https://index.docker.io/v1/ as the daemon looks it up.
std::string registry_config_header(const std::map<std::string, RegistryCredentials>& credentials);

} // namespace syntask::docker
