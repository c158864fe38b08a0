// SPDX-License-Identifier: Apache-2.0
// Private: the integration modules whose block types syntask has built in, for `block register -m`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace syntask::cli {

struct BlockModule {
  std::string name;                    ///< "syntask_aws"
  std::vector<std::string_view> slugs; ///< the built-in block types it stands for
};

/// Every known module, the syntask_* spellings first, then the prefect_* ones.
const std::vector<BlockModule>& block_modules();

/// The module with this name; throws UsageError listing the known syntask_* modules when there is none.
const BlockModule& require_block_module(std::string_view name);

} // namespace syntask::cli
