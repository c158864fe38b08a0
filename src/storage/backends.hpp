// SPDX-License-Identifier: Apache-2.0
// The entry point of each backend, one per service file group, listed in backends.cpp.
#pragma once

#include <syntask/storage/object_store.hpp>

namespace syntask::storage {

std::unique_ptr<ObjectStore> open_s3_store(const StoreLocation& location);
std::unique_ptr<ObjectStore> open_gcs_store(const StoreLocation& location);
std::unique_ptr<ObjectStore> open_azure_store(const StoreLocation& location);

} // namespace syntask::storage
