// SPDX-License-Identifier: Apache-2.0
// THE list of object storage backends. A backend exists when it has a row here.
#include "storage/backends.hpp"

#include <syntask/util/strings.hpp>

namespace syntask::storage {

const std::vector<Backend>& backends()
{
  static const std::vector<Backend> rows{
      {"s3", "bucket", "aws-credentials", &open_s3_store},
      {"gcs", "bucket", "gcp-credentials", &open_gcs_store},
      {"azure", "container", "azure-blob-storage-credentials", &open_azure_store},
  };
  return rows;
}

const Backend& backend(std::string_view service)
{
  for (const auto& row : backends()) {
    if (row.service == service) {
      return row;
    }
  }
  throw UsageError("unknown object storage service " + util::quoted(service));
}

} // namespace syntask::storage
