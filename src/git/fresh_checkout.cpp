// SPDX-License-Identifier: Apache-2.0
// A checkout into a new directory without libgit2's per-file overhead. git_checkout_tree looks up the
// attributes of every file it writes (a realpath of the parent directory and a stat of each
// .gitattributes on the way, some twenty system calls a file), which costs more than writing the files.
// When no attribute, filter or line-ending conversion can apply, a file's content is exactly its blob,
// so the files are written directly and the index is built from the same stat data. With the clone
// cache, the contents come from a snapshot of the tree when there is one (see tree_snapshot.hpp), and
// a snapshot is kept for the next clone when there is not.
#include "git/fresh_checkout.hpp"

#include <syntask/util/strings.hpp>

#include <git2/sys/errors.h>

#include "git/tree_snapshot.hpp"
#include "git/tree_writer.hpp"
#include <algorithm>
#include <optional>
#include <sys/stat.h>

namespace syntask::git::detail {

namespace {

constexpr std::size_t k_kept_snapshots = 4; // per repository: a few pinned commits in use at once

/// A snapshot whose content does not match the tree: the files are written again from the objects.
struct SnapshotMismatch {};

bool exists(const std::string& path)
{
  struct stat status {};
  return ::stat(path.c_str(), &status) == 0;
}

/// Attribute files outside the tree that libgit2 would read: the repository's info/attributes, the
/// system-wide gitattributes and the user's attributes file, each in libgit2's own search paths.
bool attribute_files_outside_tree(git_repository* repo, git_config* config)
{
  git_buf buffer = GIT_BUF_INIT;
  if (git_config_get_string_buf(&buffer, config, "core.attributesFile") == 0) {
    git_buf_dispose(&buffer);
    return true;
  }
  git_error_clear();
  if (exists(std::string(git_repository_path(repo)) + "info/attributes")) {
    return true;
  }
  for (const auto& [level, file] :
       {std::pair{GIT_CONFIG_LEVEL_SYSTEM, "gitattributes"}, std::pair{GIT_CONFIG_LEVEL_XDG, "attributes"}}) {
    git_buf paths = GIT_BUF_INIT;
    if (git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, level, &paths) < 0) {
      git_error_clear();
      return true;
    }
    const std::string joined(paths.ptr, paths.size);
    git_buf_dispose(&paths);
    for (const auto& directory : util::split(joined, GIT_PATH_LIST_SEPARATOR)) {
      if (!directory.empty() && exists(directory + "/" + file)) {
        return true;
      }
    }
  }
  return false;
}

/// Whether the configuration can change what a checkout writes or which files it writes.
bool configuration_allows(git_repository* repo)
{
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) < 0) {
    git_error_clear();
    return false;
  }
  const Ptr<git_config> config(raw);
  const char* value = nullptr;
  if (git_config_get_string(&value, config.get(), "core.autocrlf") == 0) {
    const auto autocrlf = util::to_lower(value);
    // "input" converts only when files are added; true converts on checkout.
    if (autocrlf != "false" && autocrlf != "no" && autocrlf != "off" && autocrlf != "0" &&
        autocrlf != "input" && !autocrlf.empty()) {
      return false;
    }
  }
  int sparse = 0;
  if (git_config_get_bool(&sparse, config.get(), "core.sparseCheckout") == 0 && sparse != 0) {
    return false;
  }
  git_error_clear();
  return !attribute_files_outside_tree(repo, config.get());
}

/// The index's files when each is a regular file that needs no attributes; nothing otherwise
/// (symbolic links, submodules, a .gitattributes file anywhere, an empty path component).
std::optional<std::vector<TreeFile>> plain_files(git_index* index)
{
  std::vector<TreeFile> files;
  const auto count = git_index_entrycount(index);
  files.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto* entry = git_index_get_byindex(index, i);
    const auto mode = static_cast<git_filemode_t>(entry->mode);
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
      return std::nullopt;
    }
    const std::string_view path = entry->path;
    for (std::size_t start = 0;;) {
      const auto end = std::min(path.find('/', start), path.size());
      const auto name = path.substr(start, end - start);
      if (name.empty() || name == ".gitattributes") {
        return std::nullopt;
      }
      if (end == path.size()) {
        break;
      }
      start = end + 1;
    }
    files.push_back({std::string(path), entry->id, mode});
  }
  return files;
}

/// Whether a tree entry's name is one no path rule of the index can refuse: not ".git" nor a form that
/// NTFS or HFS+ would take for it (a "~" short name, trailing dots or spaces, ignorable Unicode), nor one
/// holding a separator. Other names go to libgit2's checkout, which reports the refusal; they are kept
/// from git_index_read_tree because libgit2 1.8 leaks a buffer for each entry it refuses there.
bool ordinary_name(std::string_view name)
{
  if (name.empty() || name == "." || name == ".." || util::to_lower(std::string(name)) == ".git" ||
      name.back() == '.' || name.back() == ' ') {
    return false;
  }
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == '~' || c == '\\' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
  });
}

bool all_names_ordinary(const git_tree* tree)
{
  const int code = git_tree_walk(
      tree, GIT_TREEWALK_PRE,
      [](const char*, const git_tree_entry* entry, void*) {
        return ordinary_name(git_tree_entry_name(entry)) ? 0 : -1;
      },
      nullptr);
  git_error_clear();
  return code == 0;
}

