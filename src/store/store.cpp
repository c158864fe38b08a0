// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/store/store.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>

#include "store/sqlite_store.hpp"
#include <pwd.h>
#include <unistd.h>

namespace syntask::store {

nlohmann::json Block::masked() const
{
  auto shown = data;
  if (!shown.is_object()) {
    return shown;
  }
  for (const auto& field : sensitive) {
    // A null field holds nothing to hide, and masking it would suggest a value is set.
    if (const auto found = shown.find(field); found != shown.end() && !found->is_null()) {
      *found = std::string(util::k_redacted);
    }
  }
  return shown;
}

std::unique_ptr<Store> Store::open(const std::filesystem::path& home)
{
  return open_sqlite_store(home);
}

std::filesystem::path Store::default_home()
{
  if (const auto home = util::get_env("SYNTASK_HOME"); home && !home->empty()) {
    return *home;
  }
  if (const auto home = util::get_env("HOME"); home && !home->empty()) {
    return std::filesystem::path(*home) / ".syntask";
  }
  // HOME can be unset in minimal containers and service managers; the password database still knows.
  if (const auto* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir != nullptr) {
    return std::filesystem::path(entry->pw_dir) / ".syntask";
  }
  throw StoreError("cannot find the store directory: set SYNTASK_HOME or HOME");
}

} // namespace syntask::store
