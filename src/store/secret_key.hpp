// SPDX-License-Identifier: Apache-2.0
// Where the store's sealing key comes from: SYNTASK_SECRET_KEY, else SYNTASK_HOME/secret.key.
#pragma once

#include "store/sealed_box.hpp"
#include <filesystem>

namespace syntask::store {

/// The key named by SYNTASK_SECRET_KEY (64 hex characters) when that variable is set; otherwise the key
/// in home/secret.key, which is created (mode 0600) if it does not exist. Safe when several processes
/// start at once: exactly one key file is ever created and all of them read it.
/// Throws StoreError when the variable is malformed, or the file is unreadable, malformed or readable or
/// writable by anyone but its owner.
SecretKey load_secret_key(const std::filesystem::path& home);

} // namespace syntask::store
