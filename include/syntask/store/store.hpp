// SPDX-License-Identifier: Apache-2.0
// The embedded store under SYNTASK_HOME: blocks (sensitive fields sealed with libsodium), variables,
// deployments and work pools, in one SQLite database that several processes may use at once.
#pragma once

#include <syntask/error.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace syntask::store {

struct Block {
  std::string type; ///< block type slug
  std::string name;
  nlohmann::json data = nlohmann::json::object(); ///< every field in clear (sensitive ones unsealed)
  /// Names of the fields that are secret. On save, these are sealed in addition to the fields the block
  /// type marks sensitive. On read, the type's sensitive fields, then any other field that was sealed.
  std::vector<std::string> sensitive;

  /// data with each sensitive field that is present and not null replaced by "********".
  nlohmann::json masked() const;
};

struct Deployment {
  std::string flow_name;
  std::string name;
  nlohmann::json record; ///< the whole stored deployment (see docs/cli.md)
  std::string created;   ///< ISO-8601 UTC
  std::string updated;
};

struct WorkPool {
  std::string name;
  std::string type; ///< process | docker | kubernetes
  std::string created;
};

struct Variable {
  std::string name;
  nlohmann::json value;
};

/// A deployment record to save under (flow_name, name).
struct DeploymentWrite {
  std::string flow_name;
  std::string name;
  nlohmann::json record;
};

/// The store. All methods throw StoreError on I/O or database failure, with a one-line message that
/// names the file and never a secret. Lists are sorted by their keys (byte order). Several processes may
/// use one store at once: each write is one transaction that waits up to 10 s for another's lock.
class Store {
public:
  /// Opens (creating if needed) the store in `home` (mode 0700): home/syntask.db and home/secret.key (mode
  /// 0600, created on first use unless SYNTASK_SECRET_KEY supplies the key as 64 hex characters). Throws
  /// StoreError for a malformed SYNTASK_SECRET_KEY, or a key file that is malformed or not private.
  static std::unique_ptr<Store> open(const std::filesystem::path& home);
  /// SYNTASK_HOME when set and not empty, else $HOME/.syntask (HOME from the password database when unset).
  static std::filesystem::path default_home();

  virtual ~Store() = default;

  /// Throws StoreError "cannot unseal block 'TYPE/NAME': ..." when the key differs from the one it was
  /// saved with (list_blocks likewise).
  virtual std::optional<Block> get_block(const std::string& type, const std::string& name) = 0;
  /// Saves a block as given (field validation is the caller's job); sensitive fields are sealed.
  /// Overwriting replaces all fields. Throws StoreError if it exists and !overwrite, if the type is
  /// unknown, or if data is not a JSON object.
  virtual void save_block(const Block& block, bool overwrite) = 0;
  virtual std::vector<Block> list_blocks() = 0;
  /// Returns false when there was no such block (the other remove_* likewise).
  virtual bool remove_block(const std::string& type, const std::string& name) = 0;

  virtual std::optional<nlohmann::json> get_variable(const std::string& name) = 0;
  /// Creates or replaces a variable.
  virtual void set_variable(const std::string& name, const nlohmann::json& value) = 0;
  virtual std::vector<Variable> list_variables() = 0;
  virtual bool remove_variable(const std::string& name) = 0;

  virtual std::optional<Deployment> get_deployment(const std::string& flow_name, const std::string& name) = 0;
  /// Inserts or replaces each (flow_name, name), all in one transaction: all are saved or none. For each,
  /// true when it was created, false when updated (which keeps `created` and sets `updated`).
  virtual std::vector<bool> save_deployments(const std::vector<DeploymentWrite>& writes) = 0;
  /// One of them.
  bool save_deployment(const std::string& flow_name, const std::string& name, const nlohmann::json& record)
  {
    return save_deployments({{flow_name, name, record}}).front();
  }
  virtual std::vector<Deployment> list_deployments() = 0;
  virtual bool remove_deployment(const std::string& flow_name, const std::string& name) = 0;

  virtual std::optional<WorkPool> get_work_pool(const std::string& name) = 0;
  /// Creates a pool; throws StoreError if it exists.
  virtual void create_work_pool(const std::string& name, const std::string& type) = 0;
  virtual std::vector<WorkPool> list_work_pools() = 0;
  virtual bool remove_work_pool(const std::string& name) = 0;
};

} // namespace syntask::store
