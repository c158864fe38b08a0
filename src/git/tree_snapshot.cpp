// SPDX-License-Identifier: Apache-2.0
// Tree snapshots: written while a new clone's files are written from the mirror's objects, read by the
// next new clone of the same tree. Writes go through a buffer flushed in large pieces, so keeping a
// snapshot costs a few system calls however many files the tree has.
#include "git/tree_snapshot.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace syntask::git::detail {

namespace {

constexpr char k_magic[8] = {'S', 'T', 'S', 'N', 'A', 'P', '0', '1'};
constexpr std::size_t k_header_size = sizeof k_magic + 3 * sizeof(std::uint64_t);
constexpr std::size_t k_entry_size = 2 * sizeof(std::uint64_t);
constexpr std::size_t k_flush_bytes = std::size_t{1} << 20;
// A snapshot doubles the space a tree takes in the cache; beyond this size the files are read from the
// objects each time instead.
constexpr std::uint64_t k_max_data_bytes = std::uint64_t{512} << 20;
constexpr auto k_abandoned_after = std::chrono::hours(1);

std::uint64_t load_u64(const unsigned char* at)
{
  std::uint64_t value = 0;
  std::memcpy(&value, at, sizeof value);
  return value;
}

void store_u64(char* at, std::uint64_t value)
{
  std::memcpy(at, &value, sizeof value);
}

/// SHA-1 of a blob as git names it ("blob <size>\0" then the content), one context per thread.
class BlobHasher {
public:
  BlobHasher() : m_context(EVP_MD_CTX_new()) {}
  ~BlobHasher() { EVP_MD_CTX_free(m_context); }
  BlobHasher(const BlobHasher&) = delete;
  BlobHasher& operator=(const BlobHasher&) = delete;

  bool matches(std::string_view content, const git_oid& id)
  {
    static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    if (m_context == nullptr || sha1 == nullptr) {
      return false;
    }
    const auto header = "blob " + std::to_string(content.size());
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const bool hashed = EVP_DigestInit_ex2(m_context, sha1, nullptr) == 1 &&
                        EVP_DigestUpdate(m_context, header.c_str(), header.size() + 1) == 1 &&
                        EVP_DigestUpdate(m_context, content.data(), content.size()) == 1 &&
                        EVP_DigestFinal_ex(m_context, digest, &length) == 1;
    return hashed && length == GIT_OID_SHA1_SIZE && std::memcmp(digest, id.id, GIT_OID_SHA1_SIZE) == 0;
  }

private:
  EVP_MD_CTX* m_context;
};

bool write_all(int fd, const char* data, std::size_t size, std::uint64_t offset)
{
  while (size > 0) {
    const auto count = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count <= 0) {
      return false;
    }
    data += count;
    size -= static_cast<std::size_t>(count);
    offset += static_cast<std::uint64_t>(count);
  }
  return true;
}

bool is_snapshot_name(const std::string& name)
{
  return name.size() == GIT_OID_SHA1_HEXSIZE && std::all_of(name.begin(), name.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c));
         });
}

} // namespace

std::unique_ptr<SnapshotReader> SnapshotReader::open(const std::filesystem::path& path, std::size_t count)
{
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return nullptr;
  }
  struct stat status {};
  void* map = MAP_FAILED;
  if (::fstat(fd, &status) == 0 && static_cast<std::uint64_t>(status.st_size) >= k_header_size) {
    // Populated at once: one call instead of a page fault per page while the files are written.
    map = ::mmap(nullptr, static_cast<std::size_t>(status.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd,
                 0);
    ::futimens(fd, nullptr); // marks it as used for prune_snapshots
  }
  ::close(fd);
  if (map == MAP_FAILED) {
    return nullptr;
  }
  const auto size = static_cast<std::size_t>(status.st_size);
  const auto* bytes = static_cast<const unsigned char*>(map);
  const auto files = load_u64(bytes + sizeof k_magic);
  const auto data_offset = load_u64(bytes + sizeof k_magic + 8);
  const auto data_size = load_u64(bytes + sizeof k_magic + 16);
  const bool valid = std::memcmp(bytes, k_magic, sizeof k_magic) == 0 && files == count &&
                     data_offset == k_header_size + count * k_entry_size && data_offset <= size &&
                     data_size == size - data_offset;
  if (!valid) {
    ::munmap(map, size);
    return nullptr;
  }
  return std::unique_ptr<SnapshotReader>(new SnapshotReader(bytes, size, count));
}

