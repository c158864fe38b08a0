// SPDX-License-Identifier: Apache-2.0
#include <syntask/docker/engine.hpp>
#include <syntask/error.hpp>
#include <syntask/http/client.hpp>

#include <catch2/catch_test_macros.hpp>

#include "support/tar_reader.hpp"
#include "support/temp_dir.hpp"
#include <cstdlib>

using syntask::docker::ContainerArchive;
using syntask::test::names_of;
using syntask::test::read_tar;
using syntask::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string tar_of(const ContainerArchive& archive)
{
  std::string tar;
  syntask::docker::stream_container_archive(archive, [&tar](std::string_view chunk) {
    REQUIRE(chunk.size() <= 64 * 1024);
    tar.append(chunk);
  });
  return tar;
}

// A staging tree as a container run leaves it (opt/app and tmp stand for image folders, repo and cache
// were fetched), and the archive of it with a run file.
ContainerArchive staging_archive(const TempDir& dir)
{
  dir.write("opt/app/repo/flow.py", "print('hi')\n");
  dir.write("opt/app/repo/run.sh", "#!/bin/sh\n", 0755);
  fs::create_symlink("flow.py", dir.path() / "opt/app/repo/link");
  dir.write("tmp/cache/data.txt", "data");
  ContainerArchive archive;
  archive.tree = dir.path();
  archive.bare_directories = {"opt", "opt/app", "tmp"};
  archive.files.push_back({".syntask/run.json", "{\"parameters\": {}}", 0600});
  return archive;
}

} // namespace

TEST_CASE("docker::stream_container_archive leaves out bare folders and adds files from memory")
{
  TempDir dir;
  auto archive = staging_archive(dir);
  archive.files.push_back({".syntask/other", "x", 0644});

  const auto entries = read_tar(tar_of(archive));
  CHECK(names_of(entries) == std::vector<std::string>{"opt/app/repo/", "opt/app/repo/flow.py",
                                                      "opt/app/repo/link", "opt/app/repo/run.sh",
                                                      "tmp/cache/", "tmp/cache/data.txt", ".syntask/",
                                                      ".syntask/run.json", ".syntask/other"});
  for (const auto& entry : entries) {
    INFO(entry.name);
    CHECK(entry.uid == 0);
    CHECK(entry.gid == 0);
  }
  CHECK(entries[2].type == 'l');
  CHECK(entries[2].content == "flow.py");
  CHECK(entries[3].mode == 0755);
  CHECK(entries[6].type == 'd');
  CHECK(entries[6].mode == 0700);
  CHECK(entries[7].type == 'f');
  CHECK(entries[7].mode == 0600);
  CHECK(entries[7].content == "{\"parameters\": {}}");
  CHECK(entries[8].mode == 0644);
}

TEST_CASE("docker::stream_container_archive without a tree holds only the files")
{
  ContainerArchive archive;
  archive.files.push_back({"run.json", "{}", 0600});
  const auto entries = read_tar(tar_of(archive));
  CHECK(names_of(entries) == std::vector<std::string>{"run.json"});
  CHECK(entries[0].content == "{}");
}

TEST_CASE("docker::stream_container_archive names a file it cannot read")
{
  TempDir dir;
  dir.write("a.txt", "a");
  ContainerArchive archive;
  archive.tree = dir.path() / "missing";
  try {
    tar_of(archive);
    FAIL("no error");
  } catch (const syntask::FileError& error) {
    CHECK(std::string(error.what())
              .find("cannot read the folder '" + (dir.path() / "missing").string() + "': ") == 0);
  }
}

// Against the real daemon: tests/integration/test_docker_run.sh runs these with the test servers' variables.
TEST_CASE("real daemon: put_container_archive puts files into a created container, image folders untouched",
          "[.docker]")
{
  const char* image = std::getenv("SYNTASK_DOCKER_BUSYBOX_IMAGE");
  REQUIRE(image != nullptr);
  auto engine = syntask::docker::Engine::from_environment();
  syntask::docker::ContainerSpec spec;
  spec.image = image;
  spec.command = {"true"};
  const auto id = syntask::docker::create_container(engine, spec);
  struct Remove {
    syntask::docker::Engine& engine;
    std::string id;
    ~Remove() { syntask::docker::remove_container(engine, id); }
  } remove{engine, id};

  TempDir dir;
  const auto archive = staging_archive(dir);
  syntask::docker::put_container_archive(engine, id, "/", archive);

  // Read back with GET /containers/ID/archive, which answers a tar of the folder.
  const auto fetch = [&](const std::string& path) {
    const auto response = engine.call("GET", "/containers/" + id + "/archive?path=" + path);
    REQUIRE(response.status == 200);
    return read_tar(response.body);
  };
  const auto app = fetch("/opt/app");
  CHECK(names_of(app) == std::vector<std::string>{"app/", "app/repo/", "app/repo/flow.py", "app/repo/link",
                                                  "app/repo/run.sh"});
  CHECK(app[0].mode == 0755); // made by the daemon
  CHECK(app[2].content == "print('hi')\n");
  CHECK(app[4].mode == 0755);
  const auto tmp = fetch("/tmp");
  REQUIRE(!tmp.empty());
  CHECK(tmp[0].name == "tmp/");
  CHECK(tmp[0].mode == 01777); // the image's /tmp kept its mode
  const auto run = fetch("/.syntask");
  REQUIRE(run.size() == 2);
  CHECK(run[0].mode == 0700);
  CHECK(run[1].name == ".syntask/run.json");
  CHECK(run[1].mode == 0600);
  CHECK(run[1].content == "{\"parameters\": {}}");

  try {
    syntask::docker::put_container_archive(engine, "no-such-container", "/", archive);
    FAIL("no error");
  } catch (const syntask::RemoteError& error) {
    CHECK(std::string(error.what()) ==
          "cannot copy files into container 'no-such-cont': No such container: no-such-container");
  }
}
