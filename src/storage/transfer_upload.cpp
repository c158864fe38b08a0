// SPDX-License-Identifier: Apache-2.0
// upload_tree: walk, hash, plan against the remote manifest, upload, write the manifest last, prune.
#include <syntask/storage/transfer.hpp>
#include <syntask/util/ignore.hpp>
#include <syntask/util/strings.hpp>

#include "storage/transfer_support.hpp"
#include <algorithm>
#include <cstdio>
#include <map>
#include <thread>

namespace syntask::storage {

namespace {

namespace fs = std::filesystem;

// A file to push: its name in the tree and where its bytes are (a symlink's target).
struct LocalFile {
  std::string relative_path;
  fs::path source;
};

// nullopt: ".syntaskignore", or ".prefectignore" for a project that only has that one.
fs::path ignore_file_path(const UploadOptions& options)
{
  if (options.ignore_file) {
    return options.ignore_file->empty() ? fs::path() : options.root / *options.ignore_file;
  }
  const auto syntask = options.root / ".syntaskignore";
  const auto prefect = options.root / ".prefectignore";
  std::error_code error;
  if (!fs::exists(syntask, error) && fs::exists(prefect, error)) {
    return prefect;
  }
  return syntask;
}

bool inside(const fs::path& path, const fs::path& root)
{
  const auto relative = path.lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

std::vector<LocalFile> collect_files(const UploadOptions& options, const fs::path& root,
                                     std::vector<std::string>& warnings)
{
  const auto ignore = ignore_file_path(options);
  std::error_code error;
  const auto rules = !ignore.empty() && fs::is_regular_file(ignore, error) ? util::IgnoreRules::load(ignore)
                                                                           : util::IgnoreRules();
  std::vector<LocalFile> files;
  util::walk_included(root, rules, [&](const util::TreeEntry& entry) {
    if (entry.is_directory) {
      return true;
    }
    if (!entry.is_symlink) {
      files.push_back({entry.relative_path, entry.path});
      return true;
    }
    // A symlinked file is pushed as its target's content only when the target lies inside the tree;
    // otherwise a push could publish any file the user can read. Symlinked directories are not followed.
    std::error_code ec;
    const auto target = fs::canonical(entry.path, ec);
    if (ec) {
      warnings.push_back("skipped symlink " + util::quoted(entry.relative_path) +
                         ": its target does not exist");
    } else if (fs::is_directory(target, ec)) {
      // Not descended into, as documented; nothing to say for each one.
    } else if (!inside(target, root)) {
      warnings.push_back("skipped symlink " + util::quoted(entry.relative_path) +
                         ": it points outside the directory being pushed");
    } else if (fs::is_regular_file(target, ec)) {
      files.push_back({entry.relative_path, target});
    }
    return true;
  });
  return files;
}

Manifest hash_files(const std::vector<LocalFile>& files, int concurrency)
{
  std::vector<ManifestEntry> entries(files.size());
  const auto workers = std::min<std::size_t>(
      files.size(),
      static_cast<std::size_t>(
          std::clamp(concurrency, 1, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())))));
  detail::parallel_for(files.size(), workers, [&](std::size_t, std::size_t i) {
    std::error_code error;
    const auto size = fs::file_size(files[i].source, error);
    if (error) {
      throw detail::TransferError("cannot read " + util::quoted(files[i].source.string()) + ": " +
                                  error.message());
    }
    entries[i] = {files[i].relative_path, size, sha256_file(files[i].source)};
  });
  Manifest manifest;
  for (auto& entry : entries) {
    manifest.add(std::move(entry));
  }
  return manifest;
}

void upload_one(ObjectStore& store, const std::string& key, const fs::path& file, std::uint64_t size,
                detail::Progress& progress)
{
  const ProgressCallback report = [&progress](std::int64_t bytes) { progress.add_bytes(bytes); };
  const auto threshold = store.multipart_threshold();
  if (threshold == 0 || size < threshold) {
    detail::with_retries([&] { store.put_file(key, file, report); });
    return;
  }
  const auto part = std::max<std::uint64_t>(store.part_size(), 1);
  auto upload = store.start_multipart(key);
  try {
    int number = 1;
    for (std::uint64_t offset = 0; offset < size; offset += part, ++number) {
      const auto length = std::min(part, size - offset);
      detail::with_retries([&] { upload->put_part(number, file, offset, length, report); });
    }
    detail::with_retries([&] { upload->complete(); });
  } catch (...) {
    upload->abort();
    throw;
  }
}

std::optional<Manifest> read_remote_manifest(ObjectStore& store, const std::string& key,
                                             std::optional<std::string>& text,
                                             std::vector<std::string>& warnings)
{
  text = store.get_bytes(key);
  if (!text) {
    return std::nullopt;
  }
  try {
    return Manifest::decode(*text, store.describe() + "/" + key);
  } catch (const Error& error) {
    warnings.push_back(std::string(error.what()) + ": every file is uploaded again");
    return std::nullopt;
  }
}

} // namespace

