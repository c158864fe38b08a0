// SPDX-License-Identifier: Apache-2.0
// File-system helpers: whole-file reads and atomic writes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace syntask::util {

/// The whole content of a file; throws syntask::Error naming the path when it cannot be read.
std::string read_file(const std::filesystem::path& path);

/// Writes through a temporary sibling and a rename, so readers never see a partial file.
void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode = 0644);

/// Whether stdin / stdout / stderr is a terminal.
bool stdin_is_tty();
bool stdout_is_tty();
bool stderr_is_tty();

/// The value of an environment variable, or nullopt when unset.
std::optional<std::string> get_env(const char* name);

} // namespace syntask::util
