// SPDX-License-Identifier: Apache-2.0
// Private: how a failure is shown. On stderr, each line after "syntask: error: "; under --json also one
// document on stdout: {"error": {"message", "file", "line", "column", "exit_code"}}.
#pragma once

#include <syntask/error.hpp>

#include <string>
#include <vector>

namespace syntask::cli {

/// One failure as the user sees it.
struct Failure {
  std::string text;                  ///< the whole message, its place in front
  SourceRef where;                   ///< the place in a file; empty when none is known
  std::string detail;                ///< the message without the place
  std::vector<ConfigError> problems; ///< every problem of a validation pass that found several
  int exit_code = static_cast<int>(ExitCode::failure);

  static Failure of(const Error& error);
  static Failure plain(const std::string& text, int exit_code);
};

/// Prints the failure and returns its exit code. Every text passes through the Redactor first.
int report_failure(const Failure& failure, bool json);

} // namespace syntask::cli
