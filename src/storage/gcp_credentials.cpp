// SPDX-License-Identifier: Apache-2.0
#include "storage/gcp_credentials.hpp"

#include <syntask/util/base64.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace syntask::storage {

namespace {

std::string env(const char* name)
{
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

std::string key_string(const nlohmann::json& key, const char* name, const std::string& what, bool required)
{
  const auto found = key.find(name);
  if (found == key.end() || found->is_null() || (found->is_string() && found->get<std::string>().empty())) {
    if (required) {
      throw ConfigError(what + ": the key has no " + name);
    }
    return {};
  }
  if (!found->is_string()) {
    throw ConfigError(what + ": " + name + " must be a string");
  }
  return found->get<std::string>();
}

nlohmann::json read_key_file(const std::string& path, const std::string& what)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(what + ": cannot read " + util::quoted(path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error&) {
    throw ConfigError(what + ": " + util::quoted(path) + " is not a JSON key file");
  }
}

void register_secrets(const StoreLocation& location, const GcpCredentials& credentials)
{
  for (const auto* secret :
       {&credentials.private_key, &credentials.client_secret, &credentials.refresh_token}) {
    if (secret->empty()) {
      continue;
    }
    util::Redactor::global().add_secret(*secret);
    if (location.redactor != nullptr && location.redactor != &util::Redactor::global()) {
      location.redactor->add_secret(*secret);
    }
  }
}

GcpCredentials from_environment();

std::string expand_home(const std::string& path)
{
  if (util::starts_with(path, "~/")) {
    return env("HOME") + path.substr(1);
  }
  return path;
}

GcpCredentials from_block(const nlohmann::json& block, const std::string& what)
{
  const auto info = block.find("service_account_info");
  const auto file = block.find("service_account_file");
  const bool has_info = info != block.end() && !info->is_null();
  const bool has_file = file != block.end() && !file->is_null();
  if (has_info && has_file) {
    throw ConfigError(what + ": give service_account_info or service_account_file, not both");
  }
  GcpCredentials credentials;
  if (has_info) {
    nlohmann::json key = *info;
    // Older blocks stored the key as a JSON string.
    if (key.is_string()) {
      try {
        key = nlohmann::json::parse(key.get<std::string>());
      } catch (const nlohmann::json::parse_error&) {
        throw ConfigError(what + ": service_account_info is a string that does not hold a JSON key");
      }
    }
    if (!key.is_object()) {
      throw ConfigError(what + ": service_account_info must be an object or a JSON string");
    }
    credentials = parse_gcp_key(key, what + ": service_account_info");
  } else if (has_file) {
    if (!file->is_string()) {
      throw ConfigError(what + ": service_account_file must be a string");
    }
    const auto path = expand_home(file->get<std::string>());
    credentials = parse_gcp_key(read_key_file(path, what + ": service_account_file"),
                                what + ": service_account_file " + util::quoted(path));
  } else {
    return from_environment();
  }
  if (const auto project = block.find("project");
      project != block.end() && project->is_string() && !project->get<std::string>().empty()) {
    credentials.project = project->get<std::string>();
  }
  credentials.source = what;
  return credentials;
}

} // namespace

GcpCredentials parse_gcp_key(const nlohmann::json& key, const std::string& what)
{
  if (!key.is_object()) {
    throw ConfigError(what + ": the key is not a JSON object");
  }
  const auto type = key_string(key, "type", what, true);
  GcpCredentials credentials;
  if (type == "service_account") {
    credentials.kind = GcpCredentials::Kind::service_account;
    credentials.client_email = key_string(key, "client_email", what, true);
    credentials.private_key = key_string(key, "private_key", what, true);
    credentials.private_key_id = key_string(key, "private_key_id", what, false);
    credentials.project = key_string(key, "project_id", what, false);
  } else if (type == "authorized_user") {
    credentials.kind = GcpCredentials::Kind::authorized_user;
    credentials.client_id = key_string(key, "client_id", what, true);
    credentials.client_secret = key_string(key, "client_secret", what, true);
    credentials.refresh_token = key_string(key, "refresh_token", what, true);
    credentials.project = key_string(key, "quota_project_id", what, false);
  } else {
    throw ConfigError(what + ": credentials of type " + util::quoted(type) +
                      " are not supported (use 'service_account' or 'authorized_user')");
  }
  if (auto uri = key_string(key, "token_uri", what, false); !uri.empty()) {
    credentials.token_uri = std::move(uri);
  }
  return credentials;
}

namespace {

GcpCredentials from_environment()
{
  if (auto path = env("GOOGLE_APPLICATION_CREDENTIALS"); !path.empty()) {
    const std::string what = "GOOGLE_APPLICATION_CREDENTIALS " + util::quoted(path);
    auto credentials = parse_gcp_key(read_key_file(path, "GOOGLE_APPLICATION_CREDENTIALS"), what);
    credentials.source = "the GOOGLE_APPLICATION_CREDENTIALS environment variable";
    return credentials;
  }
  auto config = env("CLOUDSDK_CONFIG");
  if (config.empty() && !env("HOME").empty()) {
    config = env("HOME") + "/.config/gcloud";
  }
  const auto adc = config + "/application_default_credentials.json";
  if (!config.empty() && std::ifstream(adc)) {
    auto credentials = parse_gcp_key(read_key_file(adc, util::quoted(adc)), util::quoted(adc));
    credentials.source = util::quoted(adc);
    return credentials;
  }
  throw ConfigError("no google cloud credentials: give the step a gcp-credentials block, set "
                    "GOOGLE_APPLICATION_CREDENTIALS, or run 'gcloud auth application-default login'");
}

} // namespace

GcpCredentials resolve_gcp_credentials(const StoreLocation& location)
{
  GcpCredentials credentials;
  if (auto host = env("STORAGE_EMULATOR_HOST"); !host.empty()) {
    if (host.find("://") == std::string::npos) {
      host = "http://" + host;
    }
    while (!host.empty() && host.back() == '/') {
      host.pop_back();
    }
    credentials.endpoint = host;
    credentials.source = "the STORAGE_EMULATOR_HOST environment variable";
    return credentials;
  }
  const std::string what =
      location.credentials_label.empty() ? std::string("gcp credentials") : location.credentials_label;
  if (location.credentials.is_object() && !location.credentials.empty()) {
    credentials = from_block(location.credentials, what);
    if (!location.credentials_label.empty()) {
      credentials.source = location.credentials_label;
    }
  } else {
    credentials = from_environment();
  }
  if (!location.project.empty()) {
    credentials.project = location.project;
  }
  register_secrets(location, credentials);
  return credentials;
}

std::string rs256_sign(std::string_view pem, std::string_view data, const std::string& what)
{
  const std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr, &EVP_PKEY_free);
  if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    throw ConfigError(what + ": private_key is not a PEM RSA private key");
  }
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::size_t size = 0;
  if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    throw ConfigError(what + ": cannot sign with private_key");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    throw ConfigError(what + ": cannot sign with private_key");
  }
  signature.resize(size);
  return signature;
}

std::string make_service_account_assertion(const GcpCredentials& credentials,
                                           std::chrono::system_clock::time_point now)
{
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!credentials.private_key_id.empty()) {
    header["kid"] = credentials.private_key_id;
  }
  const auto issued = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const nlohmann::json claims = {{"iss", credentials.client_email},
                                 {"scope", std::string(k_gcp_scope)},
                                 {"aud", credentials.token_uri},
                                 {"iat", issued},
                                 {"exp", issued + 3600}};
  const auto signing_input =
      util::base64url_encode(header.dump(), false) + "." + util::base64url_encode(claims.dump(), false);
  return signing_input + "." +
         util::base64url_encode(rs256_sign(credentials.private_key, signing_input, credentials.source),
                                false);
}

} // namespace syntask::storage
