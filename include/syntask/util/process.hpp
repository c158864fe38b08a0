// SPDX-License-Identifier: Apache-2.0
// Running child processes without a shell: argv in, exit status and captured output out.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::util {

class Redactor;

struct ProcessOptions {
  std::filesystem::path working_directory;        ///< empty: inherit
  std::map<std::string, std::string> environment; ///< the child's whole environment
  bool capture = true;                            ///< collect stdout/stderr into the result
  std::ostream* stream_stdout = nullptr;          ///< also copy the child's stdout here as it comes
  std::ostream* stream_stderr = nullptr;          ///< also copy the child's stderr here as it comes
  bool inherit_stdio = false;                     ///< child shares our stdin/stdout/stderr (no capture)
  bool inherit_stdin = false;                     ///< child reads our stdin (else /dev/null)
  /// When set, streamed output is written line by line through this redactor's scrub().
  const Redactor* redactor = nullptr;
};

struct ProcessResult {
  int exit_code = 0; ///< the exit status, or 128 + signal number
  std::string stdout_text;
  std::string stderr_text;
};

/// Runs argv[0] (looked up in PATH) with the given arguments. Throws syntask::Error when the program
/// cannot be started ("cannot run 'X': No such file or directory").
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options);

/// The variables naming syntask's own sealing key: the key itself (64 hex characters) and a file holding it.
inline constexpr const char* k_secret_key_variable = "SYNTASK_SECRET_KEY";
inline constexpr const char* k_secret_key_file_variable = "SYNTASK_SECRET_KEY_FILE";

/// Whether `name` is one of those variables. They never reach a child process, whatever environment its
/// caller built: run_process drops them.
bool is_syntask_key_variable(std::string_view name);

/// The current process environment as a map.
std::map<std::string, std::string> current_environment();

/// Splits a command line the way a POSIX shell tokenises words (quotes and backslashes; no expansion).
/// Throws syntask::Error on an unbalanced quote.
std::vector<std::string> split_command_line(const std::string& line);

/// Replaces $NAME and ${NAME} with values from `environment`; unknown names are left as they are.
std::string expand_variables(const std::string& text, const std::map<std::string, std::string>& environment);

} // namespace syntask::util
