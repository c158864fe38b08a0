// SPDX-License-Identifier: Apache-2.0
// upload_tree: walk, hash, plan against the remote manifest, upload (whole files and the parts of large
// ones on one pool of workers), write the manifest last, prune.
#include <syntask/storage/transfer.hpp>
#include <syntask/util/ignore.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/strings.hpp>

#include "storage/hash_cache.hpp"
#include "storage/transfer_support.hpp"
#include "storage/upload_schedule.hpp"
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace syntask::storage {

namespace {

namespace fs = std::filesystem;

// A file to push: its name in the tree and where its bytes are (a symlink's target).
struct LocalFile {
  std::string relative_path;
  fs::path source;
};

// A named ignore file is taken as it is ("" or a missing file: nothing ignored); without one, the
// project's own file or, when it has none, the rules `init` writes, so that a project never set up with
// `init` does not publish its .git/ or .env.
util::IgnoreRules ignore_rules_for(const UploadOptions& options, const fs::path& root)
{
  if (options.ignore_file) {
    std::error_code error;
    const auto file = options.ignore_file->empty() ? fs::path() : options.root / *options.ignore_file;
    return !file.empty() && fs::is_regular_file(file, error) ? util::IgnoreRules::load(file)
                                                             : util::IgnoreRules();
  }
  auto project = util::project_ignore_rules(root);
  if (project.file.empty() && options.diagnostics != nullptr) {
    *options.diagnostics << util::default_rules_notice(options.root) << '\n';
  }
  return std::move(project.rules);
}

bool inside(const fs::path& path, const fs::path& root)
{
  const auto relative = path.lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

std::vector<LocalFile> collect_files(const UploadOptions& options, const fs::path& root,
                                     std::vector<std::string>& warnings)
{
  const auto rules = ignore_rules_for(options, root);
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

// Hashes every file, except those the cache vouches for, and refreshes the cache when it learnt something.
// Each file's stamp is taken before it is read: a change while it is read then shows as a different stamp
// next time, or as a racily clean one.
Manifest hash_files(const std::vector<LocalFile>& files, int concurrency, const fs::path& cache_file,
                    const fs::path& root, std::int64_t started)
{
  const auto cache = cache_file.empty() ? detail::HashCache() : detail::HashCache::load(cache_file, root);
  std::vector<ManifestEntry> entries(files.size());
  std::vector<detail::FileStamp> stamps(files.size());
  std::atomic<std::size_t> read_again{0};
  const auto workers = std::min<std::size_t>(
      files.size(),
      static_cast<std::size_t>(
          std::clamp(concurrency, 1, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())))));
  detail::parallel_for(files.size(), workers, [&](std::size_t, std::size_t i) {
    util::throw_if_interrupted();
    stamps[i] = detail::stamp_file(files[i].source);
    auto sha256 = cache.lookup(files[i].relative_path, stamps[i]);
    if (!sha256) {
      sha256 = sha256_file(files[i].source);
      read_again.fetch_add(1);
    }
    entries[i] = {files[i].relative_path, stamps[i].size, std::move(*sha256)};
  });
  if (!cache_file.empty()) {
    detail::HashCache fresh;
    fresh.set_taken_at(started);
    for (std::size_t i = 0; i < files.size(); ++i) {
      fresh.remember(entries[i].path, stamps[i], entries[i].sha256);
    }
    // Rewritten when a file was read (changed, new or racily clean) or left the tree; a racily clean file
    // is trusted once a later push started well after its last change.
    if (read_again.load() > 0 || !fresh.same_entries(cache)) {
      fresh.save(cache_file, root);
    } else {
      std::error_code ignored; // only marks it used, for syntask cache clear --unused-for
      fs::last_write_time(cache_file, fs::file_time_type::clock::now(), ignored);
    }
  }
  Manifest manifest;
  for (auto& entry : entries) {
    manifest.add(std::move(entry));
  }
  return manifest;
}

// A file to send and where it goes.
struct Outgoing {
  std::string key;
  fs::path source;
  std::uint64_t size = 0;
};

// Runs one task of the schedule on `connection`. Each request is retried by the HTTP client; a whole task
// that still fails transiently is tried again here (with_retries).
void run_task(ObjectStore& connection, const detail::UploadTask& task, const Outgoing& file,
              std::unique_ptr<MultipartUpload>& upload, detail::Progress& progress)
{
  const ProgressCallback report = [&progress](std::int64_t bytes) { progress.add_bytes(bytes); };
  switch (task.kind) {
  case detail::UploadTask::Kind::whole_file:
    detail::with_retries([&] { connection.put_file(file.key, file.source, report); });
    progress.file_done();
    break;
  case detail::UploadTask::Kind::start:
    detail::with_retries([&] { upload = connection.start_multipart(file.key); });
    break;
  case detail::UploadTask::Kind::part:
    detail::with_retries([&] { upload->put_part(task.part, file.source, task.offset, task.length, report); });
    break;
  case detail::UploadTask::Kind::complete:
    detail::with_retries([&] { upload->complete(); });
    upload.reset();
    progress.file_done();
    break;
  }
}

// Sends every file on at most `concurrency` workers. Whole files and the parts of large files come from
// one schedule, so the workers are one budget: never more requests in flight than workers. The first
// failure stops the push: running tasks finish, multipart uploads left open are aborted, and the failure
// is rethrown.
void upload_files(ObjectStore& store, const std::vector<Outgoing>& files, int concurrency,
                  detail::Progress& progress)
{
  std::vector<std::uint64_t> sizes;
  sizes.reserve(files.size());
  for (const auto& file : files) {
    sizes.push_back(file.size);
  }
  detail::UploadSchedule schedule(std::move(sizes), store.multipart_threshold(), store.part_size());
  const auto workers = std::min(schedule.max_parallel(), static_cast<std::size_t>(std::max(concurrency, 1)));
  if (workers == 0) {
    return;
  }
  // Opened here, on the calling thread (see run_parallel). Declared before `uploads`, so an upload, which
  // may refer to the connection that started it, is gone before its connection.
  std::vector<std::unique_ptr<ObjectStore>> connections;
  for (std::size_t i = 1; i < workers; ++i) {
    connections.push_back(store.connect_again());
  }
  std::vector<std::unique_ptr<MultipartUpload>> uploads(files.size());
  std::mutex mutex;
  std::condition_variable changed;
  std::exception_ptr first_error;

  const auto work = [&](ObjectStore& connection) {
    std::unique_lock lock(mutex);
    for (;;) {
      const auto task = schedule.next();
      if (!task) {
        if (schedule.finished()) {
          return;
        }
        changed.wait(lock);
        continue;
      }
      lock.unlock();
      std::exception_ptr error;
      try {
        run_task(connection, *task, files[task->file], uploads[task->file], progress);
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      if (error) {
        schedule.failed(*task);
        if (!first_error) {
          first_error = error;
        }
      } else {
        schedule.succeeded(*task);
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (auto& connection : connections) {
    threads.emplace_back(work, std::ref(*connection));
  }
  work(store);
  for (auto& thread : threads) {
    thread.join();
  }
  if (first_error) {
    // An upload still held was started and never completed: abort it, so no orphaned parts stay behind.
    for (auto& upload : uploads) {
      if (upload) {
        upload->abort();
      }
    }
    std::rethrow_exception(first_error);
  }
}

// The stored manifest of a push's folder, as text and parsed.
struct RemoteManifest {
  std::optional<std::string> text;
  std::optional<Manifest> manifest;
  std::vector<std::string> warnings;
};

RemoteManifest read_remote_manifest(ObjectStore& store, const std::string& key)
{
  RemoteManifest remote;
  remote.text = store.get_bytes(key);
  if (!remote.text) {
    return remote;
  }
  try {
    remote.manifest = Manifest::decode(*remote.text, store.describe() + "/" + key);
  } catch (const Error& error) {
    remote.warnings.push_back(std::string(error.what()) + ": every file is uploaded again");
  }
  return remote;
}

} // namespace

UploadResult upload_tree(ObjectStore& store, const UploadOptions& options)
{
  UploadResult result;
  // Taken before any file is looked at: the hash cache trusts only files that were settled by then.
  const auto started = detail::now_ns();
  const auto root = fs::canonical(options.root);
  const auto prefix = folder_prefix(options.folder);
  const auto manifest_key = prefix + std::string(k_manifest_name);
  auto warn = [&](const std::string& line) {
    result.warnings.push_back(line);
    if (options.diagnostics != nullptr) {
      *options.diagnostics << "syntask: warning: " << line << '\n';
    }
  };

  // What the folder holds is read while the local files are walked and hashed: one waits on the
  // server, the other on the disk and the CPU. The manifest is read on a connection of its own beside the
  // listing, the longest wait of a re-push. Only `listing` uses `store` until both are done.
  const auto manifest_connection = store.connect_again();
  auto remote_manifest = std::async(std::launch::async, [&connection = *manifest_connection, &manifest_key] {
    return read_remote_manifest(connection, manifest_key);
  });
  auto remote_listing = std::async(std::launch::async, [&store, &prefix] {
    std::vector<ObjectInfo> listing;
    store.list(prefix, [&listing](const ObjectInfo& object) { listing.push_back(object); });
    return listing;
  });
  // A local failure is the one reported, as when nothing had been asked of the server yet: leaving
  // this scope, the futures wait for the server's answers and drop its errors.
  std::vector<std::string> walk_warnings;
  auto files = collect_files(options, root, walk_warnings);
  // The manifest's own name is reserved: a local file of that name would be overwritten by it.
  files.erase(std::remove_if(files.begin(), files.end(),
                             [](const LocalFile& file) { return file.relative_path == k_manifest_name; }),
              files.end());
  const auto cache_file =
      options.hash_cache_dir.empty() ? fs::path() : detail::HashCache::file_for(options.hash_cache_dir, root);
  const auto local = hash_files(files, options.max_concurrency, cache_file, root, started);
  for (const auto& line : walk_warnings) {
    warn(line);
  }
  std::map<std::string, const LocalFile*, std::less<>> by_path;
  for (const auto& file : files) {
    by_path.emplace(file.relative_path, &file);
  }

  // The manifest's failure first: it is the one a push reported when the two were read in turn.
  const auto fetched = remote_manifest.get();
  const auto listing = remote_listing.get();
  for (const auto& line : fetched.warnings) {
    warn(line);
  }
  const auto& remote = fetched.manifest;
  const auto& remote_text = fetched.text;
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
  std::vector<Outgoing> outgoing;
  outgoing.reserve(plan.upload.size());
  for (const auto& path : plan.upload) {
    outgoing.push_back({prefix + path, by_path.at(path)->source, local.find(path)->size});
  }
  detail::Progress progress("Uploading", plan.upload.size(), total, options.diagnostics, options.progress);
  upload_files(store, outgoing, options.max_concurrency, progress);

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
                         << " (" << util::human_bytes(static_cast<double>(total)) << ") to " << where
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
