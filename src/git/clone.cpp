// SPDX-License-Identifier: Apache-2.0
// clone_repository: destination checks, retries, the cache or a direct fetch, then the working clone,
// written beside the destination and renamed into place only when complete.
#include <syntask/util/fs.hpp>
#include <syntask/util/retry.hpp>
#include <syntask/util/strings.hpp>

#include "git/cache.hpp"
#include "git/checkout.hpp"
#include "git/fetch.hpp"
#include <atomic>
#include <chrono>
#include <ostream>
#include <unistd.h>

namespace syntask::git {

namespace {

using detail::Fetched;
using detail::Ptr;
using detail::Session;

/// Removes a temporary clone unless it was moved into place.
class TemporaryDirectory {
public:
  explicit TemporaryDirectory(std::filesystem::path path) : m_path(std::move(path)) {}
  ~TemporaryDirectory()
  {
    if (!m_path.empty()) {
      std::error_code error;
      std::filesystem::remove_all(m_path, error);
    }
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  void release() { m_path.clear(); }

private:
  std::filesystem::path m_path;
};

std::filesystem::path temporary_sibling(const std::filesystem::path& destination)
{
  static std::atomic<unsigned> counter{0};
  return destination.parent_path() / ("." + destination.filename().string() + ".syntask-tmp-" +
                                      std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

/// Compares origin URLs the way users think of them: without user-info, a trailing "/" or ".git".
std::string comparable_url(std::string_view url)
{
  auto text = parse_repository_url(url).without_userinfo;
  while (!text.empty() && text.back() == '/') {
    text.pop_back();
  }
  if (util::ends_with(text, ".git")) {
    text.resize(text.size() - 4);
  }
  return text;
}

/// Whether the destination already holds a clone to update (true), is free (false), or holds
/// something else (throws).
bool is_existing_clone(const std::filesystem::path& destination, const Session& session)
{
  std::error_code error;
  if (!std::filesystem::exists(destination, error)) {
    return false;
  }
  if (std::filesystem::is_directory(destination, error) && std::filesystem::is_empty(destination, error)) {
    return false;
  }
  const auto refuse = [&] {
    return StepError("destination " + util::quoted(destination.string()) + " exists and is not a clone of " +
                     util::quoted(session.display_url));
  };
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, destination.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0) {
    throw refuse();
  }
  const Ptr<git_repository> repo(raw);
  git_remote* remote_raw = nullptr;
  if (git_remote_lookup(&remote_raw, repo.get(), "origin") < 0) {
    throw refuse();
  }
  const Ptr<git_remote> remote(remote_raw);
  const char* url = git_remote_url(remote.get());
  if (url == nullptr || comparable_url(url) != comparable_url(session.url.without_userinfo)) {
    throw refuse();
  }
  return true;
}

template <typename Function> auto with_retries(const CloneOptions& options, Function function)
{
  const util::RetryPolicy policy{
      options.attempts, std::chrono::milliseconds(static_cast<long long>(options.backoff_seconds * 1000)),
      std::chrono::seconds(30), false};
  return util::with_retries(
      policy, function,
      [&options](int attempt, const std::exception& error, std::chrono::milliseconds delay) {
        if (options.diagnostics != nullptr) {
          *options.diagnostics << "attempt " << attempt << " of " << options.attempts
                               << " failed: " << error.what() << "; retrying in "
                               << static_cast<double>(delay.count()) / 1000 << " s\n";
        }
      });
}

Ptr<git_repository> open_or_init(const std::filesystem::path& path, bool create)
{
  git_repository* raw = nullptr;
  if (create) {
    detail::check(git_repository_init(&raw, path.c_str(), 0), "cannot create " + util::quoted(path.string()));
  } else {
    detail::check(git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
                  "cannot open " + util::quoted(path.string()));
  }
  return Ptr<git_repository>(raw);
}

std::string oid_text(const git_oid& oid)
{
  char text[GIT_OID_MAX_HEXSIZE + 1] = {};
  git_oid_tostr(text, sizeof text, &oid);
  return text;
}

bool cache_enabled(const CloneOptions& options)
{
  return options.use_cache && util::get_env("SYNTASK_GIT_NO_CACHE").value_or("") != "1" &&
         !options.cache_root.empty();
}

} // namespace

CloneResult clone_repository(const CloneOptions& options)
{
  detail::ensure_libgit2();
  const auto probe = detail::make_session(options.repository, options.display_url, options.credentials);
  const auto& destination = options.destination;
  const bool update = is_existing_clone(destination, probe);
  std::filesystem::create_directories(destination.parent_path());
  std::optional<TemporaryDirectory> temporary;
  if (!update) {
    temporary.emplace(temporary_sibling(destination));
  }
  const auto target = update ? destination : temporary->path();
  if (options.diagnostics != nullptr) {
    *options.diagnostics << (update ? "updating " : "cloning ") << util::quoted(probe.display_url)
                         << (options.branch.empty() ? "" : " (" + options.branch + ")") << " into "
                         << util::quoted(destination.string()) << "\n";
  }
  detail::FetchRequest request{options.branch, options.commit_sha, options.depth, detail::RefLayout::working};
  Fetched fetched;
  Ptr<git_repository> repo;
  std::filesystem::path snapshots;
  if (cache_enabled(options)) {
    request.layout = detail::RefLayout::mirror;
    const auto key = cache_key(options.repository);
    const detail::CacheLock lock(options.cache_root / (key + ".lock"));
    detail::record_cache_url(options.cache_root, key, probe.display_url);
    const auto mirror_path = options.cache_root / (key + ".git");
    snapshots = options.cache_root / (key + ".snapshots");
    {
      const auto mirror = detail::open_mirror(mirror_path);
      // A pinned commit the mirror holds is exactly what the remote would give: no need to ask it.
      if (auto local = detail::local_revision(mirror.get(), probe, request)) {
        fetched = *local;
      } else {
        fetched = with_retries(options, [&] {
          auto session = probe;
          return detail::fetch_revision(mirror.get(), session, request);
        });
      }
    }
    if (!update) {
      open_or_init(target, true).reset();
    }
    detail::share_objects(mirror_path, target / ".git");
    repo = open_or_init(target, false);
  } else {
    repo = open_or_init(target, !update);
    fetched = with_retries(options, [&] {
      auto session = probe;
      return detail::fetch_revision(repo.get(), session, request);
    });
  }
  detail::write_working_clone(repo.get(), probe, fetched, options, !update, snapshots);
  repo.reset();
  if (temporary) {
    std::error_code error;
    if (std::filesystem::is_directory(destination, error)) {
      std::filesystem::remove(destination, error); // an empty directory, checked above
    }
    std::filesystem::rename(temporary->path(), destination);
    temporary->release();
  }
  return {destination, oid_text(fetched.commit)};
}

} // namespace syntask::git
