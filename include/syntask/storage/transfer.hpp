// SPDX-License-Identifier: Apache-2.0
// The transfer engine: pushing a directory tree to object storage and pulling it back, written once for
// every backend and working only through ObjectStore.
//
// A push uploads every included file under `folder/`, then writes the manifest
// `folder/.syntask-manifest.json` (relative path, size and SHA-256 of each file) LAST. A re-push reads the
// remote manifest and one listing and uploads only files whose content changed or that are missing. A pull
// downloads the files the manifest names into a temporary sibling of the target directory, verifies each
// against the manifest, and only then renames them into place.
#pragma once

#include <syntask/storage/object_store.hpp>

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::storage {

/// The manifest's name inside the pushed folder.
inline constexpr std::string_view k_manifest_name = ".syntask-manifest.json";
/// Parallel transfers when the step does not say.
inline constexpr int k_default_concurrency = 16;
/// How many times one file is tried when a backend reports a transient failure.
inline constexpr int k_file_attempts = 3;

/// One file of a pushed tree.
struct ManifestEntry {
  std::string path; ///< relative to the folder, '/'-separated
  std::uint64_t size = 0;
  std::string sha256; ///< 64 lowercase hexadecimal digits

  bool operator==(const ManifestEntry&) const = default;
};

/// The record of a pushed tree. Entries are kept sorted by path (byte order), so equal trees encode to
/// equal text and digests.
struct Manifest {
  std::vector<ManifestEntry> files;

  /// Adds or replaces an entry, keeping the order.
  void add(ManifestEntry entry);
  /// The entry for `path`; nullptr when absent.
  const ManifestEntry* find(std::string_view path) const;

  /// The JSON text stored remotely: {"version": 1, "files": [{"path", "size", "sha256"}, ...]}, one file
  /// per line, ending in a newline.
  std::string encode() const;
  /// Parses stored text; throws syntask::Error "invalid manifest WHERE: REASON" when it is not one.
  static Manifest decode(std::string_view text, const std::string& where);
};

/// "sha256:" + the SHA-256 of a manifest's stored text: what a deployment records.
std::string manifest_digest(std::string_view manifest_text);

/// SHA-256 of a file's content, read in blocks; throws syntask::Error naming the file.
std::string sha256_file(const std::filesystem::path& file);

/// The push hash caches' folder under SYNTASK_HOME: one file per pushed directory (storage-transfer.md).
inline constexpr std::string_view k_push_hash_folder = "cache/push-hashes";

/// One pushed directory's hash cache.
struct CachedPushHashes {
  std::filesystem::path file;
  std::string directory; ///< the pushed directory it remembers; "" when the file is not a cache
  std::uint64_t bytes = 0;
  std::filesystem::file_time_type last_used; ///< the last push that used it
};

/// The hash caches in `folder`, most recently used first; none when it does not exist.
std::vector<CachedPushHashes> list_push_hash_caches(const std::filesystem::path& folder);

/// The folder as the reference normalises it (a POSIX path join): "" and "." give "", repeated and
/// trailing '/' are dropped, "./" segments vanish, a leading '/' is kept ("/a" stays "/a").
std::string normalize_folder(std::string_view folder);
/// The prefix every key of the folder starts with: "" for the bucket root, else the folder and '/'.
std::string folder_prefix(std::string_view folder);

/// Where a listed key lands below the target, or why it must not be written.
struct KeyCheck {
  std::string relative_path; ///< '/'-separated, set when safe
  std::string problem;       ///< "" when safe
};

/// Checks the part of `key` after `prefix` (the key must start with it). Refused: an empty remainder, a
/// leading '/', a backslash anywhere, empty segments ("a//b"), "." and ".." segments, NUL bytes, and the
/// same in the percent-decoded remainder (a segment that decodes to ".." is refused; other
/// percent-encoded names are kept literally). The check is on text only: no file system access.
KeyCheck check_key(std::string_view key, std::string_view prefix);

/// What a push must do, from the local files and what the remote side holds.
struct UploadPlan {
  std::vector<std::string> upload;    ///< relative paths to upload, sorted
  std::vector<std::string> unchanged; ///< relative paths already there with the same content
  std::vector<std::string> remove;    ///< keys to delete (prune only), sorted; never the manifest
};

/// Plans a push. A file is unchanged only when the remote manifest lists it with the same size and SHA-256
/// AND the listing holds its key with that size; everything else is uploaded. With `prune`, listed keys
/// under `prefix` that are neither a local file's key nor the manifest are removed; directory markers
/// are left alone.
UploadPlan plan_upload(const Manifest& local, const std::optional<Manifest>& remote,
                       const std::vector<ObjectInfo>& listing, std::string_view prefix, bool prune);

/// What a push step asked for.
struct UploadOptions {
  std::filesystem::path root; ///< the directory whose files are pushed (the step's working directory)
  std::string folder;         ///< as written; normalised by the engine
  /// The ignore file relative to root: nullopt means ".syntaskignore", or ".prefectignore" when only
  /// that one exists; "" means none. A named file that does not exist ignores nothing.
  std::optional<std::string> ignore_file;
  bool prune = false;
  int max_concurrency = k_default_concurrency;
  std::ostream* diagnostics = nullptr; ///< progress (terminal) or one summary line; may be nullptr
  bool progress = false;               ///< draw a live progress line (the caller checks for a terminal)
  /// Where pushes remember the SHA-256 of each file with its stat data (size, mtime, ctime, inode,
  /// device), one file per pushed root, so that a re-push reads only files that changed (see
  /// docs/storage-transfer.md for when a remembered hash is trusted). Empty: every file is read.
  std::filesystem::path hash_cache_dir;
};

struct UploadResult {
  std::size_t uploaded = 0;
  std::size_t unchanged = 0;
  std::size_t removed = 0;
  std::uint64_t bytes = 0;     ///< bytes of the uploaded files
  std::string manifest_digest; ///< manifest_digest() of the manifest written (or left unchanged)
  std::vector<std::string> warnings;
};

/// Pushes the included files under root. Symlinks: a symlinked directory is not descended into; a
/// symlinked file is uploaded as the file it points to when that file lies inside root, and skipped with a
/// warning otherwise. The manifest is written after every file; when a re-push changes files that the old
/// manifest lists, an interim manifest without them is written first, so a push that dies half-way never
/// leaves a manifest vouching for content that is not there. Prune runs after the new manifest is in place.
/// Throws RemoteError (from the backend) or syntask::Error (local files).
UploadResult upload_tree(ObjectStore& store, const UploadOptions& options);

/// What a pull step asked for.
struct DownloadOptions {
  std::filesystem::path target; ///< where the files go (the step's working directory)
  std::string folder;
  /// The digest the deployment recorded (manifest_digest()); "" to accept whatever the folder holds.
  std::string expected_digest;
  int max_concurrency = k_default_concurrency;
  std::ostream* diagnostics = nullptr;
  bool progress = false;
};

struct DownloadResult {
  std::size_t downloaded = 0;
  std::uint64_t bytes = 0;
  std::string manifest_digest;       ///< "" when the folder had no manifest
  std::vector<std::string> warnings; ///< skipped keys, a missing manifest; already printed
};

/// Pulls the folder into target. Lists `folder/` (with the slash), skips directory markers, and refuses
/// keys that check_key rejects. With a manifest, exactly its files are pulled (other keys are skipped
/// with a warning) and each is verified (size and SHA-256); without one (a folder pushed by Prefect) every
/// listed file is pulled and one warning says so. Files are downloaded into a temporary sibling directory
/// of target and renamed into place only when all are verified: each pulled path replaces the file of the
/// same path in target; other files in target are left alone. A failed pull writes nothing into target.
/// With expected_digest set, a different or missing manifest fails before anything is downloaded:
/// "the code in s3://bucket/folder changed since it was deployed (...): redeploy to run the current code".
DownloadResult download_tree(ObjectStore& store, const DownloadOptions& options);

} // namespace syntask::storage
