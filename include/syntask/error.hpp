// SPDX-License-Identifier: Apache-2.0
// The error hierarchy and exit codes. Errors are thrown where they happen, carry their context as
// one line of text, and are caught exactly once, in cli::run.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace syntask {

/// Process exit codes.
enum class ExitCode : int {
  ok = 0,
  failure = 1,       ///< a runtime failure (a step failed, a server refused)
  usage = 2,         ///< bad flags, a missing answer under --no-prompt, an invalid syntask.yaml
  interrupted = 130, ///< Ctrl-C; a SIGTERM or SIGHUP exits 128 + its number (cli::run)
};

/// A place in a source file. Lines and columns are 1-based; 0 means unknown.
struct SourceRef {
  std::string file;
  int line = 0;
  int column = 0;

  /// "file:line:col", "file:line", "file" or "" depending on what is known.
  std::string str() const;
  bool empty() const { return file.empty(); }
};

/// Base of every syntask error; never thrown directly. An error about a place in a file knows the place
/// apart from the rest of its message, so that `--json` can report it in fields of its own.
class Error : public std::runtime_error {
public:
  /// An error about no place in particular: what() and detail() are `message`.
  explicit Error(const std::string& message);
  /// An error about `where`: what() is "FILE:LINE:COL: detail" (just `detail` when `where` is empty).
  Error(SourceRef where, const std::string& detail);

  virtual ExitCode exit_code() const { return ExitCode::failure; }
  /// The place the error is about; empty when there is none.
  const SourceRef& where() const { return m_where; }
  /// The message without the place.
  const std::string& detail() const { return m_detail; }

private:
  SourceRef m_where;
  std::string m_detail;
};

/// Bad command-line usage, or an answer that --no-prompt cannot give.
class UsageError : public Error {
public:
  using Error::Error;
  ExitCode exit_code() const override { return ExitCode::usage; }
};

/// One problem in a configuration file: "FILE:LINE:COL: FIELD: MESSAGE".
class ConfigError : public Error {
public:
  ConfigError(SourceRef where, std::string field, const std::string& message);
  /// A configuration problem with no single field (e.g. a YAML syntax error with its caret lines).
  explicit ConfigError(const std::string& message);

  ExitCode exit_code() const override { return ExitCode::usage; }
  const std::string& field() const { return m_field; }

private:
  std::string m_field;
};

/// Every problem found by a validation pass, in the order given; what() holds one line per problem.
class ConfigErrors : public Error {
public:
  explicit ConfigErrors(std::vector<ConfigError> problems);
  ExitCode exit_code() const override { return ExitCode::usage; }
  const std::vector<ConfigError>& problems() const { return m_problems; }
  /// One what() per problem.
  std::vector<std::string> lines() const;

private:
  std::vector<ConfigError> m_problems;
};

/// A step failed at run time. The message names index, step name, id, place and cause; the place is the
/// field's when the cause is about one, else the step's.
class StepError : public Error {
public:
  using Error::Error;
};

/// A remote service failed. `transient` marks failures worth retrying.
class RemoteError : public Error {
public:
  RemoteError(const std::string& message, bool transient) : Error(message), m_transient(transient) {}
  bool transient() const { return m_transient; }

private:
  bool m_transient;
};

/// A local file or directory could not be read or written; the message names the path.
class FileError : public Error {
public:
  using Error::Error;
};

/// The embedded store failed (I/O, corruption, a wrong secret key).
class StoreError : public Error {
public:
  using Error::Error;
};

/// The user interrupted (Ctrl-C at a prompt).
class Interrupted : public Error {
public:
  Interrupted() : Error("interrupted") {}
  ExitCode exit_code() const override { return ExitCode::interrupted; }
};

} // namespace syntask
