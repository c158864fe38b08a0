// SPDX-License-Identifier: Apache-2.0
// The store's tables and their versioning.
#pragma once

#include "store/sqlite_db.hpp"

namespace syntask::store {

/// The schema version this build writes and understands.
inline constexpr int k_schema_version = 1;

/// Creates the tables of an empty database, or checks the version of an existing one. Safe when several
/// processes open a new database at once. Throws StoreError for a database written by a newer syntask.
void migrate(Database& database);

} // namespace syntask::store
