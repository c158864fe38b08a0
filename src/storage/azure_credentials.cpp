// SPDX-License-Identifier: Apache-2.0
#include "storage/azure_credentials.hpp"

#include <syntask/util/base64.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include <cstdlib>
#include <map>

namespace syntask::storage {

namespace {

std::string env(const char* name)
{
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

std::string without_trailing_slash(std::string url)
{
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

std::string without_leading_question_mark(std::string_view sas)
{
  return std::string(!sas.empty() && sas.front() == '?' ? sas.substr(1) : sas);
}

bool is_ip_or_localhost(std::string_view host)
{
  if (host == "localhost" || (!host.empty() && host.front() == '[')) {
    return true;
  }
  return host.find_first_not_of("0123456789.:") == std::string_view::npos;
}

// The account name an endpoint names: the first label of the host, or for an emulator's path-style
// endpoint (an IP address or localhost) the first path segment.
std::string account_from_endpoint(std::string_view endpoint)
{
  const auto scheme_end = endpoint.find("://");
  const auto host_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto path_start = endpoint.find('/', host_start);
  auto host = endpoint.substr(host_start, path_start == std::string_view::npos ? std::string_view::npos
                                                                               : path_start - host_start);
  if (const auto at = host.rfind('@'); at != std::string_view::npos) {
    host = host.substr(at + 1);
  }
  if (host.empty()) {
    return {};
  }
  const auto colon = host.front() == '[' ? host.find("]:") : host.rfind(':');
  const auto bare_host =
      colon == std::string_view::npos ? host : host.substr(0, colon + (host.front() == '['));
  if (is_ip_or_localhost(bare_host)) {
    if (path_start == std::string_view::npos) {
      return {};
    }
    const auto path = endpoint.substr(path_start + 1);
    return std::string(path.substr(0, path.find('/')));
  }
  return std::string(bare_host.substr(0, bare_host.find('.')));
}

void check_key(std::string_view key, std::string_view what, std::string_view field)
{
  if (!util::base64_decode(key)) {
    throw ConfigError(std::string(what) + ": " + std::string(field) + " is not base64");
  }
}

void register_secret(const StoreLocation& location, std::string_view secret)
{
  if (secret.empty()) {
    return;
  }
  util::Redactor::global().add_secret(secret);
  if (location.redactor != nullptr && location.redactor != &util::Redactor::global()) {
    location.redactor->add_secret(secret);
  }
}

// The SAS's signature also travels percent-encoded in URLs; both spellings are secrets.
void register_account(const StoreLocation& location, const AzureAccount& account)
{
  register_secret(location, account.key);
  register_secret(location, account.sas);
  const auto sig = account.sas.find("sig=");
  if (sig != std::string::npos) {
    const auto end = account.sas.find('&', sig);
    register_secret(location, account.sas.substr(sig + 4, end == std::string::npos ? end : end - sig - 4));
  }
}

std::string string_field(const nlohmann::json& credentials, const char* name)
{
  if (!credentials.is_object()) {
    return {};
  }
  const auto found = credentials.find(name);
  if (found == credentials.end() || found->is_null()) {
    return {};
  }
  if (!found->is_string()) {
    throw ConfigError(std::string("azure credentials: ") + name + " must be a string");
  }
  return found->get<std::string>();
}

bool has_service_principal(const nlohmann::json& credentials)
{
  return !string_field(credentials, "tenant_id").empty() || !string_field(credentials, "client_id").empty() ||
         !string_field(credentials, "client_secret").empty();
}

// account_url with, first match wins: account_key, sas_token, a SAS in the URL's query, AZURE_STORAGE_KEY,
// AZURE_STORAGE_SAS_TOKEN. Service principal fields never sign anything.
AzureAccount from_account_url(const nlohmann::json& credentials, const std::string& what)
{
  std::string url = string_field(credentials, "account_url");
  std::string url_sas;
  if (const auto query = url.find('?'); query != std::string::npos) {
    url_sas = url.substr(query + 1);
    url.erase(query);
  }
  if (url.find("://") == std::string::npos) {
    throw ConfigError(what + ": account_url " + util::quoted(url) + " is not an http(s) URL");
  }
  AzureAccount account;
  account.endpoint = without_trailing_slash(url);
  account.name = account_from_endpoint(account.endpoint);
  account.key = string_field(credentials, "account_key");
  if (account.key.empty()) {
    account.sas = without_leading_question_mark(string_field(credentials, "sas_token"));
  }
  if (account.key.empty() && account.sas.empty()) {
    account.sas = url_sas;
  }
  if (account.key.empty() && account.sas.empty()) {
    account.key = env("AZURE_STORAGE_KEY");
    if (account.key.empty()) {
      account.sas = without_leading_question_mark(env("AZURE_STORAGE_SAS_TOKEN"));
    }
  }
  if (!account.key.empty()) {
    check_key(account.key, what, "account_key");
    if (account.name.empty()) {
      throw ConfigError(what + ": cannot tell the account name from account_url " + util::quoted(url));
    }
  } else if (account.sas.empty()) {
    throw ConfigError(what +
                      ": account_url needs account_key or sas_token (or a SAS in the URL's query, "
                      "AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN)" +
                      (has_service_principal(credentials)
                           ? "; tenant_id, client_id and client_secret are not used for signing"
                           : ""));
  }
  return account;
}

} // namespace

AzureAccount parse_connection_string(std::string_view text, std::string_view what)
{
  const std::string prefix(what);
  std::map<std::string, std::string> values; // lowercased names
  std::size_t index = 0;
  for (const auto& segment : util::split(text, ';')) {
    ++index;
    const auto trimmed = util::trim(segment);
    if (trimmed.empty()) {
      continue;
    }
    const auto equals = trimmed.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw ConfigError(prefix + ": part " + std::to_string(index) + " is not Name=Value");
    }
    values[util::to_lower(util::trim(trimmed.substr(0, equals)))] = util::trim(trimmed.substr(equals + 1));
  }
  const auto get = [&](const char* name) {
    const auto found = values.find(name);
    return found != values.end() ? found->second : std::string();
  };

  AzureAccount account;
  if (const auto development = get("usedevelopmentstorage"); !development.empty()) {
    if (util::to_lower(development) != "true") {
      throw ConfigError(prefix + ": UseDevelopmentStorage must be 'true'");
    }
    account.name = k_azurite_account;
    account.key = k_azurite_key;
    account.endpoint = k_azurite_endpoint;
    // A proxy URI moves the emulator; Azure's SDKs accept it as DevelopmentStorageProxyUri.
    if (const auto proxy = get("developmentstorageproxyuri"); !proxy.empty()) {
      account.endpoint = without_trailing_slash(proxy) + "/" + std::string(k_azurite_account);
    }
    return account;
  }

  account.name = get("accountname");
  account.key = get("accountkey");
  account.sas = without_leading_question_mark(get("sharedaccesssignature"));
  if (const auto endpoint = get("blobendpoint"); !endpoint.empty()) {
    if (endpoint.find("://") == std::string::npos) {
      throw ConfigError(prefix + ": BlobEndpoint " + util::quoted(endpoint) + " is not an http(s) URL");
    }
    account.endpoint = without_trailing_slash(endpoint);
    if (account.name.empty()) {
      account.name = account_from_endpoint(account.endpoint);
    }
  } else {
    if (account.name.empty()) {
      throw ConfigError(prefix + ": AccountName is missing (or give BlobEndpoint)");
    }
    auto protocol = get("defaultendpointsprotocol");
    protocol = protocol.empty() ? "https" : util::to_lower(protocol);
    if (protocol != "https" && protocol != "http") {
      throw ConfigError(prefix + ": DefaultEndpointsProtocol must be 'http' or 'https', not " +
                        util::quoted(protocol));
    }
    auto suffix = get("endpointsuffix");
    if (suffix.empty()) {
      suffix = "core.windows.net";
    }
    account.endpoint = protocol + "://" + account.name + ".blob." + suffix;
  }
  if (account.key.empty() && account.sas.empty()) {
    throw ConfigError(prefix + ": it has neither AccountKey nor SharedAccessSignature");
  }
  if (!account.key.empty()) {
    check_key(account.key, prefix, "AccountKey");
    if (account.name.empty()) {
      throw ConfigError(prefix + ": AccountName is missing");
    }
  }
  return account;
}

AzureAccount resolve_azure_account(const StoreLocation& location)
{
  const auto& credentials = location.credentials;
  const bool has_block = credentials.is_object() && !credentials.empty();
  const std::string what =
      location.credentials_label.empty() ? std::string("azure credentials") : location.credentials_label;
  AzureAccount account;
  if (has_block) {
    const auto connection_string = string_field(credentials, "connection_string");
    const auto account_url = string_field(credentials, "account_url");
    if (!connection_string.empty()) {
      account = parse_connection_string(connection_string, what + ": connection_string");
    } else if (!account_url.empty()) {
      account = from_account_url(credentials, what);
    } else {
      throw ConfigError(what + ": credentials need connection_string, or account_url with account_key or "
                               "sas_token");
    }
    account.source = location.credentials_label.empty() ? "the azure credentials given to the step"
                                                        : location.credentials_label;
  } else {
    const auto connection_string = env("AZURE_STORAGE_CONNECTION_STRING");
    if (connection_string.empty()) {
      throw ConfigError("no azure credentials: give the step a credentials block "
                        "(azure-blob-storage-credentials) or set AZURE_STORAGE_CONNECTION_STRING");
    }
    account = parse_connection_string(connection_string, "AZURE_STORAGE_CONNECTION_STRING");
    account.source = "the AZURE_STORAGE_CONNECTION_STRING environment variable";
  }
  register_account(location, account);
  // With both, the key signs (as Azure's SDKs do): a SAS that also travelled in the query could only
  // narrow what the key allows.
  if (!account.key.empty()) {
    account.sas.clear();
  }
  return account;
}

} // namespace syntask::storage
