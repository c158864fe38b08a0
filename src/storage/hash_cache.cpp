// SPDX-License-Identifier: Apache-2.0
#include "storage/hash_cache.hpp"

#include <syntask/error.hpp>
#include <syntask/storage/transfer.hpp>
#include <syntask/util/digest.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include <nlohmann/json.hpp>

#include "storage/transfer_support.hpp"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace syntask::storage::detail {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int k_version = 1;

std::int64_t nanoseconds(const timespec& time)
{
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

bool is_sha256(const json& value)
{
  if (!value.is_string()) {
    return false;
  }
  const auto& text = value.get_ref<const std::string&>();
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

} // namespace

FileStamp stamp_file(const fs::path& file)
{
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) {
    throw TransferError("cannot read " + util::quoted(file.string()) + ": " + std::strerror(errno));
  }
  FileStamp stamp;
  stamp.size = static_cast<std::uint64_t>(info.st_size);
  stamp.mtime_ns = nanoseconds(info.st_mtim);
  stamp.ctime_ns = nanoseconds(info.st_ctim);
  stamp.inode = static_cast<std::uint64_t>(info.st_ino);
  stamp.device = static_cast<std::uint64_t>(info.st_dev);
  return stamp;
}

std::int64_t now_ns()
{
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return nanoseconds(now);
}

fs::path HashCache::file_for(const fs::path& directory, const fs::path& root)
{
  return directory / (util::sha256_hex(root.string()) + ".json");
}

HashCache HashCache::load(const fs::path& file, const fs::path& root)
{
  HashCache cache;
  try {
    const auto document = json::parse(util::read_file(file));
    if (document.value("version", 0) != k_version || document.value("root", std::string()) != root.string() ||
        !document.contains("taken_at_ns") || !document["taken_at_ns"].is_number_integer() ||
        !document.contains("files") || !document["files"].is_object()) {
      return {};
    }
    for (const auto& [path, row] : document["files"].items()) {
      // [size, mtime_ns, ctime_ns, inode, device, sha256]
      if (!row.is_array() || row.size() != 6 || !is_sha256(row[5])) {
        return {};
      }
      for (std::size_t i = 0; i < 5; ++i) {
        if (!row[i].is_number_integer()) {
          return {};
        }
      }
      Entry entry;
      entry.stamp = {row[0].get<std::uint64_t>(), row[1].get<std::int64_t>(), row[2].get<std::int64_t>(),
                     row[3].get<std::uint64_t>(), row[4].get<std::uint64_t>()};
      entry.sha256 = row[5].get<std::string>();
      cache.m_entries.emplace(path, std::move(entry));
    }
    cache.m_taken_at = document["taken_at_ns"].get<std::int64_t>();
  } catch (const std::exception&) {
    return {};
  }
  return cache;
}

std::optional<std::string> HashCache::lookup(std::string_view path, const FileStamp& stamp) const
{
  const auto found = m_entries.find(path);
  if (found == m_entries.end() || found->second.stamp != stamp) {
    return std::nullopt;
  }
  // ctime counts too: restoring an mtime after a change (touch -d) sets the ctime to the present.
  const auto settled_before = m_taken_at - k_racy_margin.count();
  if (stamp.mtime_ns >= settled_before || stamp.ctime_ns >= settled_before) {
    return std::nullopt;
  }
  return found->second.sha256;
}

void HashCache::remember(std::string path, const FileStamp& stamp, std::string sha256)
{
  m_entries.insert_or_assign(std::move(path), Entry{stamp, std::move(sha256)});
}

bool HashCache::save(const fs::path& file, const fs::path& root) const
{
  try {
    auto files = json::object();
    for (const auto& [path, entry] : m_entries) {
      files[path] = json::array({entry.stamp.size, entry.stamp.mtime_ns, entry.stamp.ctime_ns,
                                 entry.stamp.inode, entry.stamp.device, entry.sha256});
    }
    const json document = {{"version", k_version},
                           {"root", root.string()},
                           {"taken_at_ns", m_taken_at},
                           {"files", std::move(files)}};
    fs::create_directories(file.parent_path());
    util::write_file_atomic(file, document.dump() + "\n", 0600);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

} // namespace syntask::storage::detail

namespace syntask::storage {

std::vector<CachedPushHashes> list_push_hash_caches(const std::filesystem::path& folder)
{
  namespace fs = std::filesystem;
  std::vector<CachedPushHashes> caches;
  std::error_code error;
  for (auto it = fs::directory_iterator(folder, error); !error && it != fs::end(it); it.increment(error)) {
    std::error_code unreadable;
    if (!it->is_regular_file(unreadable) || it->path().extension() != ".json") {
      continue;
    }
    CachedPushHashes cache{it->path(), "", it->file_size(unreadable), it->last_write_time(unreadable)};
    try {
      cache.directory = nlohmann::json::parse(util::read_file(it->path())).value("root", std::string());
    } catch (const std::exception&) {
      // Not a cache (any more): listed without a directory, and cleared like the others.
    }
    caches.push_back(std::move(cache));
  }
  std::sort(caches.begin(), caches.end(),
            [](const CachedPushHashes& a, const CachedPushHashes& b) { return a.last_used > b.last_used; });
  return caches;
}

} // namespace syntask::storage
