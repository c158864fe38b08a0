// SPDX-License-Identifier: Apache-2.0
// Where an Azure Blob account is and how requests to it are authorised: connection strings, account
// URLs with a key or a SAS token, and the AZURE_STORAGE_* environment.
#pragma once

#include <syntask/storage/object_store.hpp>

#include <string>
#include <string_view>

namespace syntask::storage {

/// azurite's development account: name, key and blob endpoint (public, the same in every installation).
inline constexpr std::string_view k_azurite_account = "devstoreaccount1";
inline constexpr std::string_view k_azurite_key =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
inline constexpr std::string_view k_azurite_endpoint = "http://127.0.0.1:10000/devstoreaccount1";

struct AzureAccount {
  std::string name; ///< the storage account name (needed for Shared Key)
  std::string
      endpoint;    ///< the blob endpoint URL without a trailing '/', e.g. https://acct.blob.core.windows.net
  std::string key; ///< the account key as given (base64); empty when a SAS is used
  std::string sas; ///< a SAS token without its leading '?'; empty when a key is used
  /// How to name these credentials in messages: the block label, or the source they came from.
  std::string source;
};

/// Parses a connection string (`Key=Value;...`, key names in any case, values may hold '='):
/// AccountName, AccountKey, DefaultEndpointsProtocol, EndpointSuffix, BlobEndpoint, SharedAccessSignature,
/// and UseDevelopmentStorage=true (azurite's account). Other keys (queue and table endpoints) are ignored.
/// Throws ConfigError with a message that starts with `what` and never holds a secret.
AzureAccount parse_connection_string(std::string_view text, std::string_view what = "connection string");

/// The account for a step, first match wins: the credentials block's connection_string; its account_url
/// with account_key, or else sas_token, or else a SAS in the URL's query, or else AZURE_STORAGE_KEY, or
/// else AZURE_STORAGE_SAS_TOKEN; without a block, AZURE_STORAGE_CONNECTION_STRING. tenant_id, client_id and
/// client_secret are never used. The result holds a key or a SAS, never both (a key wins). Registers every
/// key and SAS with location.redactor and the global Redactor. Throws ConfigError when nothing usable is
/// given.
AzureAccount resolve_azure_account(const StoreLocation& location);

} // namespace syntask::storage
