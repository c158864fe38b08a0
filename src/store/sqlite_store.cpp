// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite_store.hpp"

#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

#include "store/block_codec.hpp"
#include "store/schema.hpp"
#include "store/secret_key.hpp"
#include "store/sqlite_db.hpp"
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace syntask::store {

namespace {

// Long enough for parallel CI jobs queueing behind each other's short write transactions.
constexpr std::chrono::milliseconds k_busy_timeout{10000};

std::string now_utc()
{
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

/// Creates the home directory private to its owner; an existing one is left as it is.
void create_home(const std::filesystem::path& home)
{
  const auto fail = [&](const std::string& reason) {
    throw StoreError("cannot create store directory " + util::quoted(home.string()) + ": " + reason);
  };
  std::error_code error;
  if (home.has_parent_path()) {
    std::filesystem::create_directories(home.parent_path(), error);
    if (error) {
      fail(error.message());
    }
  }
  if (::mkdir(home.c_str(), 0700) != 0 && errno != EEXIST) {
    fail(std::strerror(errno));
  }
  if (!std::filesystem::is_directory(home, error)) {
    fail("not a directory");
  }
}

/// Creates the database file before SQLite does, so it and its -wal and -shm companions (which SQLite
/// gives the database file's permissions) are private to the owner.
void create_private_file(const std::filesystem::path& path)
{
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw StoreError("cannot open store " + util::quoted(path.string()) + ": " + std::strerror(errno));
  }
  ::close(fd);
}

std::string to_json_text(const nlohmann::json& value, const std::string& action)
{
  try {
    return value.dump();
  } catch (const nlohmann::json::exception&) {
    throw StoreError("cannot " + action + ": the value is not valid UTF-8");
  }
}

class SqliteStore final : public Store {
public:
  SqliteStore(const std::filesystem::path& home, SecretKey key)
      : m_database(home / "syntask.db", k_busy_timeout), m_key(std::move(key))
  {
    // Write-ahead logging lets readers and one writer proceed at once; switching to it needs an exclusive
    // lock that processes opening a new store at the same moment compete for.
    m_database.execute_when_unlocked("PRAGMA journal_mode=WAL", "enable write-ahead logging");
    migrate(m_database);
  }

  std::optional<Block> get_block(const std::string& type, const std::string& name) override
  {
    auto statement = m_database.prepare("SELECT data, sealed FROM blocks WHERE type = ?1 AND name = ?2",
                                        "read block " + block_label(type, name));
    statement.bind(1, type).bind(2, name);
    if (!statement.step()) {
      return std::nullopt;
    }
    return read_block(statement, type, name);
  }

  void save_block(const Block& block, bool overwrite) override
  {
    const auto action = "save block " + block_label(block.type, block.name);
    const auto stored = seal_block(block, m_key);
    const auto data = to_json_text(stored.data, action);
    const auto now = now_utc();
    Transaction transaction(m_database, action);
    const std::string sql = std::string("INSERT INTO blocks (type, name, data, sealed, created, updated) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (type, name) DO ") +
                            (overwrite ? "UPDATE SET data = excluded.data, sealed = excluded.sealed, "
                                         "updated = excluded.updated"
                                       : "NOTHING");
    auto statement = m_database.prepare(sql, action);
    statement.bind(1, block.type).bind(2, block.name).bind(3, data).bind(5, now);
    if (stored.sealed) {
      statement.bind(4, *stored.sealed);
    } else {
      statement.bind_null(4);
    }
    statement.run();
    if (m_database.changes() == 0) {
      throw StoreError("block " + block_label(block.type, block.name) + " already exists");
    }
    transaction.commit();
  }

  std::vector<Block> list_blocks() override
  {
    auto statement =
        m_database.prepare("SELECT type, name, data, sealed FROM blocks ORDER BY type, name", "list blocks");
    std::vector<Block> blocks;
    while (statement.step()) {
      blocks.push_back(read_block(statement, statement.text(0), statement.text(1), 2));
    }
    return blocks;
  }

  bool remove_block(const std::string& type, const std::string& name) override
  {
    return remove("DELETE FROM blocks WHERE type = ?1 AND name = ?2",
                  "remove block " + block_label(type, name), {type, name});
  }

  std::optional<nlohmann::json> get_variable(const std::string& name) override
  {
    const auto action = "read variable " + util::quoted(name);
    auto statement = m_database.prepare("SELECT value FROM variables WHERE name = ?1", action);
    statement.bind(1, name);
    if (!statement.step()) {
      return std::nullopt;
    }
    return parse(statement.text(0), action);
  }

  void set_variable(const std::string& name, const nlohmann::json& value) override
  {
    const auto action = "save variable " + util::quoted(name);
    const auto text = to_json_text(value, action);
    Transaction transaction(m_database, action);
    m_database
        .prepare("INSERT INTO variables (name, value) VALUES (?1, ?2) "
                 "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                 action)
        .bind(1, name)
        .bind(2, text)
        .run();
    transaction.commit();
  }

  std::vector<Variable> list_variables() override
  {
    const std::string action = "list variables";
    auto statement = m_database.prepare("SELECT name, value FROM variables ORDER BY name", action);
    std::vector<Variable> variables;
    while (statement.step()) {
      variables.push_back({statement.text(0), parse(statement.text(1), action)});
    }
    return variables;
  }

  bool remove_variable(const std::string& name) override
  {
    return remove("DELETE FROM variables WHERE name = ?1", "remove variable " + util::quoted(name), {name});
  }

  std::optional<Deployment> get_deployment(const std::string& flow_name, const std::string& name) override
  {
    const auto action = "read deployment " + util::quoted(flow_name + "/" + name);
    auto statement = m_database.prepare("SELECT flow_name, name, record, created, updated FROM deployments "
                                        "WHERE flow_name = ?1 AND name = ?2",
                                        action);
    statement.bind(1, flow_name).bind(2, name);
    if (!statement.step()) {
      return std::nullopt;
    }
    return read_deployment(statement, action);
  }

  std::vector<bool> save_deployments(const std::vector<DeploymentWrite>& writes) override
  {
    const auto action =
        writes.size() == 1
            ? "save deployment " + util::quoted(writes.front().flow_name + "/" + writes.front().name)
            : "save " + std::to_string(writes.size()) + " deployments";
    std::vector<std::string> texts;
    for (const auto& write : writes) {
      texts.push_back(
          to_json_text(write.record, "save deployment " + util::quoted(write.flow_name + "/" + write.name)));
    }
    const auto now = now_utc();
    std::vector<bool> created;
    Transaction transaction(m_database, action);
    for (std::size_t i = 0; i < writes.size(); ++i) {
      auto existing =
          m_database.prepare("SELECT 1 FROM deployments WHERE flow_name = ?1 AND name = ?2", action);
      existing.bind(1, writes[i].flow_name).bind(2, writes[i].name);
      created.push_back(!existing.step());
      m_database
          .prepare("INSERT INTO deployments (flow_name, name, record, created, updated) VALUES (?1, ?2, ?3, "
                   "?4, ?4) "
                   "ON CONFLICT (flow_name, name) DO UPDATE SET record = excluded.record, updated = "
                   "excluded.updated",
                   action)
          .bind(1, writes[i].flow_name)
          .bind(2, writes[i].name)
          .bind(3, texts[i])
          .bind(4, now)
          .run();
    }
    transaction.commit();
    return created;
  }

  std::vector<Deployment> list_deployments() override
  {
    const std::string action = "list deployments";
    auto statement = m_database.prepare(
        "SELECT flow_name, name, record, created, updated FROM deployments ORDER BY flow_name, name", action);
    std::vector<Deployment> deployments;
    while (statement.step()) {
      deployments.push_back(read_deployment(statement, action));
    }
    return deployments;
  }

  bool remove_deployment(const std::string& flow_name, const std::string& name) override
  {
    return remove("DELETE FROM deployments WHERE flow_name = ?1 AND name = ?2",
                  "remove deployment " + util::quoted(flow_name + "/" + name), {flow_name, name});
  }

  std::optional<WorkPool> get_work_pool(const std::string& name) override
  {
    auto statement = m_database.prepare("SELECT name, type, created FROM work_pools WHERE name = ?1",
                                        "read work pool " + util::quoted(name));
    statement.bind(1, name);
    if (!statement.step()) {
      return std::nullopt;
    }
    return WorkPool{statement.text(0), statement.text(1), statement.text(2)};
  }

  void create_work_pool(const std::string& name, const std::string& type) override
  {
    const auto action = "create work pool " + util::quoted(name);
    Transaction transaction(m_database, action);
    m_database
        .prepare(
            "INSERT INTO work_pools (name, type, created) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING",
            action)
        .bind(1, name)
        .bind(2, type)
        .bind(3, now_utc())
        .run();
    if (m_database.changes() == 0) {
      throw StoreError("work pool " + util::quoted(name) + " already exists");
    }
    transaction.commit();
  }

  std::vector<WorkPool> list_work_pools() override
  {
    auto statement =
        m_database.prepare("SELECT name, type, created FROM work_pools ORDER BY name", "list work pools");
    std::vector<WorkPool> pools;
    while (statement.step()) {
      pools.push_back({statement.text(0), statement.text(1), statement.text(2)});
    }
    return pools;
  }

  bool remove_work_pool(const std::string& name) override
  {
    return remove("DELETE FROM work_pools WHERE name = ?1", "remove work pool " + util::quoted(name), {name});
  }

private:
  nlohmann::json parse(const std::string& text, const std::string& action) const
  {
    auto value = nlohmann::json::parse(text, nullptr, false);
    if (value.is_discarded()) {
      throw StoreError("cannot " + action + " in store " + util::quoted(m_database.path().string()) +
                       ": the stored JSON is damaged");
    }
    return value;
  }

  /// The block in the current row, whose data and sealed columns start at `first`.
  Block read_block(const Statement& statement, const std::string& type, const std::string& name,
                   int first = 0)
  {
    auto data = parse(statement.text(first), "read block " + block_label(type, name));
    std::optional<std::vector<unsigned char>> sealed;
    if (!statement.is_null(first + 1)) {
      sealed = statement.blob(first + 1);
    }
    return open_block(type, name, std::move(data), sealed, m_key);
  }

  Deployment read_deployment(const Statement& statement, const std::string& action) const
  {
    return {statement.text(0), statement.text(1), parse(statement.text(2), action), statement.text(3),
            statement.text(4)};
  }

  bool remove(const char* sql, const std::string& action, const std::vector<std::string>& keys)
  {
    Transaction transaction(m_database, action);
    auto statement = m_database.prepare(sql, action);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      statement.bind(static_cast<int>(i + 1), keys[i]);
    }
    statement.run();
    const bool removed = m_database.changes() > 0;
    transaction.commit();
    return removed;
  }

  Database m_database;
  SecretKey m_key;
};

} // namespace

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& home)
{
  create_home(home);
  auto key = load_secret_key(home);
  const auto path = home / "syntask.db";
  create_private_file(path);
  return std::make_unique<SqliteStore>(home, std::move(key));
}

} // namespace syntask::store
