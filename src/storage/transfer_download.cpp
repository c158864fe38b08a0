// SPDX-License-Identifier: Apache-2.0
// download_tree: check the manifest, pick the safe keys, download into a temporary sibling directory,
// verify, then rename into place.
#include <syntask/storage/transfer.hpp>
#include <syntask/util/strings.hpp>

#include "storage/transfer_support.hpp"
#include <algorithm>
#include <cstdio>
#include <future>
#include <map>
#include <optional>
#include <random>

namespace syntask::storage {

namespace {

namespace fs = std::filesystem;

struct Wanted {
  std::string key;
  std::string relative_path;
  const ManifestEntry* entry = nullptr; // nullptr: no manifest, nothing to verify against
};

std::string short_digest(const std::string& digest)
{
  const auto colon = digest.find(':');
  return digest.substr(0, std::min(digest.size(), (colon == std::string::npos ? 0 : colon + 1) + 12));
}

[[noreturn]] void changed(const std::string& where, const std::string& why)
{
  throw RemoteError("the code in " + where + " changed since it was deployed (" + why +
                        "): redeploy to run the current code",
                    false);
}

// A fresh directory beside target (same file system, so the final moves are renames); inside target when
// its parent cannot be written.
fs::path make_staging_directory(const fs::path& target)
{
  std::random_device seed;
  std::mt19937_64 random(seed());
  std::error_code error;
  for (int tries = 0; tries < 20; ++tries) {
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, "%012llx",
                  static_cast<unsigned long long>(random() & 0xffffffffffffULL));
    const auto name = "." + target.filename().string() + ".syntask-pull-" + suffix;
    for (const auto& parent : {target.parent_path(), target}) {
      if (parent.empty() || target.filename().empty()) {
        continue;
      }
      const auto candidate = parent / name;
      if (fs::create_directory(candidate, error) && !error) {
        return candidate;
      }
    }
  }
  throw detail::TransferError("cannot create a temporary directory beside " + util::quoted(target.string()));
}

// Removes the staging directory however the pull ends.
struct Staging {
  fs::path path;
  ~Staging()
  {
    std::error_code error;
    fs::remove_all(path, error);
  }
};

// Makes every parent of target/relative a real directory. A file or symlink standing where a directory
// is needed is replaced: following a symlink here could write outside the target.
void make_parents(const fs::path& target, const std::string& relative)
{
  auto segments = util::split(relative, '/');
  segments.pop_back();
  auto path = target;
  for (const auto& segment : segments) {
    path /= segment;
    std::error_code error;
    const auto status = fs::symlink_status(path, error);
    if (fs::is_directory(status)) {
      continue;
    }
    if (fs::exists(status) || fs::is_symlink(status)) {
      fs::remove(path, error);
    }
    fs::create_directory(path, error);
    if (error && !fs::is_directory(fs::symlink_status(path))) {
      throw detail::TransferError("cannot create directory " + util::quoted(path.string()) + ": " +
                                  error.message());
    }
  }
}

void move_into_place(const fs::path& staged, const fs::path& final_path)
{
  std::error_code error;
  const auto status = fs::symlink_status(final_path, error);
  if (fs::is_directory(status)) {
    fs::remove_all(final_path, error);
  }
  fs::rename(staged, final_path, error);
  if (error) {
    throw detail::TransferError("cannot move the pulled file into " + util::quoted(final_path.string()) +
                                ": " + error.message());
  }
}

// "a" as a file and "a/b" as a file cannot both be written.
void check_no_file_directory_clash(std::vector<Wanted>& wanted, const std::string& where)
{
  std::sort(wanted.begin(), wanted.end(),
            [](const Wanted& a, const Wanted& b) { return a.relative_path < b.relative_path; });
  std::vector<std::string> paths;
  for (const auto& item : wanted) {
    paths.push_back(item.relative_path);
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    const auto below = path + "/";
    const auto next = std::lower_bound(paths.begin(), paths.end(), below);
    if (next != paths.end() && util::starts_with(*next, below)) {
      throw detail::TransferError(util::quoted(path) + " in " + where + " is both a file and a directory");
    }
  }
}

} // namespace