git_index_entry index_entry(const TreeFile& file, const struct stat& status)
{
  git_index_entry entry{};
  entry.ctime.seconds = static_cast<int32_t>(status.st_ctim.tv_sec);
  entry.ctime.nanoseconds = static_cast<uint32_t>(status.st_ctim.tv_nsec);
  entry.mtime.seconds = static_cast<int32_t>(status.st_mtim.tv_sec);
  entry.mtime.nanoseconds = static_cast<uint32_t>(status.st_mtim.tv_nsec);
  entry.dev = static_cast<uint32_t>(status.st_dev);
  entry.ino = static_cast<uint32_t>(status.st_ino);
  entry.mode = file.mode;
  entry.uid = status.st_uid;
  entry.gid = status.st_gid;
  entry.file_size = static_cast<uint32_t>(status.st_size);
  entry.id = file.id;
  entry.path = file.path.c_str();
  return entry;
}

/// Removes what was written next to .git.
void remove_written(const std::filesystem::path& workdir)
{
  for (const auto& entry : std::filesystem::directory_iterator(workdir)) {
    if (entry.path().filename() != ".git") {
      std::filesystem::remove_all(entry.path());
    }
  }
}

std::vector<struct stat> write_from_objects(git_repository* repo, const std::string& root,
                                            const std::vector<TreeFile>& files, SnapshotWriter* snapshot)
{
  git_odb* raw = nullptr;
  check(git_repository_odb(&raw, repo), "cannot open the object database");
  const std::unique_ptr<git_odb, decltype(&git_odb_free)> odb(raw, &git_odb_free);
  return write_tree_files(root, files, [&](std::size_t i, BlobContent& content) {
    git_odb_object* object = nullptr;
    if (const int code = git_odb_read(&object, odb.get(), &files[i].id); code < 0) {
      check(code, "cannot read " + util::quoted(files[i].path));
    }
    content.set(object);
    if (git_odb_object_type(object) != GIT_OBJECT_BLOB) {
      throw RemoteError("cannot read " + util::quoted(files[i].path) + ": the object is not a blob", false);
    }
    if (snapshot != nullptr) {
      snapshot->add(i, content.view());
    }
  });
}

std::vector<struct stat> write_from_snapshot(const SnapshotReader& snapshot, const std::string& root,
                                             const std::vector<TreeFile>& files)
{
  return write_tree_files(root, files, [&](std::size_t i, BlobContent& content) {
    std::string_view view;
    if (!snapshot.content(i, files[i].id, view)) {
      throw SnapshotMismatch{};
    }
    content.set(view);
  });
}

/// Writes the files, from the tree's snapshot when it is sound, else from the objects (keeping a
/// snapshot for next time when `snapshots` names a folder).
std::vector<struct stat> write_files(git_repository* repo, const std::string& root,
                                     const std::vector<TreeFile>& files, const git_tree* tree,
                                     const std::filesystem::path& snapshots)
{
  if (snapshots.empty()) {
    return write_from_objects(repo, root, files, nullptr);
  }
  char name[GIT_OID_MAX_HEXSIZE + 1] = {};
  git_oid_tostr(name, sizeof name, git_tree_id(tree));
  const auto path = snapshots / name;
  if (const auto snapshot = SnapshotReader::open(path, files.size())) {
    try {
      return write_from_snapshot(*snapshot, root, files);
    } catch (const SnapshotMismatch&) {
      remove_written(root);
    }
  }
  SnapshotWriter writer(path, files.size());
  auto statuses = write_from_objects(repo, root, files, &writer);
  writer.finish();
  prune_snapshots(snapshots, k_kept_snapshots);
  return statuses;
}

} // namespace

bool write_fresh_checkout(git_repository* repo, git_tree* tree, const std::filesystem::path& snapshots)
{
  const char* workdir = git_repository_workdir(repo);
  if (workdir == nullptr || !configuration_allows(repo)) {
    return false;
  }
  if (!all_names_ordinary(tree)) {
    return false;
  }
  git_index* index_raw = nullptr;
  check(git_repository_index(&index_raw, repo), "cannot open the index");
  const Ptr<git_index> index(index_raw);
  // Reading the tree into the index checks every path as the index would (".git", "..", and the
  // NTFS and HFS forms when configured); a refused one is left to libgit2's checkout to report.
  if (git_index_read_tree(index.get(), tree) < 0) {
    git_error_clear();
    return false;
  }
  const auto files = plain_files(index.get());
  if (!files) {
    check(git_index_clear(index.get()), "cannot clear the index");
    return false;
  }
  std::string root(workdir);
  while (root.size() > 1 && root.back() == '/') {
    root.pop_back();
  }
  const auto statuses = write_files(repo, root, *files, tree, snapshots);
  for (std::size_t i = 0; i < files->size(); ++i) {
    const auto entry = index_entry((*files)[i], statuses[i]);
    check(git_index_add(index.get(), &entry), "cannot update the index");
  }
  check(git_index_write(index.get()), "cannot write the index");
  return true;
}

} // namespace syntask::git::detail
