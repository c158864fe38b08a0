// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/store/store.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_exception.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <sqlite3.h>

#include "unit/test_store_support.hpp"
#include <cstdio>
#include <regex>
#include <sys/wait.h>
#include <unistd.h>

using namespace syntask;
using namespace syntask::store;
using Catch::Matchers::Message;
using nlohmann::json;
using syntask::store::test::ScopedEnv;
using syntask::store::test::TempDir;

namespace {

bool is_timestamp(const std::string& text)
{
  static const std::regex pattern(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
  return std::regex_match(text, pattern);
}

/// Runs one statement against the database file directly, bypassing the store.
void run_sql(const std::filesystem::path& database, const char* sql)
{
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(database.c_str(), &handle) == SQLITE_OK);
  const int result = sqlite3_exec(handle, sql, nullptr, nullptr, nullptr);
  sqlite3_close(handle);
  REQUIRE(result == SQLITE_OK);
}

} // namespace

TEST_CASE("store::SqliteStore creates its home, database and key privately")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  const auto home = temp.path() / "nested" / "home";
  auto store = Store::open(home);
  CHECK(syntask::store::test::mode_of(home) == 0700);
  CHECK(std::filesystem::is_regular_file(home / "syntask.db"));
  CHECK(syntask::store::test::mode_of(home / "syntask.db") == 0600);
  CHECK(syntask::store::test::mode_of(home / "secret.key") == 0600);
}

TEST_CASE("store::SqliteStore reports a home that cannot be used, naming it")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  const auto home = temp.path() / "file";
  {
    std::ofstream(home) << "x";
  }
  CHECK_THROWS_MATCHES(Store::open(home), StoreError,
                       Message("cannot create store directory '" + home.string() + "': not a directory"));
}

TEST_CASE("store::SqliteStore blocks round trip")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  auto store = Store::open(temp.path());

  CHECK_FALSE(store->get_block("aws-credentials", "prod"));
  Block aws{"aws-credentials",
            "prod",
            {{"aws_access_key_id", "AKIDEXAMPLE"},
             {"aws_secret_access_key", "wJalrXUtnFEMI"},
             {"region_name", "eu-west-1"},
             {"aws_client_parameters", {{"endpoint_url", "http://localhost:9000"}}}},
            {}};
  store->save_block(aws, false);

  const auto read = store->get_block("aws-credentials", "prod");
  REQUIRE(read);
  CHECK(read->type == "aws-credentials");
  CHECK(read->name == "prod");
  CHECK(read->data == aws.data);
  CHECK(read->sensitive == std::vector<std::string>{"aws_secret_access_key", "aws_session_token"});

  SECTION("saving again without overwrite is refused and keeps the old block")
  {
    Block changed = aws;
    changed.data["region_name"] = "us-east-1";
    CHECK_THROWS_MATCHES(store->save_block(changed, false), StoreError,
                         Message("block 'aws-credentials/prod' already exists"));
    CHECK(store->get_block("aws-credentials", "prod")->data["region_name"] == "eu-west-1");
  }
  SECTION("overwrite replaces every field, sealed ones included")
  {
    Block changed{"aws-credentials", "prod", {{"aws_secret_access_key", "other"}, {"region_name", "x"}}, {}};
    store->save_block(changed, true);
    CHECK(store->get_block("aws-credentials", "prod")->data == changed.data);
    Block clear{"aws-credentials", "prod", {{"region_name", "y"}}, {}};
    store->save_block(clear, true);
    CHECK(store->get_block("aws-credentials", "prod")->data == json{{"region_name", "y"}});
  }
  SECTION("list is sorted by type, then name")
  {
    store->save_block({"secret", "b", {{"value", "one-1"}}, {}}, false);
    store->save_block({"secret", "a", {{"value", "two-2"}}, {}}, false);
    store->save_block({"aws-credentials", "dev", json::object(), {}}, false);
    std::vector<std::string> names;
    for (const auto& block : store->list_blocks()) {
      names.push_back(block.type + "/" + block.name);
    }
    CHECK(names ==
          std::vector<std::string>{"aws-credentials/dev", "aws-credentials/prod", "secret/a", "secret/b"});
    CHECK(store->list_blocks()[3].data == json{{"value", "one-1"}});
  }
  SECTION("remove reports whether the block existed")
  {
    CHECK(store->remove_block("aws-credentials", "prod"));
    CHECK_FALSE(store->get_block("aws-credentials", "prod"));
    CHECK_FALSE(store->remove_block("aws-credentials", "prod"));
    CHECK_FALSE(store->remove_block("secret", "prod"));
  }
}

TEST_CASE("store::SqliteStore stores fields it does not know and seals extra sensitive ones")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  auto store = Store::open(temp.path());
  store->save_block(
      {"github-credentials", "gh", {{"token", "t0ken-value"}, {"extra", 3}, {"pin", "4321x"}}, {"pin"}},
      false);
  const auto read = store->get_block("github-credentials", "gh");
  REQUIRE(read);
  CHECK(read->data == json{{"token", "t0ken-value"}, {"extra", 3}, {"pin", "4321x"}});
  CHECK(read->sensitive == std::vector<std::string>{"token", "pin"});
  const auto written = syntask::store::test::raw_bytes(temp.path() / "syntask.db") +
                       syntask::store::test::raw_bytes(temp.path() / "syntask.db-wal");
  CHECK(written.find("t0ken-value") == std::string::npos);
  CHECK(written.find("4321x") == std::string::npos);
}