UploadResult upload_tree(ObjectStore& store, const UploadOptions& options)
{
  UploadResult result;
  const auto root = fs::canonical(options.root);
  const auto prefix = folder_prefix(options.folder);
  const auto manifest_key = prefix + std::string(k_manifest_name);
  auto warn = [&](const std::string& line) {
    result.warnings.push_back(line);
    if (options.diagnostics != nullptr) {
      *options.diagnostics << "syntask: warning: " << line << '\n';
    }
  };

  std::vector<std::string> walk_warnings;
  auto files = collect_files(options, root, walk_warnings);
  for (const auto& line : walk_warnings) {
    warn(line);
  }
  // The manifest's own name is reserved: a local file of that name would be overwritten by it.
  files.erase(std::remove_if(files.begin(), files.end(),
                             [](const LocalFile& file) { return file.relative_path == k_manifest_name; }),
              files.end());
  const auto local = hash_files(files, options.max_concurrency);
  std::map<std::string, const LocalFile*, std::less<>> by_path;
  for (const auto& file : files) {
    by_path.emplace(file.relative_path, &file);
  }

  std::optional<std::string> remote_text;
  std::vector<std::string> decode_warnings;
  const auto remote = read_remote_manifest(store, manifest_key, remote_text, decode_warnings);
  for (const auto& line : decode_warnings) {
    warn(line);
  }
  std::vector<ObjectInfo> listing;
  store.list(prefix, [&](const ObjectInfo& object) { listing.push_back(object); });
  const auto plan = plan_upload(local, remote, listing, prefix, options.prune);

  // Files the old manifest vouches for are about to change: drop them from it first, so a push that
  // stops half-way leaves no manifest claiming content the folder no longer has.
  if (remote) {
    Manifest interim;
    for (const auto& entry : remote->files) {
      if (!std::binary_search(plan.upload.begin(), plan.upload.end(), entry.path)) {
        interim.add(entry);
      }
    }
    if (interim.files.size() != remote->files.size()) {
      detail::with_retries([&] { store.put_bytes(manifest_key, interim.encode(), "application/json"); });
    }
  }

  std::uint64_t total = 0;
  for (const auto& path : plan.upload) {
    total += local.find(path)->size;
  }
  detail::Progress progress("Uploading", plan.upload.size(), total, options.diagnostics, options.progress);
  detail::run_parallel(
      store, plan.upload.size(), options.max_concurrency, [&](ObjectStore& worker, std::size_t i) {
        const auto& path = plan.upload[i];
        upload_one(worker, prefix + path, by_path.at(path)->source, local.find(path)->size, progress);
        progress.file_done();
      });

  const auto text = local.encode();
  if (!plan.upload.empty() || remote_text != text) {
    detail::with_retries([&] { store.put_bytes(manifest_key, text, "application/json"); });
  }
  detail::run_parallel(store, plan.remove.size(), options.max_concurrency,
                       [&](ObjectStore& worker, std::size_t i) {
                         detail::with_retries([&] { worker.remove(plan.remove[i]); });
                       });
  progress.finish();

  result.uploaded = plan.upload.size();
  result.unchanged = plan.unchanged.size();
  result.removed = plan.remove.size();
  result.bytes = total;
  result.manifest_digest = manifest_digest(text);
  if (options.diagnostics != nullptr) {
    const auto where = store.describe() + "/" + normalize_folder(options.folder);
    *options.diagnostics << "Uploaded " << result.uploaded << (result.uploaded == 1 ? " file" : " files")
                         << " (" << detail::human_bytes(static_cast<double>(total)) << ") to " << where
                         << " in ";
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", progress.seconds());
    *options.diagnostics << seconds << "; " << result.unchanged << " unchanged";
    if (options.prune) {
      *options.diagnostics << ", " << result.removed << " removed";
    }
    *options.diagnostics << std::endl;
  }
  return result;
}

} // namespace syntask::storage