SnapshotReader::SnapshotReader(const unsigned char* map, std::size_t size, std::size_t count)
    : m_map(map), m_size(size), m_count(count)
{
}

SnapshotReader::~SnapshotReader()
{
  ::munmap(const_cast<unsigned char*>(m_map), m_size);
}

bool SnapshotReader::content(std::size_t index, const git_oid& id, std::string_view& out) const
{
  if (index >= m_count) {
    return false;
  }
  const auto* entry = m_map + k_header_size + index * k_entry_size;
  const auto offset = load_u64(entry);
  const auto size = load_u64(entry + 8);
  const auto data_offset = k_header_size + m_count * k_entry_size;
  const auto data_size = m_size - data_offset;
  if (offset > data_size || size > data_size - offset) {
    return false;
  }
  thread_local BlobHasher hasher;
  const std::string_view content(reinterpret_cast<const char*>(m_map + data_offset + offset), size);
  if (!hasher.matches(content, id)) {
    return false;
  }
  out = content;
  return true;
}

SnapshotWriter::SnapshotWriter(std::filesystem::path path, std::size_t count)
    : m_path(std::move(path)), m_count(count), m_table(count * k_entry_size, '\0')
{
  static std::atomic<unsigned> counter{0};
  m_temporary = m_path;
  m_temporary += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  std::error_code error;
  std::filesystem::create_directories(m_path.parent_path(), error);
  m_fd = ::open(m_temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  m_buffer.reserve(k_flush_bytes);
}

SnapshotWriter::~SnapshotWriter()
{
  abandon();
}

void SnapshotWriter::abandon()
{
  if (m_fd >= 0) {
    ::close(m_fd);
    ::unlink(m_temporary.c_str());
    m_fd = -1;
  }
}

bool SnapshotWriter::flush()
{
  const auto data_offset = k_header_size + m_table.size();
  if (!write_all(m_fd, m_buffer.data(), m_buffer.size(), data_offset + m_written)) {
    return false;
  }
  m_written += m_buffer.size();
  m_buffer.clear();
  return true;
}

void SnapshotWriter::add(std::size_t index, std::string_view content)
{
  const std::lock_guard lock(m_mutex);
  if (m_fd < 0 || index >= m_count) {
    return;
  }
  const auto offset = m_written + m_buffer.size();
  if (offset + content.size() > k_max_data_bytes) {
    abandon();
    return;
  }
  store_u64(m_table.data() + index * k_entry_size, offset);
  store_u64(m_table.data() + index * k_entry_size + 8, content.size());
  m_buffer.append(content);
  ++m_added;
  if (m_buffer.size() >= k_flush_bytes && !flush()) {
    abandon();
  }
}

void SnapshotWriter::finish()
{
  const std::lock_guard lock(m_mutex);
  if (m_fd < 0 || m_added != m_count || !flush()) {
    abandon();
    return;
  }
  std::string header(k_header_size, '\0');
  std::memcpy(header.data(), k_magic, sizeof k_magic);
  store_u64(header.data() + sizeof k_magic, m_count);
  store_u64(header.data() + sizeof k_magic + 8, k_header_size + m_table.size());
  store_u64(header.data() + sizeof k_magic + 16, m_written);
  // No fsync: a snapshot torn by a crash fails the hash check of its reader and is then replaced.
  if (!write_all(m_fd, header.data(), header.size(), 0) ||
      !write_all(m_fd, m_table.data(), m_table.size(), k_header_size) || ::close(m_fd) != 0) {
    m_fd = -1;
    ::unlink(m_temporary.c_str());
    return;
  }
  m_fd = -1;
  if (::rename(m_temporary.c_str(), m_path.c_str()) != 0) {
    ::unlink(m_temporary.c_str());
  }
}

void prune_snapshots(const std::filesystem::path& folder, std::size_t keep)
{
  std::error_code error;
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> snapshots;
  const auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const auto name = entry.path().filename().string();
    const auto modified = entry.last_write_time(error);
    if (error) {
      continue;
    }
    if (is_snapshot_name(name)) {
      snapshots.emplace_back(modified, entry.path());
    } else if (now - modified > k_abandoned_after) {
      std::filesystem::remove(entry.path(), error);
    }
  }
  if (snapshots.size() <= keep) {
    return;
  }
  std::sort(snapshots.begin(), snapshots.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto it = snapshots.begin() + static_cast<std::ptrdiff_t>(keep); it != snapshots.end(); ++it) {
    std::filesystem::remove(it->second, error);
  }
}

} // namespace syntask::git::detail
