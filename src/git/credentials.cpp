// SPDX-License-Identifier: Apache-2.0
// Credentials: how each provider wants a token, and libgit2's credential callback (HTTP basic auth,
// SSH agent and key files). Credentials live only in memory and reach libgit2 through the callback.
#include <syntask/util/fs.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/strings.hpp>

#include <git2/sys/errors.h>

#include "git/session.hpp"
#include <filesystem>
#include <fstream>

namespace syntask::git {

std::optional<Provider> provider_from_block_type(std::string_view block_type)
{
  if (block_type == "github-credentials") {
    return Provider::github;
  }
  if (block_type == "gitlab-credentials") {
    return Provider::gitlab;
  }
  if (block_type == "bitbucket-credentials") {
    return Provider::bitbucket;
  }
  return std::nullopt;
}

Provider provider_from_host(std::string_view host)
{
  const auto lower = util::to_lower(host);
  if (lower.find("gitlab") != std::string::npos) {
    return Provider::gitlab;
  }
  if (lower.find("bitbucket") != std::string::npos) {
    return Provider::bitbucket;
  }
  if (lower.find("github") != std::string::npos) {
    return Provider::github;
  }
  return Provider::generic;
}

HttpCredentials token_credentials(Provider provider, std::string_view token, std::string_view username)
{
  if (!username.empty()) {
    return {std::string(username), std::string(token)};
  }
  // "USER:TOKEN" (deploy tokens, app passwords, and tokens already carrying their prefix).
  if (const auto colon = token.find(':'); colon != std::string_view::npos) {
    return {std::string(token.substr(0, colon)), std::string(token.substr(colon + 1))};
  }
  switch (provider) {
  case Provider::gitlab:
    return {"oauth2", std::string(token)};
  case Provider::bitbucket:
    return {"x-token-auth", std::string(token)};
  case Provider::github:
  case Provider::generic:
    break;
  }
  // GitHub ignores the user name of a token; x-access-token is the name its app tokens use.
  return {"x-access-token", std::string(token)};
}

HttpCredentials block_credentials(Provider provider, const nlohmann::json& block)
{
  const auto text = [&](const char* key) -> std::string {
    const auto found = block.find(key);
    return found != block.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  auto token = text("access_token");
  if (token.empty()) {
    token = text("token");
  }
  if (token.empty()) {
    token = text("password");
  }
  if (token.empty()) {
    throw StepError("the credentials hold no 'token' or 'password'");
  }
  return token_credentials(provider, token, text("username"));
}

namespace detail {

namespace {

/// Whether a key file holds an RSA key: its public half says so, or (without one) the file name does.
bool is_rsa_key(const std::string& private_key, const std::string& public_key)
{
  if (!public_key.empty()) {
    std::ifstream in(public_key);
    std::string type;
    in >> type;
    return type == "ssh-rsa";
  }
  return std::filesystem::path(private_key).filename().string().find("rsa") != std::string::npos;
}

/// Key files to offer, in order; "" stands for the SSH agent.
std::vector<std::string> ssh_candidates()
{
  if (const auto key = util::get_env("SYNTASK_SSH_KEY"); key && !key->empty()) {
    return {*key};
  }
  std::vector<std::string> candidates;
  if (const auto agent = util::get_env("SSH_AUTH_SOCK"); agent && !agent->empty()) {
    candidates.emplace_back();
  }
  if (const auto home = util::get_env("HOME"); home && !home->empty()) {
    for (const char* name : {"id_ed25519", "id_ecdsa", "id_rsa"}) {
      const auto path = std::filesystem::path(*home) / ".ssh" / name;
      std::error_code error;
      if (std::filesystem::is_regular_file(path, error)) {
        candidates.push_back(path.string());
      }
    }
  }
  return candidates;
}

int ssh_credential(git_credential** out, const char* username, Session& session)
{
  const auto candidates = ssh_candidates();
  if (session.ssh_next >= candidates.size()) {
    session.credentials_exhausted = true;
    if (candidates.empty()) {
      session.asked_without_credentials = true;
    }
    git_error_set_str(GIT_ERROR_SSH, "no SSH key was accepted");
    return GIT_EAUTH;
  }
  const auto& candidate = candidates[session.ssh_next++];
  if (candidate.empty()) {
    return git_credential_ssh_key_from_agent(out, username);
  }
  const auto public_key = candidate + ".pub";
  std::error_code error;
  const bool has_public = std::filesystem::is_regular_file(public_key, error);
  if (is_rsa_key(candidate, has_public ? public_key : std::string())) {
    session.offered_rsa_key = true;
  }
  const auto passphrase = util::get_env("SYNTASK_SSH_KEY_PASSPHRASE");
  return git_credential_ssh_key_new(out, username, has_public ? public_key.c_str() : nullptr,
                                    candidate.c_str(), passphrase ? passphrase->c_str() : nullptr);
}

int credential_callback(git_credential** out, const char* url, const char* username_from_url,
                        unsigned int allowed_types, void* payload)
{
  auto& session = *static_cast<Session*>(payload);
  std::string username = username_from_url != nullptr ? username_from_url : "";
  if ((allowed_types & GIT_CREDENTIAL_SSH_KEY) != 0U) {
    if (username.empty()) {
      username = session.url.username.empty() ? "git" : session.url.username;
    }
    return ssh_credential(out, username.c_str(), session);
  }
  if ((allowed_types & GIT_CREDENTIAL_USERNAME) != 0U) {
    return git_credential_username_new(out, username.empty() ? "git" : username.c_str());
  }
  if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) != 0U) {
    // Only the repository's own host gets the credentials (submodules may live elsewhere).
    const bool same_host =
        url == nullptr || util::to_lower(parse_repository_url(url).host) == util::to_lower(session.url.host);
    if (!session.credentials || !same_host) {
      session.asked_without_credentials = true;
      git_error_set_str(GIT_ERROR_HTTP, "authentication required");
      return GIT_EAUTH;
    }
    if (session.http_tries++ > 0) {
      session.credentials_exhausted = true;
      git_error_set_str(GIT_ERROR_HTTP, "credentials refused");
      return GIT_EAUTH;
    }
    return git_credential_userpass_plaintext_new(out, session.credentials->username.c_str(),
                                                 session.credentials->password.c_str());
  }
  return GIT_PASSTHROUGH;
}

int certificate_callback(git_cert* cert, int /*valid*/, const char* host, void* payload)
{
  if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2) {
    return GIT_PASSTHROUGH; // TLS: libgit2's own verification against the configured CA stands
  }
  auto& session = *static_cast<Session*>(payload);
  if (util::get_env("SYNTASK_SSH_INSECURE_HOST_KEY").value_or("") == "1") {
    return 0;
  }
  session.host_key_host = host != nullptr ? host : session.url.host;
  const auto* hostkey = reinterpret_cast<const git_cert_hostkey*>(cert);
  if ((hostkey->type & GIT_CERT_SSH_RAW) == 0) {
    session.host_key_unknown = true;
    return GIT_ECERTIFICATE;
  }
  switch (check_host_key(session.host_key_host, session.url.port,
                         std::string(hostkey->hostkey, hostkey->hostkey_len))) {
  case HostKeyStatus::known:
    return 0;
  case HostKeyStatus::changed:
    session.host_key_changed = true;
    return GIT_ECERTIFICATE;
  case HostKeyStatus::unknown:
    break;
  }
  session.host_key_unknown = true;
  return GIT_ECERTIFICATE;
}

} // namespace