TEST_CASE("store::SqliteStore refuses unknown block types and non-object data")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  auto store = Store::open(temp.path());
  CHECK_THROWS_MATCHES(store->save_block({"secrets", "x", {{"value", "v"}}, {}}, false), StoreError,
                       Message("cannot save block 'secrets/x': unknown block type 'secrets'; did you mean "
                               "'secret'?"));
  CHECK_THROWS_MATCHES(
      store->save_block({"nothing-like-it", "x", json::object(), {}}, false), StoreError,
      Message("cannot save block 'nothing-like-it/x': unknown block type 'nothing-like-it'"));
  CHECK_THROWS_MATCHES(store->save_block({"secret", "x", json::array(), {}}, false), StoreError,
                       Message("cannot save block 'secret/x': its data must be a JSON object"));
  CHECK_THROWS_MATCHES(
      store->save_block({"secret", "x", {{"value", "abc"}}, {}}, false), StoreError,
      Message("cannot save block 'secret/x': secret field 'value' has fewer than 4 characters, "
              "too short to be masked wherever it is printed"));
  CHECK(store->list_blocks().empty());
}

TEST_CASE("store::SqliteStore variables round trip")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  auto store = Store::open(temp.path());
  CHECK_FALSE(store->get_variable("region"));
  store->set_variable("region", "eu-west-1");
  store->set_variable("count", 3);
  store->set_variable("config", json{{"a", json::array({1, 2})}});
  CHECK(*store->get_variable("region") == "eu-west-1");
  CHECK(*store->get_variable("count") == 3);
  CHECK(*store->get_variable("config") == json{{"a", json::array({1, 2})}});

  store->set_variable("region", "us-east-1");
  CHECK(*store->get_variable("region") == "us-east-1");

  const auto variables = store->list_variables();
  REQUIRE(variables.size() == 3);
  CHECK(variables[0].name == "config");
  CHECK(variables[1].name == "count");
  CHECK(variables[2].name == "region");
  CHECK(variables[2].value == "us-east-1");

  CHECK(store->remove_variable("count"));
  CHECK_FALSE(store->remove_variable("count"));
  CHECK_FALSE(store->get_variable("count"));
}

TEST_CASE("store::SqliteStore deployments round trip")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  auto store = Store::open(temp.path());
  CHECK_FALSE(store->get_deployment("etl", "prod"));
  const json record{{"entrypoint", "flows/etl.py:etl"}, {"work_pool", {{"name", "default"}}}};
  CHECK(store->save_deployment("etl", "prod", record));
  const auto first = store->get_deployment("etl", "prod");
  REQUIRE(first);
  CHECK(first->flow_name == "etl");
  CHECK(first->name == "prod");
  CHECK(first->record == record);
  CHECK(is_timestamp(first->created));
  CHECK(first->updated == first->created);

  const json changed{{"entrypoint", "flows/etl.py:main"}};
  CHECK_FALSE(store->save_deployment("etl", "prod", changed));
  const auto second = store->get_deployment("etl", "prod");
  CHECK(second->record == changed);
  CHECK(second->created == first->created);
  CHECK(is_timestamp(second->updated));

  CHECK(store->save_deployment("etl", "dev", record));
  CHECK(store->save_deployment("backup", "zz", record));
  std::vector<std::string> names;
  for (const auto& deployment : store->list_deployments()) {
    names.push_back(deployment.flow_name + "/" + deployment.name);
  }
  CHECK(names == std::vector<std::string>{"backup/zz", "etl/dev", "etl/prod"});

  CHECK(store->remove_deployment("etl", "dev"));
  CHECK_FALSE(store->remove_deployment("etl", "dev"));
  CHECK(store->list_deployments().size() == 2);

  // Several at once: one transaction, each told whether it was created.
  CHECK(store->save_deployments({{"etl", "prod", record}, {"etl", "new", record}}) ==
        std::vector<bool>{false, true});
  CHECK(store->get_deployment("etl", "prod")->record == record);
  // A record that cannot be saved keeps every other one of the same call from being saved.
  CHECK_THROWS_AS(store->save_deployments({{"etl", "other", record}, {"etl", "bad", json{{"x", "\xff"}}}}),
                  StoreError);
  CHECK_FALSE(store->get_deployment("etl", "other"));
  CHECK(store->list_deployments().size() == 3);
}

