// SPDX-License-Identifier: Apache-2.0
// Private: what one conversation with a remote needs (credentials, host-key state) and the libgit2
// callbacks that use it, plus turning libgit2 failures into one-line RemoteErrors.
#pragma once

#include <syntask/git/clone.hpp>

#include <git2.h>

#include <memory>
#include <string>

namespace syntask::git::detail {

/// Initialises libgit2 once per process.
void ensure_libgit2();

/// Applies GIT_SSL_CAINFO / SSL_CERT_FILE to libgit2 (process-wide) when they changed since the last
/// call. Called right before connecting: parsing a CA bundle is not free, and a pull that finds
/// everything in the cache connects to nothing.
void apply_ca_environment();

struct Session {
  RepositoryUrl url;
  std::string connect_url; ///< the URL handed to libgit2: never with user-info
  std::string display_url; ///< the URL messages show
  std::optional<HttpCredentials> credentials;
  // Credential callback state: libgit2 calls again after each refusal.
  int http_tries = 0;
  std::size_t ssh_next = 0;
  bool asked_without_credentials = false;
  bool credentials_exhausted = false;
  bool offered_rsa_key = false; ///< an RSA key file was offered (see rsa_signature_hint)
  // Host-key check results for the message.
  bool host_key_unknown = false;
  bool host_key_changed = false;
  std::string host_key_host;
};

Session make_session(const std::string& repository, const std::string& display_url,
                     const std::optional<HttpCredentials>& credentials);

/// Fills credential and certificate callbacks that read `session` (which must outlive their use).
void set_callbacks(git_remote_callbacks& callbacks, Session& session);

/// The one-line error for a failed libgit2 call `code` (reads git_error_last()). Throws Interrupted
/// instead when an interrupt stopped the call.
RemoteError translate_error(int code, const Session& session);

/// Checks an SSH host key against ~/.ssh/known_hosts and SYNTASK_SSH_KNOWN_HOSTS.
enum class HostKeyStatus { known, unknown, changed };
HostKeyStatus check_host_key(const std::string& host, int port, const std::string& key_blob);

/// The last libgit2 error message, or `fallback`.
std::string last_error_message(const std::string& fallback = "unknown error");

/// unique_ptr deleters for libgit2 objects.
struct Free {
  void operator()(git_repository* p) const { git_repository_free(p); }
  void operator()(git_remote* p) const { git_remote_free(p); }
  void operator()(git_reference* p) const { git_reference_free(p); }
  void operator()(git_object* p) const { git_object_free(p); }
  void operator()(git_commit* p) const { git_commit_free(p); }
  void operator()(git_tree* p) const { git_tree_free(p); }
  void operator()(git_blob* p) const { git_blob_free(p); }
  void operator()(git_index* p) const { git_index_free(p); }
  void operator()(git_config* p) const { git_config_free(p); }
  void operator()(git_submodule* p) const { git_submodule_free(p); }
};
template <typename T> using Ptr = std::unique_ptr<T, Free>;

/// Throws `error` unless `code` is 0 (a local operation: any failure is a plain RemoteError).
void check(int code, const std::string& what);

} // namespace syntask::git::detail
