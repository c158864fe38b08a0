// SPDX-License-Identifier: Apache-2.0
// Reading the Blob service's List Blobs answer.
#pragma once

#include <syntask/storage/object_store.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace syntask::storage {

struct AzureListingPage {
  std::vector<ObjectInfo> objects;
  std::string next_marker; ///< empty on the last page
};

/// Parses one EnumerationResults document (List Blobs with include=metadata). Names marked Encoded="true"
/// are percent-decoded; a blob is a directory marker when its name ends in '/' or its metadata has
/// hdi_isfolder=true (name and value compared case-insensitively). Throws xml::XmlError.
AzureListingPage parse_azure_listing(std::string_view document);

} // namespace syntask::storage