TEST_CASE("store::SqliteStore work pools round trip")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  auto store = Store::open(temp.path());
  CHECK_FALSE(store->get_work_pool("default"));
  store->create_work_pool("default", "process");
  store->create_work_pool("cluster", "kubernetes");
  CHECK_THROWS_MATCHES(store->create_work_pool("default", "docker"), StoreError,
                       Message("work pool 'default' already exists"));
  const auto pool = store->get_work_pool("default");
  REQUIRE(pool);
  CHECK(pool->name == "default");
  CHECK(pool->type == "process");
  CHECK(is_timestamp(pool->created));

  const auto pools = store->list_work_pools();
  REQUIRE(pools.size() == 2);
  CHECK(pools[0].name == "cluster");
  CHECK(pools[1].name == "default");

  CHECK(store->remove_work_pool("cluster"));
  CHECK_FALSE(store->remove_work_pool("cluster"));
  CHECK(store->list_work_pools().size() == 1);
}

TEST_CASE("store::SqliteStore keeps data across reopening")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  Store::open(temp.path())->save_block({"secret", "token", {{"value", "kept-secret-1"}}, {}}, false);
  Store::open(temp.path())->set_variable("v", 1);
  auto store = Store::open(temp.path());
  CHECK(store->get_block("secret", "token")->data == json{{"value", "kept-secret-1"}});
  CHECK(*store->get_variable("v") == 1);
}

TEST_CASE("store::SqliteStore never writes a sensitive value in clear")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  const std::string secret = "correct-horse-battery-staple-7f3a";
  const std::string key_id = "AKIAVISIBLEKEYID";
  const auto database = temp.path() / "syntask.db";
  const auto wal = temp.path() / "syntask.db-wal";
  {
    auto store = Store::open(temp.path());
    store->save_block(
        {"aws-credentials", "prod", {{"aws_access_key_id", key_id}, {"aws_secret_access_key", secret}}, {}},
        false);
    store->save_block({"secret", "token", {{"value", secret}}, {}}, false);
    store->save_block({"secret", "token", {{"value", secret + "-2"}}, {}}, true);
    const auto written = syntask::store::test::raw_bytes(database) + syntask::store::test::raw_bytes(wal);
    // The clear field is found, which shows the search looks in the right place.
    CHECK(written.find(key_id) != std::string::npos);
    CHECK(written.find(secret) == std::string::npos);
  }
  // Closing the last connection checkpoints the log into the database file.
  const auto written = syntask::store::test::raw_bytes(database) + syntask::store::test::raw_bytes(wal);
  CHECK(written.find(key_id) != std::string::npos);
  CHECK(written.find(secret) == std::string::npos);
}

TEST_CASE("store::SqliteStore refuses a database from a newer version")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  Store::open(temp.path());
  run_sql(temp.path() / "syntask.db", "UPDATE schema_version SET version = 99");
  CHECK_THROWS_MATCHES(
      Store::open(temp.path()), StoreError,
      Message("store '" + (temp.path() / "syntask.db").string() +
              "' has schema version 99, newer than this syntask understands (1); upgrade syntask"));
}

TEST_CASE("store::SqliteStore refuses a file that is not a database")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  {
    std::ofstream(temp.path() / "syntask.db") << std::string(4096, 'x');
  }
  CHECK_THROWS_MATCHES(Store::open(temp.path()), StoreError,
                       Message("cannot enable write-ahead logging in store '" +
                               (temp.path() / "syntask.db").string() + "': file is not a database"));
}

TEST_CASE("store::SqliteStore database errors name the file and the action")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  auto store = Store::open(temp.path());
  run_sql(temp.path() / "syntask.db", "DROP TABLE variables");
  CHECK_THROWS_MATCHES(store->set_variable("x", 1), StoreError,
                       Message("cannot save variable 'x' in store '" + (temp.path() / "syntask.db").string() +
                               "': no such table: variables"));
}

TEST_CASE("store::SqliteStore takes concurrent writers from several processes")
{
  ScopedEnv no_key("SYNTASK_SECRET_KEY", std::nullopt);
  TempDir temp;
  constexpr int k_processes = 8;
  constexpr int k_items = 50;
  std::vector<pid_t> children;
  for (int process = 0; process < k_processes; ++process) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // The child opens its own store on the fresh home, so key and schema creation race as well.
      int status = 0;
      try {
        auto store = Store::open(temp.path());
        for (int item = 0; item < k_items; ++item) {
          const auto name = "p" + std::to_string(process) + "-" + std::to_string(item);
          store->set_variable(name, item);
          store->save_deployment("flow" + std::to_string(process), name, json{{"item", item}});
        }
        store->save_block(
            {"secret", "p" + std::to_string(process), {{"value", "secret-" + std::to_string(process)}}, {}},
            false);
      } catch (const std::exception& error) {
        std::fprintf(stderr, "child %d: %s\n", process, error.what());
        status = 1;
      }
      std::fflush(stderr);
      ::_exit(status);
    }
    children.push_back(pid);
  }
  for (const auto pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  auto store = Store::open(temp.path());
  CHECK(store->list_variables().size() == k_processes * k_items);
  CHECK(store->list_deployments().size() == k_processes * k_items);
  // Every block opens with the one key, so all processes agreed on it.
  const auto blocks = store->list_blocks();
  REQUIRE(blocks.size() == k_processes);
  for (int process = 0; process < k_processes; ++process) {
    CHECK(blocks[process].data == json{{"value", "secret-" + std::to_string(process)}});
  }
}