DownloadResult download_tree(ObjectStore& store, const DownloadOptions& options)
{
  DownloadResult result;
  const auto prefix = folder_prefix(options.folder);
  const auto manifest_key = prefix + std::string(k_manifest_name);
  const auto where = store.describe() + "/" + normalize_folder(options.folder);
  auto warn = [&](const std::string& line) {
    result.warnings.push_back(line);
    if (options.diagnostics != nullptr) {
      *options.diagnostics << "syntask: warning: " << line << '\n';
    }
  };

  const auto text = store.get_bytes(manifest_key);
  if (text) {
    result.manifest_digest = manifest_digest(*text);
  }
  if (!options.expected_digest.empty()) {
    if (!text) {
      changed(where, "its manifest is missing");
    }
    if (result.manifest_digest != options.expected_digest) {
      changed(where, "manifest " + short_digest(options.expected_digest) + " expected, " +
                         short_digest(result.manifest_digest) + " found");
    }
  }
  std::optional<Manifest> manifest;
  if (text) {
    manifest = Manifest::decode(*text, store.describe() + "/" + manifest_key);
  }

  // Every listed key of the folder except directory markers and the manifest.
  const auto list_folder = [&prefix, &manifest_key](ObjectStore& connection) {
    std::map<std::string, ObjectInfo, std::less<>> listed;
    connection.list(prefix, [&](const ObjectInfo& object) {
      if (!object.is_directory_marker && object.key != manifest_key &&
          util::starts_with(object.key, prefix)) {
        listed.emplace(object.key, object);
      }
    });
    return listed;
  };

  std::vector<Wanted> wanted;
  // With a manifest the files to pull are known before the listing: it runs on a connection of its own
  // beside the downloads and is checked when they are done. Without one, the listing is the list.
  std::unique_ptr<ObjectStore> listing_connection; // outlives `listing`, whose thread uses it
  std::future<std::map<std::string, ObjectInfo, std::less<>>> listing;
  if (manifest) {
    for (const auto& entry : manifest->files) {
      const auto key = prefix + entry.path;
      const auto check = check_key(key, prefix);
      if (!check.problem.empty()) {
        throw RemoteError("invalid manifest " + util::quoted(store.describe() + "/" + manifest_key) +
                              ": file " + util::quoted(entry.path) +
                              " would be written outside the target: " + check.problem,
                          false);
      }
      wanted.push_back({key, entry.path, &entry});
    }
    listing_connection = store.connect_again();
    listing = std::async(std::launch::async, list_folder, std::ref(*listing_connection));
  } else {
    warn(where + " has no manifest (" + std::string(k_manifest_name) +
         "): pulling every file in it without verification");
    for (const auto& [key, object] : list_folder(store)) {
      const auto check = check_key(key, prefix);
      if (!check.problem.empty()) {
        warn("skipped " + util::quoted(key) + ": it would be written outside the target: " + check.problem);
        continue;
      }
      wanted.push_back({key, check.relative_path, nullptr});
    }
  }
  // Waits for the listing beside the downloads (if any) and checks it against the manifest: a file the
  // manifest names must be there, and what it does not name is left alone.
  const auto check_listing = [&] {
    if (!listing.valid()) {
      return;
    }
    auto listed = listing.get();
    for (const auto& item : wanted) {
      if (listed.erase(item.key) == 0) {
        if (!options.expected_digest.empty()) {
          changed(where, util::quoted(item.relative_path) + " is missing");
        }
        throw RemoteError(util::quoted(item.relative_path) + " is listed in the manifest of " + where +
                              " but missing: a push may have stopped half-way; push again",
                          false);
      }
    }
    if (!listed.empty()) {
      warn("skipped " + std::to_string(listed.size()) + (listed.size() == 1 ? " object" : " objects") +
           " in " + where + " that its manifest does not list");
    }
  };

  const auto target = fs::absolute(options.target).lexically_normal();
  std::uint64_t total = 0;
  for (const auto& item : wanted) {
    total += item.entry != nullptr ? item.entry->size : 0;
  }
  std::optional<Staging> staging;
  try {
    check_no_file_directory_clash(wanted, where);
    fs::create_directories(target);
    staging.emplace();
    staging->path = make_staging_directory(target);
  } catch (...) {
    // The listing's verdict (a missing file, a push that stopped half-way) says more than a local failure.
    check_listing();
    throw;
  }
  detail::Progress progress("Downloading", wanted.size(), total, options.diagnostics, options.progress);
  try {
    detail::run_parallel(
        store, wanted.size(), options.max_concurrency, [&](ObjectStore& worker, std::size_t i) {
          const auto& item = wanted[i];
          const auto destination = staging->path / fs::path(item.relative_path);
          std::error_code error;
          fs::create_directories(destination.parent_path(), error);
          detail::with_retries([&] {
            worker.get_file(item.key, destination,
                            [&progress](std::int64_t bytes) { progress.add_bytes(bytes); });
          });
          if (item.entry != nullptr && (fs::file_size(destination) != item.entry->size ||
                                        sha256_file(destination) != item.entry->sha256)) {
            if (!options.expected_digest.empty()) {
              changed(where, util::quoted(item.relative_path) + " does not match its manifest");
            }
            throw RemoteError(
                util::quoted(item.relative_path) + " in " + where +
                    " does not match its manifest: a push may have stopped half-way; push again",
                false);
          }
          progress.file_done();
        });
  } catch (...) {
    // A file the listing lacks failed its download as "not found": say why instead.
    progress.finish();
    check_listing();
    throw;
  }
  check_listing();
  progress.finish();

  // Everything is downloaded and verified: only now does the working directory change.
  for (const auto& item : wanted) {
    make_parents(target, item.relative_path);
    move_into_place(staging->path / fs::path(item.relative_path), target / fs::path(item.relative_path));
    result.bytes += fs::file_size(target / fs::path(item.relative_path));
  }
  result.downloaded = wanted.size();
  if (options.diagnostics != nullptr) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", progress.seconds());
    *options.diagnostics << "Downloaded " << result.downloaded
                         << (result.downloaded == 1 ? " file" : " files") << " ("
                         << util::human_bytes(static_cast<double>(result.bytes)) << ") from " << where
                         << " in " << seconds << std::endl;
  }
  return result;
}

} // namespace syntask::storage
