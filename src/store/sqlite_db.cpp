// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite_db.hpp"

#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

#include <sqlite3.h>

#include <thread>

namespace syntask::store {

namespace {

std::string store_name(const std::filesystem::path& path)
{
  return "store " + util::quoted(path.string());
}

} // namespace

Statement::Statement(Database& database, sqlite3_stmt* statement, std::string action)
    : m_database(database), m_statement(statement), m_action(std::move(action))
{
}

Statement::~Statement()
{
  sqlite3_finalize(m_statement);
}

Statement& Statement::bind(int index, std::string_view text)
{
  if (sqlite3_bind_text64(m_statement, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
      SQLITE_OK) {
    m_database.fail(m_action);
  }
  return *this;
}

Statement& Statement::bind(int index, const std::vector<unsigned char>& blob)
{
  // sqlite3_bind_blob64 with a null pointer would bind NULL rather than an empty blob.
  const int result =
      blob.empty() ? sqlite3_bind_zeroblob(m_statement, index, 0)
                   : sqlite3_bind_blob64(m_statement, index, blob.data(), blob.size(), SQLITE_TRANSIENT);
  if (result != SQLITE_OK) {
    m_database.fail(m_action);
  }
  return *this;
}

Statement& Statement::bind_null(int index)
{
  if (sqlite3_bind_null(m_statement, index) != SQLITE_OK) {
    m_database.fail(m_action);
  }
  return *this;
}

bool Statement::step()
{
  const int result = sqlite3_step(m_statement);
  if (result == SQLITE_ROW) {
    return true;
  }
  if (result == SQLITE_DONE) {
    return false;
  }
  m_database.fail(m_action);
}

void Statement::run()
{
  while (step()) {
  }
}

std::string Statement::text(int column) const
{
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, column));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column));
  return data == nullptr ? std::string() : std::string(data, size);
}

std::vector<unsigned char> Statement::blob(int column) const
{
  const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(m_statement, column));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column));
  return data == nullptr ? std::vector<unsigned char>() : std::vector<unsigned char>(data, data + size);
}

bool Statement::is_null(int column) const
{
  return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

Database::Database(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout)
    : m_path(path), m_busy_timeout(busy_timeout)
{
  const int result =
      sqlite3_open_v2(path.c_str(), &m_handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (result != SQLITE_OK) {
    const std::string reason = m_handle != nullptr ? sqlite3_errmsg(m_handle) : sqlite3_errstr(result);
    sqlite3_close(m_handle);
    throw StoreError("cannot open " + store_name(path) + ": " + reason);
  }
  sqlite3_extended_result_codes(m_handle, 1);
  sqlite3_busy_timeout(m_handle, static_cast<int>(busy_timeout.count()));
}

Database::~Database()
{
  sqlite3_close(m_handle);
}

Statement Database::prepare(std::string_view sql, const std::string& action)
{
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(m_handle, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) !=
      SQLITE_OK) {
    fail(action);
  }
  return Statement(*this, statement, action);
}

void Database::execute(const std::string& sql, const std::string& action)
{
  if (sqlite3_exec(m_handle, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    fail(action);
  }
}

void Database::execute_when_unlocked(const std::string& sql, const std::string& action)
{
  const auto deadline = std::chrono::steady_clock::now() + m_busy_timeout;
  while (true) {
    const int result = sqlite3_exec(m_handle, sql.c_str(), nullptr, nullptr, nullptr) & 0xff;
    if (result == SQLITE_OK) {
      return;
    }
    if ((result != SQLITE_BUSY && result != SQLITE_LOCKED) || std::chrono::steady_clock::now() >= deadline) {
      fail(action);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int Database::changes() const
{
  return sqlite3_changes(m_handle);
}

void Database::fail(const std::string& action) const
{
  throw StoreError("cannot " + action + " in " + store_name(m_path) + ": " + sqlite3_errmsg(m_handle));
}

Transaction::Transaction(Database& database, std::string action)
    : m_database(database), m_action(std::move(action))
{
  m_database.execute("BEGIN IMMEDIATE", m_action);
}

Transaction::~Transaction()
{
  if (m_open) {
    // Errors are ignored: the transaction is being abandoned because of an earlier error.
    try {
      m_database.execute("ROLLBACK", m_action);
    } catch (const StoreError&) {
    }
  }
}

void Transaction::commit()
{
  m_database.execute("COMMIT", m_action);
  m_open = false;
}

} // namespace syntask::store
