// SPDX-License-Identifier: Apache-2.0
// How a block is split for storage: clear fields as JSON, sensitive fields sealed in one box.
#pragma once

#include <syntask/store/store.hpp>

#include <nlohmann/json.hpp>

#include "store/sealed_box.hpp"
#include <optional>
#include <string>
#include <vector>

namespace syntask::store {

/// A block as it is stored.
struct StoredBlock {
  nlohmann::json data;                              ///< the fields that are not sealed
  std::optional<std::vector<unsigned char>> sealed; ///< the sealed fields as JSON, or none
};

/// Splits a block. Sealed are the fields its type marks sensitive plus any listed in block.sensitive.
/// Throws StoreError for an unknown block type or when block.data is not a JSON object.
StoredBlock seal_block(const Block& block, const SecretKey& key);

/// Joins a stored block again. Block::sensitive lists the type's sensitive fields, then any other
/// field that was sealed. Throws StoreError when the box does not open with this key.
Block open_block(const std::string& type, const std::string& name, nlohmann::json data,
                 const std::optional<std::vector<unsigned char>>& sealed, const SecretKey& key);

/// "'type/name'", as blocks are named in messages.
std::string block_label(const std::string& type, const std::string& name);

} // namespace syntask::store
