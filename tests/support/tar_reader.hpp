// SPDX-License-Identifier: Apache-2.0
// Reads a tar back with libarchive's reader, for the tests of what syntask writes as tar.
#pragma once

#include <string>
#include <vector>

namespace syntask::test {

struct TarEntry {
  std::string name;
  char type = '?'; // f, d, l
  unsigned mode = 0;
  long long uid = -1;
  long long gid = -1;
  std::string content; // file data or link target
};

/// The entries of `tar` in order; fails the current test when it cannot be opened.
std::vector<TarEntry> read_tar(const std::string& tar);

/// The names of `entries` in order.
std::vector<std::string> names_of(const std::vector<TarEntry>& entries);

} // namespace syntask::test
