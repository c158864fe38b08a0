// SPDX-License-Identifier: Apache-2.0
// SSH host keys: OpenSSH known_hosts files (plain, [host]:port, wildcard and hashed entries).
#include <syntask/util/base64.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "git/session.hpp"
#include <fstream>
#include <sstream>

namespace syntask::git::detail {

namespace {

/// The key type named inside an SSH public key blob (a length-prefixed string first).
std::string blob_key_type(const std::string& blob)
{
  if (blob.size() < 4) {
    return {};
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(blob.data());
  const std::size_t length = (std::size_t{bytes[0]} << 24) | (std::size_t{bytes[1]} << 16) |
                             (std::size_t{bytes[2]} << 8) | std::size_t{bytes[3]};
  return length <= blob.size() - 4 ? blob.substr(4, length) : std::string();
}

bool hashed_match(std::string_view entry, const std::string& name)
{
  // |1|base64(salt)|base64(HMAC-SHA1(salt, name))
  const auto parts = util::split(entry, '|');
  if (parts.size() != 4 || parts[1] != "1") {
    return false;
  }
  const auto salt = util::base64_decode(parts[2]).value_or("");
  const auto expected = util::base64_decode(parts[3]).value_or("");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha1(), salt.data(), static_cast<int>(salt.size()),
           reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest, &size) == nullptr) {
    return false;
  }
  return expected == std::string(reinterpret_cast<const char*>(digest), size);
}

bool hosts_match(std::string_view field, const std::string& name)
{
  if (util::starts_with(field, "|")) {
    return hashed_match(field, name);
  }
  bool matched = false;
  for (const auto& pattern : util::split(field, ',')) {
    if (!pattern.empty() && pattern[0] == '!') {
      if (util::glob_match(util::to_lower(pattern.substr(1)), name)) {
        return false;
      }
    } else if (util::glob_match(util::to_lower(pattern), name)) {
      matched = true;
    }
  }
  return matched;
}

std::vector<std::filesystem::path> known_hosts_files()
{
  std::vector<std::filesystem::path> files;
  if (const auto home = util::get_env("HOME"); home && !home->empty()) {
    files.push_back(std::filesystem::path(*home) / ".ssh" / "known_hosts");
  }
  if (const auto extra = util::get_env("SYNTASK_SSH_KNOWN_HOSTS"); extra && !extra->empty()) {
    files.emplace_back(*extra);
  }
  return files;
}

} // namespace

HostKeyStatus check_host_key(const std::string& host, int port, const std::string& key_blob)
{
  const auto lower_host = util::to_lower(host);
  const auto name = port == 0 || port == 22 ? lower_host : "[" + lower_host + "]:" + std::to_string(port);
  const auto key_type = blob_key_type(key_blob);
  bool changed = false;
  for (const auto& file : known_hosts_files()) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string hosts;
      std::string type;
      std::string key;
      if (!(fields >> hosts) || hosts.empty() || hosts[0] == '#') {
        continue;
      }
      if (hosts[0] == '@') {
        continue; // @cert-authority and @revoked entries are not plain host keys
      }
      if (!(fields >> type >> key) || !hosts_match(hosts, name)) {
        continue;
      }
      if (util::base64_decode(key).value_or("") == key_blob) {
        return HostKeyStatus::known;
      }
      if (type == key_type) {
        changed = true;
      }
    }
  }
  return changed ? HostKeyStatus::changed : HostKeyStatus::unknown;
}

} // namespace syntask::git::detail
