// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/fs.hpp>

#include <catch2/catch_test_macros.hpp>

#include "git/tree_snapshot.hpp"
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace syntask;
using git::detail::SnapshotReader;
using git::detail::SnapshotWriter;
namespace fs = std::filesystem;

namespace {

struct SnapshotFixture {
  fs::path dir;
  std::vector<std::string> contents{"first file\n", "", std::string(100000, 'x'), "last\n"};
  std::vector<git_oid> ids;

  SnapshotFixture()
  {
    static std::atomic<int> counter{0};
    dir = fs::temp_directory_path() /
          ("syntask-snapshot-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir);
    git_libgit2_init();
    for (const auto& content : contents) {
      git_oid id{};
      REQUIRE(git_odb_hash(&id, content.data(), content.size(), GIT_OBJECT_BLOB) == 0);
      ids.push_back(id);
    }
  }
  ~SnapshotFixture()
  {
    fs::remove_all(dir);
    git_libgit2_shutdown();
  }

  fs::path path(const std::string& name = std::string(40, 'a')) const { return dir / name; }

  void write(const fs::path& path) const
  {
    SnapshotWriter writer(path, contents.size());
    // Added out of order, as several threads add them.
    for (std::size_t i = contents.size(); i-- > 0;) {
      writer.add(i, contents[i]);
    }
    writer.finish();
  }

  /// Every file read back, or "<wrong>" for one that does not match its id.
  std::vector<std::string> read_back(const SnapshotReader& reader) const
  {
    std::vector<std::string> read;
    for (std::size_t i = 0; i < contents.size(); ++i) {
      std::string_view view;
      read.push_back(reader.content(i, ids[i], view) ? std::string(view) : "<wrong>");
    }
    return read;
  }
};

} // namespace

TEST_CASE("git::SnapshotWriter and SnapshotReader keep a tree's contents in one file")
{
  SnapshotFixture f;
  f.write(f.path());
  REQUIRE(fs::exists(f.path()));
  CHECK(std::distance(fs::directory_iterator(f.dir), fs::directory_iterator()) == 1); // no leftovers
  const auto reader = SnapshotReader::open(f.path(), f.contents.size());
  REQUIRE(reader != nullptr);
  CHECK(f.read_back(*reader) == f.contents);

  // A content is only handed out for the blob it is.
  std::string_view view;
  CHECK_FALSE(reader->content(0, f.ids[3], view));
  CHECK_FALSE(reader->content(f.contents.size(), f.ids[0], view));
  // A snapshot laid out for another number of files is not opened.
  CHECK(SnapshotReader::open(f.path(), f.contents.size() + 1) == nullptr);
  CHECK(SnapshotReader::open(f.dir / "missing", f.contents.size()) == nullptr);
}

TEST_CASE("git::SnapshotReader refuses damaged snapshots")
{
  SnapshotFixture f;
  f.write(f.path());
  const auto sound = util::read_file(f.path());

  SECTION("a changed byte in a file's content")
  {
    auto damaged = sound;
    damaged[damaged.find("last\n")] = 'L';
    util::write_file_atomic(f.path(), damaged);
    const auto reader = SnapshotReader::open(f.path(), f.contents.size());
    REQUIRE(reader != nullptr);
    const auto read = f.read_back(*reader);
    CHECK(read[0] == f.contents[0]);
    CHECK(read[3] == "<wrong>");
  }
  SECTION("a truncated file")
  {
    util::write_file_atomic(f.path(), sound.substr(0, sound.size() - 1));
    CHECK(SnapshotReader::open(f.path(), f.contents.size()) == nullptr);
  }
  SECTION("another file format")
  {
    util::write_file_atomic(f.path(), "not a snapshot at all, but long enough for a header");
    CHECK(SnapshotReader::open(f.path(), f.contents.size()) == nullptr);
  }
}

TEST_CASE("git::SnapshotWriter leaves nothing when not every file was added")
{
  SnapshotFixture f;
  {
    SnapshotWriter writer(f.path(), f.contents.size());
    writer.add(0, f.contents[0]);
    writer.finish();
  }
  {
    SnapshotWriter writer(f.path(), f.contents.size());
    writer.add(0, f.contents[0]);
  }
  CHECK(fs::is_empty(f.dir));
}

TEST_CASE("git::prune_snapshots keeps the most recently used snapshots")
{
  SnapshotFixture f;
  const auto now = fs::file_time_type::clock::now();
  std::vector<fs::path> snapshots;
  for (char c : {'1', '2', '3', '4', '5'}) {
    snapshots.push_back(f.path(std::string(40, c)));
    f.write(snapshots.back());
    fs::last_write_time(snapshots.back(), now - std::chrono::minutes(10 - (c - '0')));
  }
  // Opening a snapshot marks it as used.
  REQUIRE(SnapshotReader::open(snapshots[0], f.contents.size()) != nullptr);
  const auto young_leftover = f.dir / (std::string(40, '6') + ".tmp-1-0");
  const auto old_leftover = f.dir / (std::string(40, '7') + ".tmp-1-0");
  util::write_file_atomic(young_leftover, "half");
  util::write_file_atomic(old_leftover, "half");
  fs::last_write_time(old_leftover, now - std::chrono::hours(2));

  git::detail::prune_snapshots(f.dir, 3);
  CHECK(fs::exists(snapshots[0]));
  CHECK_FALSE(fs::exists(snapshots[1]));
  CHECK_FALSE(fs::exists(snapshots[2]));
  CHECK(fs::exists(snapshots[3]));
  CHECK(fs::exists(snapshots[4]));
  CHECK(fs::exists(young_leftover)); // perhaps still being written
  CHECK_FALSE(fs::exists(old_leftover));
}
