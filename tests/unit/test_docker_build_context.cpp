// SPDX-License-Identifier: Apache-2.0
#include <syntask/docker/build_context.hpp>
#include <syntask/error.hpp>

#include <catch2/catch_test_macros.hpp>

#include "support/tar_reader.hpp"
#include "support/temp_dir.hpp"
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using syntask::docker::stream_build_context;
namespace fs = std::filesystem;

namespace {

using syntask::test::TempDir;

using syntask::test::names_of;
using syntask::test::read_tar;

std::string stream(const fs::path& root, const std::string& dockerfile = "Dockerfile",
                   syntask::docker::BuildContextSummary* summary = nullptr)
{
  std::string tar;
  auto result = stream_build_context(root, dockerfile, [&](std::string_view chunk) {
    REQUIRE(chunk.size() <= 64 * 1024);
    tar.append(chunk);
  });
  if (summary != nullptr) {
    *summary = result;
  }
  return tar;
}

} // namespace

TEST_CASE("docker::stream_build_context writes files, folders and links with modes, owners 0:0, sorted")
{
  TempDir dir;
  dir.write("Dockerfile", "FROM scratch\nCOPY . /ctx\n");
  dir.write("b.txt", "bee\n");
  dir.write("a/run.sh", "#!/bin/sh\necho hi\n", 0755);
  dir.write("a/z/deep.txt", "deep\n", 0600);
  fs::create_directory(dir.path() / "empty");
  fs::create_symlink("a/run.sh", dir.path() / "link");
  fs::create_symlink("/nonexistent/target", dir.path() / "dangling");

  syntask::docker::BuildContextSummary summary;
  const auto entries = read_tar(stream(dir.path(), "Dockerfile", &summary));
  CHECK(names_of(entries) == std::vector<std::string>{"Dockerfile", "a/", "a/run.sh", "a/z/", "a/z/deep.txt",
                                                      "b.txt", "dangling", "empty/", "link"});
  for (const auto& entry : entries) {
    INFO(entry.name);
    CHECK(entry.uid == 0);
    CHECK(entry.gid == 0);
  }
  CHECK(entries[1].type == 'd');
  CHECK(entries[2].type == 'f');
  CHECK(entries[2].mode == 0755);
  CHECK(entries[2].content == "#!/bin/sh\necho hi\n");
  CHECK(entries[4].mode == 0600);
  CHECK(entries[6].type == 'l');
  CHECK(entries[6].content == "/nonexistent/target");
  CHECK(entries[8].type == 'l');
  CHECK(entries[8].content == "a/run.sh");
  CHECK(summary.files == 4);
  CHECK(summary.bytes == 25 + 4 + 18 + 5);
}

TEST_CASE("docker::stream_build_context applies .dockerignore and always keeps the build files")
{
  TempDir dir;
  dir.write(".dockerignore", "*\n!src\nsrc/*.o\nbuild\n!build/keep.txt\n");
  dir.write("docker/Dockerfile", "FROM scratch\n");
  dir.write("src/main.c", "int main;\n");
  dir.write("src/main.o", "obj");
  dir.write("build/out.bin", "bin");
  dir.write("build/keep.txt", "keep");
  dir.write("notes.md", "notes");

  const auto entries = read_tar(stream(dir.path(), "docker/Dockerfile"));
  // build/ is entered only because '!build/keep.txt' may re-include below it, and gets no entry itself;
  // docker/ is entered for the Dockerfile.
  CHECK(names_of(entries) == std::vector<std::string>{".dockerignore", "build/keep.txt", "docker/Dockerfile",
                                                      "src/", "src/main.c"});
}

TEST_CASE("docker::stream_build_context is the same for the same tree")
{
  TempDir dir;
  dir.write("Dockerfile", "FROM scratch\n");
  for (int i = 0; i < 50; ++i) {
    dir.write("d" + std::to_string(i % 7) + "/f" + std::to_string(i),
              std::string(static_cast<std::size_t>(i), 'x'));
  }
  CHECK(stream(dir.path()) == stream(dir.path()));
}

TEST_CASE("docker::stream_build_context stops when the sink throws and names unreadable files")
{
  TempDir dir;
  dir.write("Dockerfile", "FROM scratch\n");
  dir.write("big.bin", std::string(300 * 1024, 'b'));
  struct Stop {};
  int calls = 0;
  CHECK_THROWS_AS(stream_build_context(dir.path(), "Dockerfile",
                                       [&](std::string_view) {
                                         if (++calls == 2) {
                                           throw Stop{};
                                         }
                                       }),
                  Stop);
  CHECK(calls == 2);

  if (::geteuid() != 0) {
    dir.write("secret.txt", "x", 0);
    CHECK_THROWS_AS(stream(dir.path()), syntask::Error);
  }
  try {
    stream(dir.path() / "missing");
    FAIL("no error");
  } catch (const syntask::Error& error) {
    CHECK(std::string(error.what()) ==
          "the build context '" + (dir.path() / "missing").string() + "' is not a folder");
  }
}

TEST_CASE("docker::stream_build_context keeps memory flat for a large file")
{
  TempDir dir;
  dir.write("Dockerfile", "FROM scratch\n");
  constexpr off_t k_size = 200LL * 1024 * 1024;
  {
    // Sparse: the test needs a large file, not 200 MiB of disk writes.
    std::ofstream(dir.path() / "large.bin").close();
    REQUIRE(::truncate((dir.path() / "large.bin").c_str(), k_size) == 0);
  }
  struct rusage before {};
  ::getrusage(RUSAGE_SELF, &before);
  std::uint64_t total = 0;
  std::size_t largest = 0;
  const auto summary = stream_build_context(dir.path(), "Dockerfile", [&](std::string_view chunk) {
    total += chunk.size();
    largest = std::max(largest, chunk.size());
  });
  struct rusage after {};
  ::getrusage(RUSAGE_SELF, &after);
  CHECK(summary.bytes == static_cast<std::uint64_t>(k_size) + 13);
  CHECK(total > static_cast<std::uint64_t>(k_size));
  CHECK(largest <= 64 * 1024);
  // ru_maxrss is in KiB; the whole file would be 200 MiB.
  CHECK(after.ru_maxrss - before.ru_maxrss < 16 * 1024);
}

// Not a unit test: tests/integration/test_docker_dockerignore_oracle.sh runs it to list what syntask puts
// in the context of SYNTASK_ORACLE_CONTEXT, one path per line in SYNTASK_ORACLE_OUTPUT: every entry and
// every folder above one, as a build's COPY would create them.
TEST_CASE("oracle listing of a docker build context", "[.oracle]")
{
  const char* context = std::getenv("SYNTASK_ORACLE_CONTEXT");
  const char* output = std::getenv("SYNTASK_ORACLE_OUTPUT");
  REQUIRE(context != nullptr);
  REQUIRE(output != nullptr);
  std::set<std::string> paths;
  for (const auto& entry : read_tar(stream(context))) {
    std::string name = entry.name;
    if (!name.empty() && name.back() == '/') {
      name.pop_back();
    }
    for (std::size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1)) {
      paths.insert(name.substr(0, slash));
    }
    paths.insert(name);
  }
  std::ofstream out(output);
  for (const auto& path : paths) {
    out << path << '\n';
  }
}
