// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/store/block_types.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::store {

namespace {

// Field sets follow Prefect's blocks of the same slug, so a credentials dictionary written for Prefect
// has the same keys here.
std::vector<BlockType> make_block_types()
{
  using K = FieldKind;
  return {
      {"secret",
       "Secret",
       "A secret value such as a token or a password.",
       {
           {"value", K::string, true, true, "The secret value."},
       }},
      {"github-credentials",
       "GitHub Credentials",
       "A token for cloning private GitHub repositories.",
       {
           {"token", K::string, true, false, "A personal access token with read access to the repository."},
           {"username", K::string, false, false,
            "The GitHub user the token belongs to, sent as the HTTP user name (default: x-access-token)."},
       }},
      {"gitlab-credentials",
       "GitLab Credentials",
       "A token for cloning private GitLab repositories.",
       {
           {"token", K::string, true, false,
            "A personal access token with the read_repository scope, or a deploy token as 'user:token'."},
           {"username", K::string, false, false,
            "The user to pair with the token, e.g. a deploy token's user name (default: oauth2)."},
           {"url", K::string, false, false, "The base URL of a self-hosted GitLab instance."},
       }},
      {"bitbucket-credentials",
       "BitBucket Credentials",
       "A token or app password for cloning private Bitbucket repositories.",
       {
           {"token", K::string, true, false, "An access token, optionally as 'user:token'."},
           {"username", K::string, false, false,
            "The user to pair with the token or password (Bitbucket Server needs one; default: "
            "x-token-auth)."},
           {"password", K::string, true, false, "An app password, used when no token is given."},
           {"url", K::string, false, false, "The base URL of a self-hosted Bitbucket Server."},
       }},
      {"aws-credentials",
       "AWS Credentials",
       "Credentials and client settings for Amazon S3 and S3-compatible stores.",
       {
           {"aws_access_key_id", K::string, false, false, "The access key id."},
           {"aws_secret_access_key", K::string, true, false, "The secret access key."},
           {"aws_session_token", K::string, true, false, "The session token of temporary credentials."},
           {"profile_name", K::string, false, false, "A profile from the shared AWS configuration files."},
           {"region_name", K::string, false, false, "The region, e.g. 'us-east-1'."},
           {"aws_client_parameters", K::object, false, false,
            "Client settings: endpoint_url, use_ssl, verify, verify_cert_path, config, api_version."},
           {"assume_role_arn", K::string, false, false, "A role to assume with these credentials."},
           {"assume_role_kwargs", K::object, false, false,
            "Extra AssumeRole parameters, e.g. RoleSessionName, DurationSeconds, ExternalId."},
       }},
      {"gcp-credentials",
       "GCP Credentials",
       "A service account for Google Cloud Storage.",
       {
           {"service_account_file", K::string, false, false,
            "The path of a service-account JSON key file on the machine that runs the step."},
           {"service_account_info", K::object, true, false,
            "The service-account JSON key, as an object or as a string holding one."},
           {"project", K::string, false, false, "The Google Cloud project."},
       }},
      {"azure-blob-storage-credentials",
       "Azure Blob Storage Credentials",
       "A connection string, or an account URL with an account key or a SAS token, for Azure Blob Storage.",
       {
           {"connection_string", K::string, true, false, "The storage account connection string."},
           {"account_url", K::string, false, false,
            "The storage account URL, e.g. 'https://account.blob.core.windows.net'."},
           {"account_key", K::string, true, false,
            "The storage account's access key (base64), used with account_url to sign requests."},
           {"sas_token", K::string, true, false,
            "A shared access signature ('sv=...&sig=...'), used with account_url when no account key is "
            "given."},
           {"tenant_id", K::string, false, false, "The service principal's tenant id (kept, not used)."},
           {"client_id", K::string, false, false, "The service principal's client id (kept, not used)."},
           {"client_secret", K::string, true, false,
            "The service principal's client secret (kept, not used)."},
       }},
      {"docker-registry-credentials",
       "Docker Registry Credentials",
       "A login for a Docker registry.",
       {
           {"username", K::string, false, true, "The registry user name."},
           {"password", K::string, true, true, "The registry password or access token."},
           {"registry_url", K::string, false, true, "The registry address, e.g. 'index.docker.io'."},
           {"reauth", K::boolean, false, false, "Log in again even when a login is cached (default true)."},
       }},
  };
}

} // namespace

const BlockField* BlockType::field(std::string_view name) const
{
  for (const auto& candidate : fields) {
    if (candidate.name == name) {
      return &candidate;
    }
  }
  return nullptr;
}

const std::vector<BlockType>& block_types()
{
  static const std::vector<BlockType> types = make_block_types();
  return types;
}

const BlockType* find_block_type(std::string_view slug)
{
  for (const auto& type : block_types()) {
    if (type.slug == slug) {
      return &type;
    }
  }
  return nullptr;
}

const BlockType& require_block_type(std::string_view slug)
{
  if (const auto* type = find_block_type(slug)) {
    return *type;
  }
  std::vector<std::string> slugs;
  for (const auto& type : block_types()) {
    slugs.emplace_back(type.slug);
  }
  throw UsageError("unknown block type " + util::quoted(slug) + util::did_you_mean(slug, slugs));
}

} // namespace syntask::store
