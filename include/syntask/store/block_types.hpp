// SPDX-License-Identifier: Apache-2.0
// The block types syntask knows, with their fields. Sensitive fields are sealed in the store and
// masked wherever a block is shown.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace syntask::store {

/// The JSON type a field holds. An `object` field may also be given as a string holding a JSON object
/// (gcp-credentials service_account_info, as Prefect accepts).
enum class FieldKind { string, integer, boolean, object };

struct BlockField {
  std::string_view name;
  FieldKind kind;
  bool sensitive;
  bool required;
  std::string_view description;
};

struct BlockType {
  std::string_view slug;  ///< "aws-credentials"
  std::string_view title; ///< "AWS Credentials"
  std::string_view description;
  std::vector<BlockField> fields;

  /// The field with this name, or nullptr.
  const BlockField* field(std::string_view name) const;
};

/// Every block type, in display order. The fields match Prefect's blocks of the same slug.
const std::vector<BlockType>& block_types();
/// The type with this slug; throws UsageError "unknown block type 'X'" (plus "; did you mean 'Y'?" when a
/// slug is close) if none.
const BlockType& require_block_type(std::string_view slug);
/// The type with this slug, or nullptr.
const BlockType* find_block_type(std::string_view slug);

} // namespace syntask::store
