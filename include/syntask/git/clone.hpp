// SPDX-License-Identifier: Apache-2.0
// Cloning a git repository with libgit2: HTTPS tokens per provider, SSH keys and known_hosts, shallow
// and pinned checkouts, sparse directories, submodules, and a per-URL bare mirror cache under
// SYNTASK_HOME/git-cache. Used by the git_clone step.
#pragma once

#include <syntask/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::git {

/// Who hosts a repository; decides how a token becomes a user name and password.
enum class Provider { generic, github, gitlab, bitbucket };

/// The provider a credentials block type names (github-credentials, gitlab-credentials,
/// bitbucket-credentials); nullopt for any other type.
std::optional<Provider> provider_from_block_type(std::string_view block_type);

/// The provider guessed from a host name ("gitlab" or "bitbucket" anywhere in it; "github" likewise);
/// generic otherwise.
Provider provider_from_host(std::string_view host);

/// A user name and password for HTTP basic authentication.
struct HttpCredentials {
  std::string username;
  std::string password;
};

/// How a token is presented: GitHub and generic hosts take the token alone (user "x-access-token");
/// GitLab "oauth2:TOKEN"; Bitbucket "x-token-auth:TOKEN". A token written "USER:TOKEN" (deploy tokens,
/// app passwords), or a non-empty `username`, gives that user instead.
HttpCredentials token_credentials(Provider provider, std::string_view token, std::string_view username = "");

/// Credentials from a resolved credentials block (fields token, password, access_token, username).
/// Throws StepError when the block holds no token or password.
HttpCredentials block_credentials(Provider provider, const nlohmann::json& block);

/// The parts of a clone URL syntask cares about. Handles scheme URLs (https, http, ssh, git, file) and
/// the scp-like form user@host:path; a plain path is a local repository.
struct RepositoryUrl {
  std::string scheme;   ///< "https", "http", "ssh", "git", "file" or "" for a local path
  std::string username; ///< user-info user (percent-decoded); "" when none
  std::string password; ///< user-info password (percent-decoded); "" when none
  std::string host;     ///< "" for local paths
  int port = 0;         ///< 0 when not given
  std::string path;
  std::string without_userinfo; ///< the URL with any user-info removed (what is stored and shown)
};
RepositoryUrl parse_repository_url(std::string_view url);

/// The last path segment of a clone URL with ".git" removed: the default clone directory name.
std::string repository_name(std::string_view url);

/// The cache directory name for a repository URL: hex SHA-256 of the URL with user-info removed.
std::string cache_key(std::string_view url);

/// What to clone and how.
struct CloneOptions {
  std::string repository; ///< the URL as given; user-info in it is used as credentials, never stored
  std::string branch;     ///< a branch or tag; "" for the remote's default branch
  std::string commit_sha; ///< full or abbreviated commit to check out exactly; "" to follow the branch
  int depth = 1;          ///< commits of history to fetch; 0 for all
  bool include_submodules = false;
  std::vector<std::string> directories; ///< when not empty, only these paths are checked out
  std::filesystem::path destination;    ///< absolute path of the working clone
  std::optional<HttpCredentials> credentials;
  bool use_cache = true;
  std::filesystem::path cache_root; ///< where mirrors live (SYNTASK_HOME/git-cache)
  std::string display_url; ///< the URL as messages show it (redacted); derived from repository when ""
  std::ostream* diagnostics = nullptr; ///< progress lines; nullptr for none
  int attempts = 3;                    ///< tries for transient network failures
  double backoff_seconds = 1.0;        ///< first retry delay; doubled after each failure
};

struct CloneResult {
  std::filesystem::path directory; ///< = options.destination
  std::string commit_sha;          ///< the full id of the checked-out commit
};

/// Clones into a temporary sibling of the destination and renames it into place when complete; when
/// the destination already holds a clone of the same repository it is fetched and checked out
/// instead. Throws RemoteError with one line ("authentication failed for 'URL'", "repository 'URL'
/// not found", "branch 'B' not found in 'URL'", "commit 'C' not found in 'URL'", "host key of 'HOST'
/// is not in known_hosts ...", "cannot reach 'URL': ...") or StepError for a destination holding
/// something else. Environment: SYNTASK_SSH_KEY (a private key file), SYNTASK_SSH_KNOWN_HOSTS (an extra
/// known_hosts file), SYNTASK_SSH_INSECURE_HOST_KEY=1 (accept any host key), GIT_SSL_CAINFO or
/// SSL_CERT_FILE (CA bundle for HTTPS).
CloneResult clone_repository(const CloneOptions& options);

/// The clone cache's folder under SYNTASK_HOME.
inline constexpr std::string_view k_clone_cache_folder = "git-cache";

/// One repository in the clone cache: its bare mirror and tree snapshots.
struct CachedRepository {
  std::string key; ///< cache_key() of its URL: the names of its files in the cache
  std::string url; ///< as messages show it, without credentials; "" when not recorded
  std::uint64_t bytes = 0;
  std::filesystem::file_time_type last_used; ///< the last pull that used it
};

/// The repositories in `cache_root`, most recently used first; none when it does not exist.
std::vector<CachedRepository> list_clone_cache(const std::filesystem::path& cache_root);

/// Removes a repository from the cache once no pull is using it (pulls hold the same lock), unless a
/// pull used it after `used_before` (one that ran while this waited, say); the next pull of it clones
/// anew. Returns whether it was removed; throws syntask::Error naming a file it cannot remove.
bool remove_from_clone_cache(
    const std::filesystem::path& cache_root, const std::string& key,
    std::filesystem::file_time_type used_before = std::filesystem::file_time_type::max());

} // namespace syntask::git
