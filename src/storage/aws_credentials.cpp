// SPDX-License-Identifier: Apache-2.0
#include "storage/aws_credentials.hpp"

#include <syntask/error.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "storage/aws_profiles.hpp"

namespace syntask::storage::aws {

namespace {

using nlohmann::json;

constexpr const char* k_default_region = "us-east-1";

// A string field of a JSON object; "" when absent, null or not a string.
std::string text_field(const json& object, const char* name)
{
  if (!object.is_object()) {
    return {};
  }
  auto found = object.find(name);
  if (found == object.end() || !found->is_string()) {
    return {};
  }
  return util::trim(found->get<std::string>());
}

std::string env(const char* name)
{
  return util::trim(util::get_env(name).value_or(""));
}

// The block's aws_client_parameters win over the step's client_parameters, key by key; the step's
// fill what the block leaves unset (the reference ignores the step's entirely when the block has any).
json merged_client_parameters(const StoreLocation& location)
{
  json merged = location.client_parameters.is_object() ? location.client_parameters : json::object();
  if (location.credentials.is_object()) {
    auto block = location.credentials.find("aws_client_parameters");
    if (block != location.credentials.end() && block->is_object()) {
      for (const auto& [key, value] : block->items()) {
        if (!value.is_null()) {
          merged[key] = value;
        }
      }
    }
  }
  return merged;
}

std::string block_name(const StoreLocation& location)
{
  return location.credentials_label.empty() ? std::string("the step's credentials")
                                            : location.credentials_label;
}

std::string block_hint(const StoreLocation& location)
{
  return location.credentials_label.empty() ? std::string("in the step's credentials")
                                            : "in " + location.credentials_label;
}

void register_secrets(const StoreLocation& location, const SigningKeys& keys)
{
  auto& redactor = location.redactor != nullptr ? *location.redactor : util::Redactor::global();
  redactor.add_secret(keys.secret_access_key);
  redactor.add_secret(keys.session_token);
}

// Keys given as a pair; one without the other is a configuration mistake worth naming.
std::optional<SigningKeys> key_pair(std::string id, std::string secret, std::string token,
                                    const std::string& where, const std::string& id_name,
                                    const std::string& secret_name)
{
  if (id.empty() && secret.empty()) {
    return std::nullopt;
  }
  if (id.empty()) {
    throw ConfigError(where + ": " + secret_name + " is set but " + id_name + " is not");
  }
  if (secret.empty()) {
    throw ConfigError(where + ": " + id_name + " is set but " + secret_name + " is not");
  }
  return SigningKeys{std::move(id), std::move(secret), std::move(token)};
}

// Keys from a profile; nullopt when it holds none (a profile may hold only a region).
std::optional<SigningKeys> profile_keys(const Profile& profile, const std::string& where)
{
  return key_pair(setting(profile, "aws_access_key_id"), setting(profile, "aws_secret_access_key"),
                  setting(profile, "aws_session_token"), where, "aws_access_key_id", "aws_secret_access_key");
}

std::string unsupported_profile_kind(const Profile& profile)
{
  for (const char* key :
       {"role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file"}) {
    if (!setting(profile, key).empty()) {
      return key;
    }
  }
  return {};
}

struct ChainResult {
  SigningKeys keys;
  KeySource source = KeySource::block;
  std::string hint;
  std::optional<std::chrono::system_clock::time_point> expires;
};

ChainResult keys_from_profile(const SharedFiles& files, const std::string& name, bool explicit_choice)
{
  auto profile = files.profile(name);
  auto where = "profile " + util::quoted(name) + " in " + files.describe_source(name);
  if (!profile) {
    if (explicit_choice) {
      throw ConfigError("AWS profile " + util::quoted(name) + " not found in " + files.credentials_name +
                        " or " + files.config_name);
    }
    return {};
  }
  if (auto keys = profile_keys(*profile, where)) {
    return {*keys, KeySource::profile, "from " + where, std::nullopt};
  }
  if (explicit_choice) {
    auto kind = unsupported_profile_kind(*profile);
    throw ConfigError(where + " has no aws_access_key_id" +
                      (kind.empty() ? std::string{} : " (profiles with " + kind + " are not supported)"));
  }
  return {};
}

ChainResult resolve_keys(const StoreLocation& location, const SharedFiles& files, std::string& profile_used)
{
  const auto& block = location.credentials;
  if (!text_field(block, "assume_role_arn").empty()) {
    throw ConfigError(block_name(location) +
                      ": assume_role_arn: assuming a role is not supported; give the role's temporary keys "
                      "(aws_session_token) or a profile with keys");
  }
  auto id = text_field(block, "aws_access_key_id");
  auto secret = text_field(block, "aws_secret_access_key");
  bool minio = id.empty() && secret.empty();
  if (minio) {
    id = text_field(block, "minio_root_user");
    secret = text_field(block, "minio_root_password");
  }
  if (auto keys = key_pair(id, secret, text_field(block, "aws_session_token"), block_name(location),
                           minio ? "minio_root_user" : "aws_access_key_id",
                           minio ? "minio_root_password" : "aws_secret_access_key")) {
    return {*keys, KeySource::block, block_hint(location), std::nullopt};
  }
  // A profile named in the block is the only source, as with boto3's Session(profile_name=...).
  if (auto name = text_field(block, "profile_name"); !name.empty()) {
    profile_used = name;
    auto found = keys_from_profile(files, name, true);
    if (!location.credentials_label.empty()) {
      found.hint += " (the profile_name of " + location.credentials_label + ")";
    }
    return found;
  }
  if (auto keys = key_pair(env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN"),
                           "the environment", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
    return {*keys, KeySource::environment, "from the AWS_ACCESS_KEY_ID environment variable", std::nullopt};
  }
  auto profile_env = env("AWS_PROFILE");
  profile_used = profile_env.empty() ? "default" : profile_env;
  auto from_profile = keys_from_profile(files, profile_used, !profile_env.empty());
  if (!from_profile.keys.access_key_id.empty()) {
    return from_profile;
  }
  if (auto url = container_credentials_url()) {
    auto fetched = fetch_container_keys(*url);
    return {fetched.keys, KeySource::container, "from the container credentials endpoint", fetched.expires};
  }
  if (auto fetched = fetch_instance_keys()) {
    return {fetched->keys, KeySource::instance, "from the EC2 instance metadata service", fetched->expires};
  }
  throw ConfigError("no AWS credentials found: give the step a credentials block (aws-credentials), set "
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a profile to ~/.aws/credentials");
}

std::string normalise_endpoint(std::string url, bool use_ssl)
{
  url = util::trim(url);
  if (url.find("://") == std::string::npos) {
    url = (use_ssl ? "https://" : "http://") + url;
  }
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  auto scheme = util::to_lower(url.substr(0, url.find("://")));
  if (scheme != "http" && scheme != "https") {
    throw ConfigError("endpoint_url: " + util::quoted(url) + " is not an http or https URL");
  }
  return url;
}

} // namespace

AwsSettings resolve_settings(const StoreLocation& location)
{
  auto files = SharedFiles::load();
  std::string profile_name;
  auto chain = resolve_keys(location, files, profile_name);
  register_secrets(location, chain.keys);

  AwsSettings settings;
  settings.keys = chain.keys;
  settings.source = chain.source;
  settings.credentials_hint = chain.hint;
  settings.expires = chain.expires;
  if (profile_name.empty()) {
    profile_name = env("AWS_PROFILE").empty() ? "default" : env("AWS_PROFILE");
  }
  auto profile = files.profile(profile_name).value_or(Profile{});
  auto parameters = merged_client_parameters(location);

  for (auto candidate :
       {text_field(location.credentials, "region_name"), text_field(parameters, "region_name"),
        env("AWS_REGION"), env("AWS_DEFAULT_REGION"), setting(profile, "region")}) {
    if (!candidate.empty()) {
      settings.region = candidate;
      break;
    }
  }
  if (settings.region.empty()) {
    settings.region = k_default_region;
  }

  if (parameters.contains("use_ssl") && parameters["use_ssl"].is_boolean()) {
    settings.use_ssl = parameters["use_ssl"].get<bool>();
  }
  for (auto candidate :
       {text_field(parameters, "endpoint_url"), env("AWS_ENDPOINT_URL_S3"), env("AWS_ENDPOINT_URL"),
        setting(profile, "s3.endpoint_url"), setting(profile, "endpoint_url")}) {
    if (!candidate.empty()) {
      settings.endpoint_url = normalise_endpoint(candidate, settings.use_ssl);
      break;
    }
  }

  if (parameters.contains("config") && parameters["config"].is_object()) {
    const auto& config = parameters["config"];
    if (config.contains("s3") && config["s3"].is_object()) {
      settings.addressing_style = text_field(config["s3"], "addressing_style");
    }
  }
  if (settings.addressing_style.empty()) {
    settings.addressing_style = setting(profile, "s3.addressing_style");
  }
  if (settings.addressing_style == "auto") {
    settings.addressing_style.clear();
  }
  if (!settings.addressing_style.empty() && settings.addressing_style != "path" &&
      settings.addressing_style != "virtual") {
    throw ConfigError("addressing_style: " + util::quoted(settings.addressing_style) +
                      " is not one of 'auto', 'path', 'virtual'");
  }

  // A path in verify_cert_path beats one in verify, as in the reference.
  auto verify = parameters.contains("verify") ? parameters["verify"] : json();
  if (verify.is_boolean() && !verify.get<bool>()) {
    settings.verify_tls = false;
  }
  for (auto candidate :
       {text_field(parameters, "verify_cert_path"), verify.is_string() ? verify.get<std::string>() : "",
        env("AWS_CA_BUNDLE"), setting(profile, "ca_bundle")}) {
    if (!util::trim(candidate).empty()) {
      settings.ca_file = util::trim(candidate);
      break;
    }
  }
  return settings;
}

void refresh_if_expiring(AwsSettings& settings, std::chrono::system_clock::time_point now)
{
  if (!settings.expires || *settings.expires - now > std::chrono::minutes(5)) {
    return;
  }
  std::optional<TemporaryKeys> fetched;
  if (settings.source == KeySource::container) {
    if (auto url = container_credentials_url()) {
      fetched = fetch_container_keys(*url);
    }
  } else if (settings.source == KeySource::instance) {
    fetched = fetch_instance_keys();
  }
  if (fetched) {
    settings.keys = fetched->keys;
    settings.expires = fetched->expires;
    util::Redactor::global().add_secret(settings.keys.secret_access_key);
    util::Redactor::global().add_secret(settings.keys.session_token);
  }
}

} // namespace syntask::storage::aws
