// SPDX-License-Identifier: Apache-2.0
// Checks every ObjectStore backend must pass against its test server, shared by the [.s3], [.gcs] and
// [.azure] cases. Each works under `prefix` in a bucket of its own and uses Catch2 assertions.
#pragma once

#include <syntask/storage/object_store.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace syntask::test {

/// Every key under `prefix`, sorted.
std::vector<std::string> listed_keys(storage::ObjectStore& store, const std::string& prefix);

/// put_file / get_file / put_bytes / get_bytes / stat byte-identical: random binary, empty, text, names with
/// spaces and UTF-8.
void check_round_trip(storage::ObjectStore& store, const std::string& prefix);

/// A file of `size` bytes up (through start_multipart when the store's threshold says so) and down again,
/// byte-identical, with peak RSS growing by far less than the file.
void check_large_file(storage::ObjectStore& store, const std::string& prefix, std::uint64_t size);

/// A tree with one file of `size` bytes and a few small ones pushed with upload_tree (4 workers: the large
/// file's parts go up side by side when the store uses multipart) and pulled back with download_tree,
/// byte-identical, with peak RSS growing by far less than the file.
void check_large_push(storage::ObjectStore& store, const std::string& folder, std::uint64_t size);

/// More than one page of keys (1,100) all listed, each once.
void check_paging(storage::ObjectStore& store, const std::string& prefix);

/// Listing `folder/` never returns `folder-2/` keys; listing `folder` returns both.
void check_sibling_prefixes(storage::ObjectStore& store, const std::string& prefix);

/// stat, get_bytes and remove of a missing key; get_file of one fails naming it.
void check_missing_keys(storage::ObjectStore& store, const std::string& prefix);

} // namespace syntask::test
