// SPDX-License-Identifier: Apache-2.0
// The SQLite implementation of Store.
#pragma once

#include <syntask/store/store.hpp>

#include <filesystem>
#include <memory>

namespace syntask::store {

/// See Store::open.
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& home);

} // namespace syntask::store
