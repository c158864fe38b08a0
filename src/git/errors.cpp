// SPDX-License-Identifier: Apache-2.0
// libgit2 set-up and its failures as one-line messages.
#include <syntask/util/fs.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/strings.hpp>

#include "git/session.hpp"
#include <mutex>

namespace syntask::git::detail {

namespace {

// libssh2 before 1.11 signs with RSA only as ssh-rsa (SHA-1), which OpenSSH 8.8 and later and the big
// hosting services refuse; the key then looks wrong although it is right.
std::string rsa_signature_hint()
{
#ifdef SYNTASK_LIBSSH2_RSA_SHA1_ONLY
  return " (an RSA key was offered: this build's libssh2 signs RSA with SHA-1, which current servers "
         "refuse; use an ed25519 or ecdsa key)";
#else
  return "";
#endif
}

bool contains_any(const std::string& text, std::initializer_list<std::string_view> needles)
{
  for (const auto needle : needles) {
    if (text.find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to)
{
  if (from.empty()) {
    return text;
  }
  for (auto position = text.find(from); position != std::string::npos; position = text.find(from, position)) {
    text.replace(position, from.size(), to);
    position += to.size();
  }
  return text;
}

} // namespace

void ensure_libgit2()
{
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // A clone's objects all came through libgit2's indexer, which hashed each one to name it; hashing
    // every object again on each read (libgit2's default) only slows the checkout down.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    // Every id syntask hands to libgit2 (index entries, references) names an object it has just read
    // from the same repository; checking that the object exists again, for each of thousands of index
    // entries, only slows a new clone down.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
  });
}

void apply_ca_environment()
{
  // libgit2 is built with mbedTLS here, which reads no CA environment variables by itself. The setting
  // is process-wide, so it is changed only when the variable changed (never under a running clone
  // of the same process unless the environment itself was changed).
  static std::mutex mutex;
  static std::string applied;
  for (const char* name : {"GIT_SSL_CAINFO", "SSL_CERT_FILE"}) {
    if (const auto file = util::get_env(name); file && !file->empty()) {
      const std::lock_guard lock(mutex);
      if (*file != applied) {
        git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file->c_str(), nullptr);
        applied = *file;
      }
      break;
    }
  }
}

std::string last_error_message(const std::string& fallback)
{
  const auto* error = git_error_last();
  if (error == nullptr || error->message == nullptr || *error->message == '\0') {
    return fallback;
  }
  return util::trim(error->message);
}

void check(int code, const std::string& what)
{
  if (code < 0) {
    throw RemoteError(what + ": " + last_error_message(), false);
  }
}

RemoteError translate_error(int code, const Session& session)
{
  // A fetch stopped by Ctrl-C fails like any other: the interrupt is the one to report, never retried.
  util::throw_if_interrupted();
  const auto* last = git_error_last();
  const int klass = last != nullptr ? last->klass : GIT_ERROR_NONE;
  // libgit2 messages may quote the URL it was given; show the display form instead.
  const auto message = replace_all(last_error_message(), session.connect_url, session.display_url);
  const auto lower = util::to_lower(message);
  const auto url = util::quoted(session.display_url);
  if (session.host_key_unknown) {
    return RemoteError(
        "host key of " + util::quoted(session.host_key_host) +
            " is unknown: add it to ~/.ssh/known_hosts (ssh-keyscan) or to the file named by "
            "SYNTASK_SSH_KNOWN_HOSTS, or set SYNTASK_SSH_INSECURE_HOST_KEY=1 to skip the check",
        false);
  }
  if (session.host_key_changed) {
    return RemoteError("host key of " + util::quoted(session.host_key_host) +
                           " does not match the one in known_hosts",
                       false);
  }
  if (code == GIT_ECERTIFICATE || klass == GIT_ERROR_SSL || lower.find("certificate") != std::string::npos) {
    return RemoteError("TLS certificate of " + url + " is not trusted (" + message +
                           "); set GIT_SSL_CAINFO to the CA bundle that signs it",
                       false);
  }
  if (code == GIT_EAUTH || session.credentials_exhausted || session.asked_without_credentials ||
      contains_any(lower, {"authentication", "401", "403", "permission denied", "credentials"})) {
    const bool none = session.asked_without_credentials && !session.credentials_exhausted;
    return RemoteError("authentication failed for " + url + (none ? " (no credentials were given)" : "") +
                           (session.offered_rsa_key ? rsa_signature_hint() : ""),
                       false);
  }
  if (contains_any(lower, {"404", "not found", "no such repository", "does not appear to be a git repository",
                           "could not find repository", "failed to resolve path", "not a git repository",
                           "repository not exported"})) {
    return RemoteError("repository " + url + " not found", false);
  }
  if (klass == GIT_ERROR_NET || klass == GIT_ERROR_SSH || klass == GIT_ERROR_HTTP ||
      contains_any(lower, {"failed to connect", "connection refused", "could not resolve",
                           "failed to resolve", "timed out", "timeout", "unreachable", "connection reset",
                           "early eof", "unexpected http status code: 5", "broken pipe"})) {
    return RemoteError("network unreachable: cannot reach " + url + " (" + message + ")", true);
  }
  return RemoteError("cannot fetch " + url + ": " + message, false);
}

} // namespace syntask::git::detail
