// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the store tests: a private temporary directory and scoped environment variables.
#pragma once

#include "support/env_scope.hpp"
#include "support/temp_dir.hpp"
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <unistd.h>

namespace syntask::store::test {

using TempDir = syntask::test::TempDir;

/// A fresh directory under the system temporary directory, removed with everything in it.

/// Sets (or, with nullopt, unsets) an environment variable until the end of the scope.
using ScopedEnv = syntask::test::EnvScope;

/// The raw bytes of a file, or "" when it does not exist.
inline std::string raw_bytes(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Permission bits of a file, e.g. 0600.
inline unsigned mode_of(const std::filesystem::path& path)
{
  return static_cast<unsigned>(std::filesystem::status(path).permissions()) & 0777;
}

} // namespace syntask::store::test
