// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch_test_macros.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "git/session.hpp"
#include "support/env_scope.hpp"
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace syntask;
using namespace syntask::git::detail;

namespace {

std::string base64(const std::string& data)
{
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int size =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(size));
  return out;
}

std::string key_blob(const std::string& type, const std::string& body)
{
  std::string blob;
  const auto length = static_cast<std::uint32_t>(type.size());
  blob += static_cast<char>((length >> 24) & 0xff);
  blob += static_cast<char>((length >> 16) & 0xff);
  blob += static_cast<char>((length >> 8) & 0xff);
  blob += static_cast<char>(length & 0xff);
  return blob + type + body;
}

std::string hashed_host(const std::string& salt, const std::string& name)
{
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha1(), salt.data(), static_cast<int>(salt.size()),
       reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest, &size);
  return "|1|" + base64(salt) + "|" + base64(std::string(reinterpret_cast<const char*>(digest), size));
}

struct KnownHostsFixture {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("syntask-known-hosts-" + std::to_string(::getpid()));
  test::EnvScope home{"HOME", (dir / "home").string()};
  test::EnvScope extra{"SYNTASK_SSH_KNOWN_HOSTS", (dir / "extra_known_hosts").string()};

  KnownHostsFixture() { std::filesystem::create_directories(dir / "home" / ".ssh"); }
  ~KnownHostsFixture() { std::filesystem::remove_all(dir); }

  void write(const std::filesystem::path& path, const std::string& text) const
  {
    std::ofstream(path) << text;
  }
};

} // namespace

TEST_CASE("git::check_host_key reads ~/.ssh/known_hosts and SYNTASK_SSH_KNOWN_HOSTS")
{
  KnownHostsFixture f;
  const auto ed = key_blob("ssh-ed25519", "KEY-ONE");
  const auto other = key_blob("ssh-ed25519", "KEY-TWO");
  const auto rsa = key_blob("ssh-rsa", "RSA-KEY");
  f.write(f.dir / "home" / ".ssh" / "known_hosts",
          "# comment\ngithub.com,140.82.112.3 ssh-ed25519 " + base64(ed) + "\n" +
              hashed_host("salt-salt-salt-salt!", "hashed.example") + " ssh-ed25519 " + base64(ed) + "\n");
  f.write(f.dir / "extra_known_hosts",
          "[127.0.0.1]:2222 ssh-ed25519 " + base64(ed) + "\n*.corp.example ssh-rsa " + base64(rsa) + "\n");

  CHECK(check_host_key("github.com", 22, ed) == HostKeyStatus::known);
  CHECK(check_host_key("GitHub.com", 0, ed) == HostKeyStatus::known);
  CHECK(check_host_key("hashed.example", 22, ed) == HostKeyStatus::known);
  CHECK(check_host_key("127.0.0.1", 2222, ed) == HostKeyStatus::known);
  CHECK(check_host_key("127.0.0.1", 22, ed) == HostKeyStatus::unknown);
  CHECK(check_host_key("git.corp.example", 22, rsa) == HostKeyStatus::known);
  CHECK(check_host_key("github.com", 22, other) == HostKeyStatus::changed);
  // A host listed only with another key type is unknown for this type, not changed.
  CHECK(check_host_key("git.corp.example", 22, ed) == HostKeyStatus::unknown);
  CHECK(check_host_key("elsewhere.example", 22, ed) == HostKeyStatus::unknown);
}
