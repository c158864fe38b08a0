// SPDX-License-Identifier: Apache-2.0
// A thin RAII layer over one SQLite connection: prepared statements with bound parameters, IMMEDIATE
// transactions, and StoreError messages that name the database file and what was being done.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace syntask::store {

class Database;

/// One prepared statement. `action` ("save block 'secret/x'") goes into every error it raises.
class Statement {
public:
  Statement(Database& database, sqlite3_stmt* statement, std::string action);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  /// Binds parameter `index` (1-based). Text is copied, so the argument may be a temporary.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::vector<unsigned char>& blob);
  Statement& bind_null(int index);

  /// Advances: true when a row is ready, false when the statement is done. Throws StoreError.
  bool step();
  /// Steps to the end, for statements that return no rows.
  void run();

  /// Column values of the current row (0-based); NULL reads as empty.
  std::string text(int column) const;
  std::vector<unsigned char> blob(int column) const;
  bool is_null(int column) const;

private:
  Database& m_database;
  sqlite3_stmt* m_statement;
  std::string m_action;
};

/// A connection to one database file. Waits up to `busy_timeout` for locks held by other processes.
class Database {
public:
  /// Opens (creating if needed) `path`. Throws StoreError "cannot open store 'PATH': REASON".
  Database(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  Statement prepare(std::string_view sql, const std::string& action);
  /// Runs one or more statements that take no parameters.
  void execute(const std::string& sql, const std::string& action);
  /// Like execute, but retries for up to the busy timeout while the database is locked. For statements
  /// that SQLite runs without calling the busy handler, such as changing the journal mode.
  void execute_when_unlocked(const std::string& sql, const std::string& action);
  /// Rows changed by the last INSERT, UPDATE or DELETE.
  int changes() const;

  /// Throws StoreError "cannot ACTION in store 'PATH': REASON" from the connection's last error.
  [[noreturn]] void fail(const std::string& action) const;

  const std::filesystem::path& path() const { return m_path; }
  std::chrono::milliseconds busy_timeout() const { return m_busy_timeout; }

private:
  std::filesystem::path m_path;
  std::chrono::milliseconds m_busy_timeout;
  sqlite3* m_handle = nullptr;
};

/// BEGIN IMMEDIATE on construction, so the write lock is taken (or waited for) before anything is read,
/// and two writers can never deadlock upgrading read locks. Rolls back unless commit() was called.
class Transaction {
public:
  Transaction(Database& database, std::string action);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  void commit();

private:
  Database& m_database;
  std::string m_action;
  bool m_open = true;
};

} // namespace syntask::store
