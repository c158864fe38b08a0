// SPDX-License-Identifier: Apache-2.0
#include "storage/azure_listing.hpp"

#include <syntask/http/client.hpp>
#include <syntask/util/strings.hpp>

#include "storage/xml_reader.hpp"
#include <charconv>

namespace syntask::storage {

namespace {

std::string unquoted(std::string etag)
{
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    return etag.substr(1, etag.size() - 2);
  }
  return etag;
}

bool is_folder_metadata(const xml::Element* metadata)
{
  if (metadata == nullptr) {
    return false;
  }
  for (const auto& entry : metadata->children) {
    if (util::to_lower(entry.name) == "hdi_isfolder" && util::to_lower(util::trim(entry.text)) == "true") {
      return true;
    }
  }
  return false;
}

} // namespace

AzureListingPage parse_azure_listing(std::string_view document)
{
  const auto root = xml::parse(document);
  if (root.name != "EnumerationResults") {
    throw xml::XmlError("expected EnumerationResults, got '" + root.name + "'");
  }
  AzureListingPage page;
  if (const auto* blobs = root.child("Blobs")) {
    for (const auto* blob : blobs->children_named("Blob")) {
      ObjectInfo info;
      const auto* name = blob->child("Name");
      if (name == nullptr) {
        continue;
      }
      info.key = name->attribute("Encoded") == "true" ? http::percent_decode(name->text) : name->text;
      if (const auto* properties = blob->child("Properties")) {
        const auto length = util::trim(properties->child_text("Content-Length"));
        std::from_chars(length.data(), length.data() + length.size(), info.size);
        info.etag = unquoted(properties->child_text("Etag"));
      }
      info.is_directory_marker =
          util::ends_with(info.key, "/") || is_folder_metadata(blob->child("Metadata"));
      page.objects.push_back(std::move(info));
    }
  }
  page.next_marker = util::trim(root.child_text("NextMarker"));
  return page;
}

} // namespace syntask::storage
