// SPDX-License-Identifier: Apache-2.0
#include "support/tar_reader.hpp"

#include <catch2/catch_test_macros.hpp>

#include <archive.h>
#include <archive_entry.h>

namespace syntask::test {

std::vector<TarEntry> read_tar(const std::string& tar)
{
  std::vector<TarEntry> entries;
  struct archive* reader = archive_read_new();
  archive_read_support_format_tar(reader);
  REQUIRE(archive_read_open_memory(reader, tar.data(), tar.size()) == ARCHIVE_OK);
  struct archive_entry* header = nullptr;
  while (archive_read_next_header(reader, &header) == ARCHIVE_OK) {
    TarEntry entry;
    entry.name = archive_entry_pathname(header);
    const auto type = archive_entry_filetype(header);
    entry.type = type == AE_IFDIR ? 'd' : type == AE_IFLNK ? 'l' : type == AE_IFREG ? 'f' : '?';
    entry.mode = archive_entry_perm(header);
    entry.uid = archive_entry_uid(header);
    entry.gid = archive_entry_gid(header);
    if (entry.type == 'l') {
      entry.content = archive_entry_symlink(header);
    } else {
      char buffer[4096];
      la_ssize_t got = 0;
      while ((got = archive_read_data(reader, buffer, sizeof buffer)) > 0) {
        entry.content.append(buffer, static_cast<std::size_t>(got));
      }
    }
    entries.push_back(entry);
  }
  archive_read_free(reader);
  return entries;
}

std::vector<std::string> names_of(const std::vector<TarEntry>& entries)
{
  std::vector<std::string> names;
  for (const auto& entry : entries) {
    names.push_back(entry.name);
  }
  return names;
}

} // namespace syntask::test
