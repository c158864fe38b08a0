// SPDX-License-Identifier: Apache-2.0
#include "store/schema.hpp"

#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

#include <optional>
#include <string>

namespace syntask::store {

namespace {

// Version 1. JSON columns hold serialised JSON text; `sealed` holds the secretbox of a block's sensitive
// fields (nonce followed by ciphertext), or NULL when it has none. Times are ISO-8601 UTC.
constexpr const char* k_schema_v1 = R"sql(
CREATE TABLE blocks (
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data)),
  sealed BLOB,
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  PRIMARY KEY (type, name)
);
CREATE TABLE variables (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
);
CREATE TABLE deployments (
  flow_name TEXT NOT NULL,
  name TEXT NOT NULL,
  record TEXT NOT NULL CHECK (json_valid(record)),
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  PRIMARY KEY (flow_name, name)
);
CREATE TABLE work_pools (
  name TEXT NOT NULL PRIMARY KEY,
  type TEXT NOT NULL,
  created TEXT NOT NULL
);
)sql";

const std::string k_action = "prepare the tables";

/// The stored version, or nullopt for a database without the schema_version table or row.
std::optional<int> stored_version(Database& database)
{
  auto table = database.prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", k_action);
  if (!table.step()) {
    return std::nullopt;
  }
  auto version = database.prepare("SELECT version FROM schema_version", k_action);
  if (!version.step()) {
    return std::nullopt;
  }
  return std::stoi(version.text(0));
}

void check_supported(const Database& database, int version)
{
  if (version > k_schema_version) {
    throw StoreError("store " + util::quoted(database.path().string()) + " has schema version " +
                     std::to_string(version) + ", newer than this syntask understands (" +
                     std::to_string(k_schema_version) + "); upgrade syntask");
  }
}

} // namespace

void migrate(Database& database)
{
  // The common case, an up-to-date database, needs no write lock.
  if (const auto version = stored_version(database); version && *version >= k_schema_version) {
    check_supported(database, *version);
    return;
  }
  Transaction transaction(database, k_action);
  // Another process may have created the tables while this one waited for the lock.
  const auto version = stored_version(database);
  if (version) {
    check_supported(database, *version);
    return;
  }
  database.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", k_action);
  database.execute(k_schema_v1, k_action);
  database.prepare("INSERT INTO schema_version (version) VALUES (?1)", k_action)
      .bind(1, std::to_string(k_schema_version))
      .run();
  transaction.commit();
}

} // namespace syntask::store