Session make_session(const std::string& repository, const std::string& display_url,
                     const std::optional<HttpCredentials>& credentials)
{
  Session session;
  session.url = parse_repository_url(repository);
  session.connect_url = session.url.without_userinfo;
  session.display_url = display_url.empty() ? session.url.without_userinfo : display_url;
  session.credentials = credentials;
  // A token written into an http(s) URL is used like any other credential, never passed on in the URL.
  if (!session.credentials && (session.url.scheme == "https" || session.url.scheme == "http") &&
      !session.url.username.empty()) {
    if (session.url.password.empty()) {
      session.credentials = token_credentials(provider_from_host(session.url.host), session.url.username, "");
    } else {
      session.credentials = HttpCredentials{session.url.username, session.url.password};
    }
  }
  return session;
}

// libgit2 calls these as data arrives: a non-zero return stops the fetch, which then fails with
// GIT_EUSER and translate_error reports the interrupt.
int stop_on_interrupt(const git_indexer_progress*, void*)
{
  return util::interrupt_requested() ? -1 : 0;
}

int stop_on_interrupt_sideband(const char*, int, void*)
{
  return util::interrupt_requested() ? -1 : 0;
}

void set_callbacks(git_remote_callbacks& callbacks, Session& session)
{
  callbacks.transfer_progress = &stop_on_interrupt;
  callbacks.sideband_progress = &stop_on_interrupt_sideband;
  callbacks.credentials = &credential_callback;
  callbacks.certificate_check = &certificate_callback;
  callbacks.payload = &session;
}

} // namespace detail

} // namespace syntask::git
